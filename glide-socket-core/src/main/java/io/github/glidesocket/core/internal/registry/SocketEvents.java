package io.github.glidesocket.core.internal.registry;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketCallback;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * Passes each event to every registered listener, never on the thread that reports it: that
 * thread may be releasing the last reference ({@code close()} runs no user code), holding a
 * connection, or be the scheduler.
 * <p>
 * Each listener has its own queue, drained by one task at a time on the event executor (the
 * manager's {@code <name>-events-N} daemon threads), so a listener receives its events one at a
 * time in the order they were reported, and a listener that is slow, blocks or throws holds back
 * only its own later events. Reporting an event adds it to each listener's queue and, if that
 * queue was idle, hands one drain task to the executor; it never waits. A failure of a listener
 * is logged (at WARN the first of each kind, at DEBUG after) and the next event is delivered. A listener busy with one event for longer than
 * {@link #SLOW} is logged once, when the next event for it is queued.
 * <p>
 * Listeners may be added and removed while events flow; events reported before a removal may
 * still reach the removed listener.
 * <p>
 * A drain task that has emptied its queue waits a moment ({@link #LINGER}) for more before it
 * gives its thread back: connections that come and go report their events in streams, and
 * handing a task to a sleeping thread for each of them cost more than the connections
 * themselves (two context switches per event). Events are delivered at most that much later.
 */
final class SocketEvents implements SocketEventListener {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	static final Duration SLOW = Duration.ofSeconds(5);

	/** How long a drain task waits for more events before it ends. */
	static final Duration LINGER = Duration.ofMillis(1);

	private final Executor executor;

	private final long lingerNanos;

	private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

	/**
	 * Create the events of a manager.
	 * @param listeners the listeners, in order
	 * @param executor runs the drain tasks; with {@code Runnable::run} events are delivered on the
	 * reporting thread (for tests)
	 */
	SocketEvents(List<SocketEventListener> listeners, Executor executor) {
		this(listeners, executor, Duration.ZERO);
	}

	/**
	 * Create the events of a manager.
	 * @param listeners the listeners, in order
	 * @param executor runs the drain tasks
	 * @param linger how long a drain task waits for more events once its queue is empty
	 */
	SocketEvents(List<SocketEventListener> listeners, Executor executor, Duration linger) {
		this.executor = executor;
		this.lingerNanos = linger.toNanos();
		listeners.forEach(this::add);
	}

	void add(SocketEventListener listener) {
		this.deliveries.add(new Delivery(listener, this.executor, this.lingerNanos));
	}

	void remove(SocketEventListener listener) {
		for (Delivery delivery : this.deliveries) {
			if (delivery.listener.equals(listener) && this.deliveries.remove(delivery)) {
				return;
			}
		}
	}

	private void each(Consumer<SocketEventListener> event) {
		for (Delivery delivery : this.deliveries) {
			delivery.offer(event);
		}
	}

	@Override
	public void socketBound(String path) {
		each((listener) -> listener.socketBound(path));
	}

	@Override
	public void socketClosed(String path, Duration cleanupTime) {
		each((listener) -> listener.socketClosed(path, cleanupTime));
	}

	@Override
	public void socketRebound(String path) {
		each((listener) -> listener.socketRebound(path));
	}

	@Override
	public void connectionDuration(String path, Duration duration) {
		each((listener) -> listener.connectionDuration(path, duration));
	}

	@Override
	public void socketTraffic(String path, long bytesReceived, long bytesSent) {
		each((listener) -> listener.socketTraffic(path, bytesReceived, bytesSent));
	}

	@Override
	public void socketFileReplaced(String path) {
		each((listener) -> listener.socketFileReplaced(path));
	}

	@Override
	public void socketTakenOver(String path) {
		each((listener) -> listener.socketTakenOver(path));
	}

	@Override
	public void socketHandedOver(String path) {
		each((listener) -> listener.socketHandedOver(path));
	}

	@Override
	public void outputLimitExceeded(String path) {
		each((listener) -> listener.outputLimitExceeded(path));
	}

	@Override
	public void connectionAccepted(String path) {
		each((listener) -> listener.connectionAccepted(path));
	}

	@Override
	public void connectionRejected(String path, RejectReason reason) {
		each((listener) -> listener.connectionRejected(path, reason));
	}

	@Override
	public void connectionClosed(String path) {
		each((listener) -> listener.connectionClosed(path));
	}

	@Override
	public void acceptFailed(String path, Exception failure) {
		each((listener) -> listener.acceptFailed(path, failure));
	}

	@Override
	public void callbackFailed(String path, SocketCallback callback, Throwable failure) {
		each((listener) -> listener.callbackFailed(path, callback, failure));
	}

	@Override
	public void writeTimedOut(String path) {
		each((listener) -> listener.writeTimedOut(path));
	}

	@Override
	public void acceptStopped(String path, Throwable failure) {
		each((listener) -> listener.acceptStopped(path, failure));
	}

	@Override
	public void referenceLeaked(String path, @Nullable Throwable acquiredAt) {
		each((listener) -> listener.referenceLeaked(path, acquiredAt));
	}

	/**
	 * The queue of one listener. {@link #scheduled} is true from the moment a drain task is handed
	 * to the executor until that task has found the queue empty, so at most one task delivers to
	 * the listener at a time; a task that finds an event queued after it cleared the flag sets it
	 * again and goes on, so no event is left behind.
	 */
	private static final class Delivery implements Runnable {

		final SocketEventListener listener;

		private final Executor executor;

		private final long lingerNanos;

		private final Queue<Consumer<SocketEventListener>> pending = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean scheduled = new AtomicBoolean();

		/** When the event being delivered was handed to the listener ({@code nanoTime}), 0 if none. */
		private volatile long callStarted;

		private volatile boolean slowReported;

		/** The kinds of failure of this listener already logged at WARN. */
		private final Set<Class<?>> failuresLogged = ConcurrentHashMap.newKeySet();

		Delivery(SocketEventListener listener, Executor executor, long lingerNanos) {
			this.listener = listener;
			this.executor = executor;
			this.lingerNanos = lingerNanos;
		}

		void offer(Consumer<SocketEventListener> event) {
			this.pending.offer(event);
			if (this.scheduled.compareAndSet(false, true)) {
				try {
					this.executor.execute(this);
				}
				catch (RejectedExecutionException ex) {
					this.scheduled.set(false);
					logger.log(System.Logger.Level.WARNING,
							"Cannot deliver socket events to " + this.listener + " now; they wait for the next event", ex);
				}
			}
			else {
				reportIfSlow();
			}
		}

		@Override
		public void run() {
			do {
				deliverPending();
				this.scheduled.set(false);
			}
			while (!this.pending.isEmpty() && this.scheduled.compareAndSet(false, true));
		}

		/**
		 * Deliver what is queued, and what comes while the task lingers. Reporters do not wake a
		 * lingering task: it stays scheduled, so they only queue.
		 */
		private void deliverPending() {
			for (;;) {
				Consumer<SocketEventListener> event;
				while ((event = this.pending.poll()) != null) {
					deliver(event);
				}
				if (this.lingerNanos <= 0 || Thread.currentThread().isInterrupted()) {
					return;
				}
				LockSupport.parkNanos(this, this.lingerNanos);
				if (this.pending.isEmpty()) {
					return;
				}
			}
		}

		private void deliver(Consumer<SocketEventListener> event) {
			this.callStarted = System.nanoTime() | 1;
			try {
				event.accept(this.listener);
			}
			catch (Throwable ex) {
				if (this.failuresLogged.add(ex.getClass())) {
					logger.log(System.Logger.Level.WARNING, "Socket event listener " + this.listener + " failed; it"
							+ " receives its next events, and later failures of this kind are logged at DEBUG", ex);
				}
				else {
					logger.log(System.Logger.Level.DEBUG, () -> "Socket event listener " + this.listener + " failed again: " + ex);
				}
			}
			finally {
				this.callStarted = 0;
				this.slowReported = false;
			}
		}

		private void reportIfSlow() {
			long started = this.callStarted;
			if (started == 0 || this.slowReported) {
				return;
			}
			long busy = System.nanoTime() - started;
			if (busy > SLOW.toNanos()) {
				this.slowReported = true;
				logger.log(System.Logger.Level.WARNING, "Socket event listener " + this.listener + " has been handling one event for "
						+ TimeUnit.NANOSECONDS.toMillis(busy) + "ms; its later events wait (other listeners receive theirs)");
			}
		}

	}

}
