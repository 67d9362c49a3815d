package io.github.glidesocket.core;

import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * One life of a socket at a path: born by binding, dead from the moment cleanup begins. At most
 * one generation per path is in the manager's registry.
 * <p>
 * <b>The count.</b> {@link #state} packs the reference count (low 32 bits) and a linger epoch
 * (high bits) into one {@code long}, or is negative ({@link #DEAD}). Every change is one atomic
 * add or compare-and-set, so the count is exact and needs no lock. {@code DEAD} is final: a count that reached zero and
 * began cleanup is never revived (no resurrection); {@link #tryAcquire()} fails and the caller
 * creates a new generation. Without a cleanup delay, acquire and release are each one
 * unconditional add, so threads sharing a socket never retry; the release that takes the count to
 * zero then moves it to {@code DEAD}, unless a reference acquired in that instant keeps the
 * generation alive. With a cleanup delay, the last release leaves the count at zero with a
 * new epoch instead; a reference acquired during the delay revives the same generation, and the
 * delayed task only kills the generation if the state is still zero <em>with its epoch</em>, so a
 * stale task never kills a generation that was revived and released again.
 * <p>
 * <b>Cleanup</b> runs exactly once, on the thread that moved the state to {@code DEAD} (the last
 * {@code close()}, the linger task, or a forced stop), or on the binding thread if the generation
 * died while it was still binding ({@link #listener} decides which, with one atomic swap). It
 * stops the listener, removes the file only if it is still the one this generation bound, removes
 * the registry entry only if it is still this generation, and then completes {@link #terminated},
 * which is what a new generation for the same path waits for. No lock is held and no user code runs
 * before {@code terminated} completes; event listeners are called after it.
 */
final class SocketGeneration {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/**
	 * Any negative state is dead. Far from zero, so that the unconditional adds of racing
	 * acquires never bring a dead state back to a valid count.
	 */
	private static final long DEAD = -(1L << 62);

	private static final long COUNT_MASK = 0xFFFF_FFFFL;

	private static final long EPOCH_MASK = 0x7FFF_FFFFL;

	private static final int EPOCH_SHIFT = 32;

	/** Stands in {@link #listener} once cleanup has taken the listener (or found none). */
	private static final Object CLOSED = new Object();

	private final SocketManager manager;

	private final String path;

	private final long number;

	private final SocketOptions options;

	/** Starts at one: the reference of the caller that creates the generation. */
	private final AtomicLong state = new AtomicLong(1);

	private final AtomicReference<Object> listener = new AtomicReference<>();

	private final CompletableFuture<Void> bound = new CompletableFuture<>();

	private final CompletableFuture<Void> terminated = new CompletableFuture<>();

	private volatile @Nullable Instant boundAt;

	private volatile @Nullable Future<?> lingerTask;

	private volatile long cleanupStartNanos;

	SocketGeneration(SocketManager manager, String path, long number, SocketOptions options) {
		this.manager = manager;
		this.path = path;
		this.number = number;
		this.options = options;
	}

	/**
	 * Open the listener. Called once, by the thread that created the generation, without any
	 * lock.
	 */
	void bind(Listener.Factory factory, ListenerContext context) {
		Listener opened;
		try {
			opened = factory.open(this.path, this.number, this.options, context);
		}
		catch (RuntimeException | Error ex) {
			this.state.set(DEAD);
			this.listener.set(CLOSED);
			this.manager.generationTerminated(this);
			this.bound.completeExceptionally(ex);
			this.terminated.complete(null);
			throw ex;
		}
		this.boundAt = Instant.now();
		if (!this.listener.compareAndSet(null, opened)) {
			// Killed while binding: the cleanup left the listener to this thread.
			stopAndRemove(opened, null);
			IllegalStateException ex = new IllegalStateException(
					"Socket '" + this.path + "' was stopped while it was being bound");
			this.bound.completeExceptionally(ex);
			throw ex;
		}
		this.bound.complete(null);
		context.events().socketBound(this.path);
	}

	/**
	 * Add a reference, unless cleanup has begun.
	 * @return {@code false} if the generation is dead
	 * @throws SocketLimitException if the socket already has its maximum of references
	 */
	boolean tryAcquire() {
		int max = this.options.maxReferences();
		if (max == -1) {
			// One unconditional add: under contention it never retries, unlike a compare-and-set.
			// Adding to DEAD leaves it negative, so a dead generation stays dead.
			long previous = this.state.getAndIncrement();
			if (previous < 0) {
				return false;
			}
			if ((previous & COUNT_MASK) == 0) {
				cancelLinger();
			}
			return true;
		}
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return false;
			}
			int count = (int) (current & COUNT_MASK);
			if (count >= max) {
				throw new SocketLimitException(this.path, SocketLimitException.Kind.REFERENCES, "Socket '" + this.path
						+ "' already has " + count + " references, its limit of references", max);
			}
			if (this.state.compareAndSet(current, current + 1)) {
				if (count == 0) {
					cancelLinger();
				}
				return true;
			}
		}
	}

	/**
	 * Remove a reference; the last one starts the linger or the cleanup. Releasing a dead
	 * generation does nothing.
	 */
	void release() {
		Duration linger = this.options.cleanupDelay();
		if (!linger.isZero()) {
			releaseWithLinger(linger);
			return;
		}
		// One unconditional add, like tryAcquire: exactly one release sees the count go from 1 to
		// 0, and each handle releases once, so the count never goes below zero.
		long previous = this.state.getAndDecrement();
		if (previous < 0) {
			return;
		}
		long count = previous & COUNT_MASK;
		if (count == 0) {
			this.state.getAndIncrement();
			throw new IllegalStateException("Socket '" + this.path + "' has no reference left to release");
		}
		if (count > 1) {
			return;
		}
		// Zero now: clean up, unless a reference acquired in this instant keeps the generation
		// alive (its release comes here again) or the generation was killed.
		for (;;) {
			long current = this.state.get();
			if (current < 0 || (current & COUNT_MASK) != 0) {
				return;
			}
			if (this.state.compareAndSet(current, DEAD)) {
				cleanup(null);
				return;
			}
		}
	}

	/**
	 * Release with a cleanup delay: the release that reaches zero starts a new linger epoch in the
	 * same compare-and-set, so a linger task of an earlier epoch can never match it.
	 */
	private void releaseWithLinger(Duration linger) {
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return;
			}
			long count = current & COUNT_MASK;
			if (count == 0) {
				throw new IllegalStateException("Socket '" + this.path + "' has no reference left to release");
			}
			if (count > 1) {
				if (this.state.compareAndSet(current, current - 1)) {
					return;
				}
				continue;
			}
			if (!this.manager.isShuttingDown()) {
				long epoch = ((current >>> EPOCH_SHIFT) + 1) & EPOCH_MASK;
				if (this.state.compareAndSet(current, epoch << EPOCH_SHIFT)) {
					this.lingerTask = this.manager.schedule(() -> lingerEnded(epoch), linger);
					return;
				}
			}
			else if (this.state.compareAndSet(current, DEAD)) {
				cleanup(null);
				return;
			}
		}
	}

	void lingerEnded(long epoch) {
		if (this.state.compareAndSet(epoch << EPOCH_SHIFT, DEAD)) {
			cleanup(null);
		}
	}

	private void cancelLinger() {
		Future<?> task = this.lingerTask;
		if (task != null) {
			task.cancel(false);
		}
	}

	/**
	 * Kill the generation whatever its count: every handle becomes inactive and the path is freed
	 * at once.
	 * @param gracePeriod how long connections may take to finish (their input reaches
	 * end-of-stream), or {@code null} to close them at once
	 * @return a future completed when no connection of this generation is left, or {@code null}
	 * if the generation was already dead
	 */
	@Nullable CompletableFuture<Void> kill(@Nullable Duration gracePeriod) {
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return null;
			}
			if (this.state.compareAndSet(current, DEAD)) {
				return cleanup(gracePeriod);
			}
		}
	}

	private CompletableFuture<Void> cleanup(@Nullable Duration gracePeriod) {
		this.cleanupStartNanos = System.nanoTime();
		cancelLinger();
		Object current = this.listener.getAndSet(CLOSED);
		if (current instanceof Listener opened) {
			return stopAndRemove(opened, gracePeriod);
		}
		// Still binding: bind() stops the listener when the bind returns.
		return this.terminated;
	}

	private CompletableFuture<Void> stopAndRemove(Listener opened, @Nullable Duration gracePeriod) {
		opened.stopAccepting();
		CompletableFuture<Void> connectionsDone;
		if (gracePeriod == null) {
			opened.closeConnections();
			connectionsDone = CompletableFuture.completedFuture(null);
		}
		else {
			CompletableFuture<Void> drained = opened.drainConnections();
			connectionsDone = new CompletableFuture<>();
			drained.whenComplete((result, failure) -> connectionsDone.complete(null));
			if (!drained.isDone()) {
				// At the deadline the rest are closed; the stop is then done, whether or not every
				// handler has noticed its closed connection yet.
				Future<?> deadline = this.manager.schedule(() -> {
					opened.closeConnections();
					connectionsDone.complete(null);
				}, gracePeriod);
				drained.whenComplete((result, failure) -> deadline.cancel(false));
			}
		}
		opened.unlink();
		this.manager.generationTerminated(this);
		this.terminated.complete(null);
		Duration cleanupTime = Duration.ofNanos(System.nanoTime() - this.cleanupStartNanos);
		logger.log(System.Logger.Level.DEBUG, () -> "Closed socket '" + this.path + "' (generation " + this.number
				+ ") in " + cleanupTime.toNanos() / 1000 + "us");
		this.manager.events().socketClosed(this.path, cleanupTime);
		return connectionsDone;
	}

	String path() {
		return this.path;
	}

	SocketManager manager() {
		return this.manager;
	}

	long number() {
		return this.number;
	}

	SocketOptions options() {
		return this.options;
	}

	CompletableFuture<Void> bound() {
		return this.bound;
	}

	CompletableFuture<Void> terminated() {
		return this.terminated;
	}

	boolean isReady() {
		return this.bound.isDone() && !this.bound.isCompletedExceptionally();
	}

	/**
	 * Bound and not yet dead: serving connections, with references or lingering.
	 */
	boolean isServing() {
		return this.state.get() >= 0 && isReady();
	}

	/**
	 * The epoch of the current linger; changes with every release of the last reference.
	 */
	long lingerEpoch() {
		return this.state.get() >>> EPOCH_SHIFT;
	}

	boolean isDead() {
		return this.state.get() < 0;
	}

	/**
	 * The exact number of references; zero when lingering or dead.
	 */
	int referenceCount() {
		long current = this.state.get();
		return (current < 0) ? 0 : (int) (current & COUNT_MASK);
	}

	@Nullable Listener listener() {
		Object current = this.listener.get();
		return (current instanceof Listener opened) ? opened : null;
	}

	SocketSnapshot snapshot() {
		long current = this.state.get();
		Listener opened = listener();
		SocketSnapshot.State lifeState;
		if (current < 0) {
			lifeState = SocketSnapshot.State.CLOSING;
		}
		else if (!isReady()) {
			lifeState = SocketSnapshot.State.BINDING;
		}
		else if ((current & COUNT_MASK) == 0) {
			lifeState = SocketSnapshot.State.LINGERING;
		}
		else {
			lifeState = SocketSnapshot.State.ACTIVE;
		}
		return new SocketSnapshot(this.path, this.number, lifeState, referenceCount(),
				(opened != null) ? opened.activeConnections() : 0, (opened != null) ? opened.acceptedConnections() : 0,
				(opened != null) ? opened.rejectedConnections() : 0, (opened != null) ? opened.acceptFailures() : 0,
				this.boundAt,
				(opened != null) ? opened.fileStatus() : SocketSnapshot.FileStatus.MISSING,
				PosixFilePermissions.toString(this.options.permissions()),
				String.valueOf(this.options.peerPolicy()));
	}

	@Override
	public String toString() {
		return "SocketGeneration[path=" + this.path + ", number=" + this.number + ", references=" + referenceCount()
				+ "]";
	}

}
