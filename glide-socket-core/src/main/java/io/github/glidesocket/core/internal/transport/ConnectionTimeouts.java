package io.github.glidesocket.core.internal.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Times out the reads and writes of a manager's connections served on threads of their own: a
 * blocking channel has no timeouts, so one periodic check closes a connection whose read has
 * waited for its idle timeout, or whose write has made no progress for its write timeout. The
 * check is scheduled only while such connections exist, so sockets without any cost the
 * scheduler nothing. Event-loop connections time out on their loops instead.
 * <p>
 * Threading: {@link #add} and {@link #remove} may run on any thread. Each change of the count
 * between zero and one is followed by {@link #reconcile}, which arms or cancels the check under
 * this object's lock (a few field writes, never I/O or user code); the last to take the lock
 * sees the final count.
 */
public final class ConnectionTimeouts {

	/** The check runs at least this often while connections with timeouts exist. */
	static final long LONGEST_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** And at most this often, however short a timeout. */
	static final long SHORTEST_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final ScheduledExecutorService scheduler;

	private final Set<ManagedConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger count = new AtomicInteger();

	/** The period of the armed check; {@code Long.MAX_VALUE} while none is armed. */
	private volatile long period = Long.MAX_VALUE;

	private @Nullable Future<?> check;

	/**
	 * @param scheduler runs the check
	 */
	public ConnectionTimeouts(ScheduledExecutorService scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * The period that checks a connection's timeouts in time: a quarter of the shorter one,
	 * within {@link #SHORTEST_PERIOD_NANOS} and {@link #LONGEST_PERIOD_NANOS}.
	 * @param idleNanos the idle timeout, 0 for none
	 * @param writeNanos the write timeout, 0 for none
	 * @return the period, or {@code Long.MAX_VALUE} if the connection has no timeout
	 */
	static long periodFor(long idleNanos, long writeNanos) {
		long shortest = Math.min((idleNanos > 0) ? idleNanos : Long.MAX_VALUE,
				(writeNanos > 0) ? writeNanos : Long.MAX_VALUE);
		if (shortest == Long.MAX_VALUE) {
			return Long.MAX_VALUE;
		}
		return Math.max(SHORTEST_PERIOD_NANOS, Math.min(shortest / 4, LONGEST_PERIOD_NANOS));
	}

	/**
	 * Check a connection from now on, until {@link #remove removed}.
	 * @param connection a connection with at least one timeout
	 */
	void add(ManagedConnection connection) {
		if (!this.connections.add(connection)) {
			return;
		}
		if (this.count.getAndIncrement() == 0 || connection.checkPeriod() < this.period) {
			reconcile(connection.checkPeriod());
		}
	}

	/**
	 * Stop checking a connection; the last one removed cancels the check.
	 * @param connection the connection
	 */
	void remove(ManagedConnection connection) {
		if (this.connections.remove(connection) && this.count.decrementAndGet() == 0) {
			reconcile(Long.MAX_VALUE);
		}
	}

	/**
	 * Whether the check is scheduled now.
	 * @return {@code true} while connections with timeouts exist
	 */
	boolean isArmed() {
		synchronized (this) {
			return this.check != null;
		}
	}

	private void reconcile(long wanted) {
		synchronized (this) {
			if (this.count.get() == 0) {
				cancel();
				return;
			}
			long next = Math.min(Math.min(wanted, this.period), LONGEST_PERIOD_NANOS);
			if (this.check != null && next >= this.period) {
				return;
			}
			cancel();
			try {
				this.check = this.scheduler.scheduleWithFixedDelay(this::closeTimedOut, next, next,
						TimeUnit.NANOSECONDS);
				this.period = next;
			}
			catch (RejectedExecutionException ex) {
				// The manager is closing: its connections are closed anyway.
			}
		}
	}

	private void cancel() {
		Future<?> armed = this.check;
		if (armed != null) {
			armed.cancel(false);
			this.check = null;
		}
		this.period = Long.MAX_VALUE;
	}

	private void closeTimedOut() {
		long now = System.nanoTime();
		for (ManagedConnection connection : this.connections) {
			connection.closeIfTimedOut(now);
		}
	}

}
