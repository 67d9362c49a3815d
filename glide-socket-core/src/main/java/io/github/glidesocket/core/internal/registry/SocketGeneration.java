package io.github.glidesocket.core.internal.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.SocketLimitException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.SocketStop;
import io.github.glidesocket.core.internal.transport.Listener;
import io.github.glidesocket.core.internal.transport.ListenerContext;

import org.jspecify.annotations.Nullable;

/**
 * One life of a socket at a path: born by binding, dead from the moment cleanup begins. At most
 * one generation per path is in the manager's registry.
 * <p>
 * <b>The count.</b> {@link #state} packs the central reference count (low 32 bits), a linger
 * epoch and the {@link #CLOSING} flag (high bits) into one {@code long}, or is negative
 * ({@link #DEAD}). {@code DEAD} is final: a count that reached zero and began cleanup is never
 * revived (no resurrection); {@link #tryAcquire()} fails and the caller creates a new generation.
 * <p>
 * Without a cleanup delay or a limit, a socket that threads share moves its count into
 * {@link ReferenceCells}, one cell per thread, after the first collision on {@code state}, so
 * acquire and release write only the thread's own cache line. The count is then the central part
 * plus the cells. A release that takes its part to zero reads the rest (reads of lines nobody
 * writes, in the common case) and returns at the first part that is not zero; if all are zero it
 * sets {@code CLOSING}, reads the cells again and then either clears the flag (a reference came in
 * meanwhile) or kills the generation. An acquire counts first and reads {@code state} second, and
 * waits while {@code CLOSING} is set, so the two never miss each other.
 * <p>
 * With a cleanup delay, every reference is counted in {@code state}; the last release leaves the
 * count at zero with a new epoch; a reference acquired during the delay revives the same
 * generation, and the delayed task only kills the generation if the state is still zero <em>with
 * its epoch</em>, so a stale task never kills a generation that was revived and released again.
 * With a limit, every reference is counted in {@code state} too, so the limit is exact.
 * <p>
 * <b>Cleanup</b> runs exactly once, on the thread that moved the state to {@code DEAD} (the last
 * {@code close()}, the linger task, or a forced stop), or on the binding thread if the generation
 * died while it was still binding ({@link #listener} decides which, with one atomic swap). It
 * stops the listener, removes the file only if it is still the one this generation bound, removes
 * the registry entry only if it is still this generation, and then completes {@link #terminated},
 * which is what a new generation for the same path waits for. No lock is held and no user code runs:
 * the closed event is queued for the manager's event threads ({@link SocketEvents}).
 * <p>
 * <b>Stop notices</b> ({@link SocketReference#whenStopping()}) are registered here weakly, one per
 * reference that asked for one, in a set created on the first request ({@link StopNotice} says
 * why weakly); a reference's {@code close()} removes its own. A stop by the manager
 * ({@link #kill}) records its kind in {@link #stopped} and then reads the set; a registration
 * adds to the set and then reads {@link #stopped}. Both are volatile accesses, so at least one of
 * the two sees the other and hands the completion to the manager's event threads (completing
 * twice is harmless). A release to zero never records a kind, so the notices of a socket that
 * ends normally never complete.
 */
final class SocketGeneration {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/**
	 * Any negative state is dead. Far from zero, so that the unconditional adds of racing
	 * acquires never bring a dead state back to a valid count.
	 */
	private static final long DEAD = -(1L << 62);

	/**
	 * Set while a release that found the whole count at zero reads the cells again before it
	 * kills the generation; acquires wait for the outcome meanwhile.
	 */
	private static final long CLOSING = 1L << 62;

	private static final long COUNT_MASK = 0xFFFF_FFFFL;

	private static final long EPOCH_MASK = 0x3FFF_FFFFL;

	/** What {@link #tryAcquire()} returns when the generation is dead. */
	static final int NOT_ACQUIRED = -2;

	/** The slot of a reference counted in {@link #state} rather than in a cell. */
	static final int CENTRAL = -1;

	private static final VarHandle CELLS;

	private static final VarHandle NOTICES;

	static {
		try {
			CELLS = MethodHandles.lookup().findVarHandle(SocketGeneration.class, "cells", ReferenceCells.class);
			NOTICES = MethodHandles.lookup().findVarHandle(SocketGeneration.class, "notices", Set.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final int EPOCH_SHIFT = 32;

	/** How long a socket taken over keeps serving as before; see {@link #handOver(Listener)}. */
	static final Duration HANDOVER_SETTLING = Duration.ofMillis(200);

	/** Stands in {@link #listener} once cleanup has taken the listener (or found none). */
	private static final Object CLOSED = new Object();

	private final DefaultSocketManager manager;

	private final String path;

	private final long number;

	private final SocketOptions options;

	/** Starts at one: the reference of the caller that creates the generation. */
	private final AtomicLong state = new AtomicLong(1);

	/** Created when two threads first collide on {@link #state}; see {@link #tryAcquire()}. */
	private volatile @Nullable ReferenceCells cells;

	private final AtomicReference<Object> listener = new AtomicReference<>();

	private final CompletableFuture<Void> bound = new CompletableFuture<>();

	private final CompletableFuture<Void> terminated = new CompletableFuture<>();

	private volatile @Nullable Instant boundAt;

	private volatile @Nullable Future<?> lingerTask;

	private volatile long cleanupStartNanos;

	/** How the manager stopped this generation, once {@link #kill} has; {@code null} otherwise. */
	private volatile @Nullable SocketStop stopped;

	/**
	 * Set when the manager judged that a process the server policy trusts took the path over:
	 * the one record of it. The snapshot then says so.
	 */
	private volatile boolean takenOver;

	/** The listener that handed over, kept so the snapshot shows its draining connections. */
	private volatile @Nullable Listener handedOver;

	/** Whether the file was reported as foreign, by the key of the file last reported. */
	private volatile @Nullable Object reportedForeignFile;

	/** Checks of the file requested and not yet run; see {@link DefaultSocketManager}. */
	final AtomicInteger checkRequests = new AtomicInteger();

	/** 0 before the directory is watched, 1 while it is, 2 once this generation ended. */
	private final AtomicInteger watch = new AtomicInteger();

	/** Registered stop notices; created by the first registration, see the class comment. */
	private volatile @Nullable Set<WeakReference<CompletableFuture<SocketStop>>> notices;

	SocketGeneration(DefaultSocketManager manager, String path, long number, SocketOptions options) {
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
		// Reported before the listener is published to cleanup, so that this socket's closed event,
		// which only the cleanup that takes the listener reports, always comes after it.
		context.events().socketBound(this.path);
		if (!this.listener.compareAndSet(null, opened)) {
			// Killed while binding: the cleanup left the listener to this thread.
			stopAndRemove(opened, null);
			IllegalStateException ex = new IllegalStateException(
					"Socket '" + this.path + "' was stopped while it was being bound");
			this.bound.completeExceptionally(ex);
			throw ex;
		}
		this.bound.complete(null);
	}

	/**
	 * Give up on a generation that was published but will not be bound (the manager's socket
	 * limit refused it): it dies without a slot to give back, and callers waiting for the bind
	 * fail with the same exception. Called once, by the thread that created the generation,
	 * instead of {@link #bind}.
	 * @param failure why the generation is not bound
	 */
	void refuse(RuntimeException failure) {
		this.state.set(DEAD);
		this.listener.set(CLOSED);
		this.manager.registry().remove(this.path, this);
		this.bound.completeExceptionally(failure);
		this.terminated.complete(null);
	}

	/**
	 * Add a reference, unless cleanup has begun.
	 * <p>
	 * Without a cleanup delay or a limit, the reference is counted with one compare-and-set on
	 * {@link #state}; when that fails because another thread changed the count (or a release is
	 * deciding whether it was the last), this and later references are counted in
	 * {@link ReferenceCells} instead, one per thread, so threads sharing the socket stop writing
	 * one cache line. With a delay or a limit, every reference is counted in {@code state}, which
	 * keeps the linger epoch and the limit exact.
	 * @return the slot the reference is counted in, to pass to {@link #release(int)}:
	 * {@link #CENTRAL} or a cell; {@link #NOT_ACQUIRED} if the generation is dead
	 * @throws SocketLimitException if the socket already has its maximum of references
	 */
	int tryAcquire() {
		int max = this.options.maxReferences();
		if (max != -1) {
			return tryAcquireWithin(max) ? CENTRAL : NOT_ACQUIRED;
		}
		if (!this.options.cleanupDelay().isZero()) {
			// One unconditional add: under contention it never retries, unlike a compare-and-set.
			// Adding to DEAD leaves it negative, so a dead generation stays dead.
			long previous = this.state.getAndIncrement();
			if (previous < 0) {
				return NOT_ACQUIRED;
			}
			if ((previous & COUNT_MASK) == 0) {
				cancelLinger();
			}
			return CENTRAL;
		}
		ReferenceCells counted = this.cells;
		if (counted == null) {
			long current = this.state.get();
			if (current < 0) {
				return NOT_ACQUIRED;
			}
			if ((current & CLOSING) == 0 && this.state.compareAndSet(current, current + 1)) {
				return CENTRAL;
			}
			counted = createCells();
		}
		int cell = counted.cellOfCurrentThread();
		counted.increment(cell);
		// Counted first, then the state read; a release that found the count at zero announces
		// CLOSING first, then reads the cells. So either that release sees this reference and lets
		// the generation live, or this acquire sees CLOSING and waits for the outcome.
		if (awaitDecided() < 0) {
			counted.decrement(cell);
			return NOT_ACQUIRED;
		}
		return cell;
	}

	/**
	 * A new reference to this generation, unless cleanup has begun.
	 * @return the reference, or {@code null} if the generation is dead
	 * @throws SocketLimitException if the socket already has its maximum of references
	 */
	@Nullable SocketReference tryNewReference() {
		int slot = tryAcquire();
		return (slot != NOT_ACQUIRED) ? new CountedSocketReference(this, slot, this.manager.leaks()) : null;
	}

	private boolean tryAcquireWithin(int max) {
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return false;
			}
			if ((current & CLOSING) != 0) {
				awaitDecided();
				continue;
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

	private ReferenceCells createCells() {
		ReferenceCells created = new ReferenceCells();
		ReferenceCells existing = (ReferenceCells) CELLS.compareAndExchange(this, null, created);
		return (existing != null) ? existing : created;
	}

	/**
	 * The state once no release is deciding whether the count reached zero.
	 */
	private long awaitDecided() {
		for (int spins = 0;; spins++) {
			long current = this.state.get();
			if ((current & CLOSING) == 0 || current < 0) {
				return current;
			}
			if (spins < 100) {
				Thread.onSpinWait();
			}
			else {
				Thread.yield();
			}
		}
	}

	/**
	 * Remove a reference; the last one starts the linger or the cleanup. Releasing a dead
	 * generation does nothing.
	 * @param slot what {@link #tryAcquire()} returned for the reference
	 */
	void release(int slot) {
		Duration linger = this.options.cleanupDelay();
		if (!linger.isZero()) {
			releaseWithLinger(linger);
			return;
		}
		if (slot != CENTRAL) {
			ReferenceCells counted = Objects.requireNonNull(this.cells, "cells");
			if (counted.decrement(slot) > 1) {
				return;
			}
		}
		else {
			// One unconditional add, like an acquire: each handle releases once, so the count
			// never goes below zero.
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
		}
		releasedToZero();
	}

	/**
	 * A part of the count has just reached zero; if the whole count has, clean up. The parts are
	 * read one after the other, not at one instant, so a release that finds them all at zero
	 * announces {@link #CLOSING} (which holds acquires back) and reads the cells again. Of several
	 * releases racing here, the last to reach zero finds the others' zeros: each writes its part
	 * before it reads the rest.
	 */
	private void releasedToZero() {
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return;
			}
			if ((current & CLOSING) != 0) {
				// Another release is deciding; if it lets the generation live, decide again.
				awaitDecided();
				continue;
			}
			if ((current & COUNT_MASK) != 0 || anyCellHeld()) {
				return;
			}
			if (!this.state.compareAndSet(current, current | CLOSING)) {
				continue;
			}
			// While CLOSING the central count cannot change: central acquires wait, and with the
			// count at zero there is no central reference to release.
			if (anyCellHeld()) {
				// Acquired meanwhile: that reference's release comes here again. Fails only if
				// the generation was killed meanwhile.
				this.state.compareAndSet(current | CLOSING, current);
				return;
			}
			if (this.state.compareAndSet(current | CLOSING, DEAD)) {
				cleanup(null);
			}
			return;
		}
	}

	private boolean anyCellHeld() {
		ReferenceCells counted = this.cells;
		return counted != null && counted.anyHeld();
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
					this.lingerTask = this.manager.scheduleWork(() -> lingerEnded(epoch), linger);
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
		return kill(gracePeriod, (gracePeriod != null) ? SocketStop.GRACEFUL : SocketStop.FORCED);
	}

	private @Nullable CompletableFuture<Void> kill(@Nullable Duration gracePeriod, SocketStop kind) {
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return null;
			}
			if (this.state.compareAndSet(current, DEAD)) {
				issueStopNotice(kind);
				return cleanup(gracePeriod);
			}
		}
	}

	/**
	 * The manager judged that another process that the server policy trusts took the path over:
	 * the generation dies at once (no new reference, holders told
	 * {@link SocketStop#TAKEN_OVER}), keeps serving as before for a short settling time, and
	 * then, once the listener has accepted what was queued, stops like a graceful stop within the
	 * handover timeout. The listener leaves the file alone (it is no longer its own). A reference
	 * closed meanwhile changes nothing: the generation is already dead. The manager's
	 * {@code close()} ends the handover at once, and its graceful shutdown waits for it.
	 * <p>
	 * The settling time lets the clients that connected just before the takeover send their
	 * first request and have it answered before their connection is asked to finish: nobody new
	 * reaches this socket any more, so waiting costs nothing but the time.
	 * @param opened the listener whose file was taken over
	 * @return whether this call began the handover (the generation was still alive)
	 */
	boolean handOver(Listener opened) {
		for (;;) {
			long current = this.state.get();
			if (current < 0) {
				return false;
			}
			if (this.state.compareAndSet(current, DEAD)) {
				break;
			}
		}
		// Taken from cleanup, which can no longer run: only the handover stops this listener.
		this.listener.set(CLOSED);
		this.cleanupStartNanos = System.nanoTime();
		cancelLinger();
		this.handedOver = opened;
		this.takenOver = true;
		issueStopNotice(SocketStop.TAKEN_OVER);
		AtomicBoolean stopping = new AtomicBoolean();
		CompletableFuture<Void> handedOverDone = new CompletableFuture<>();
		this.manager.handoverStarted(this, () -> stopHandedOver(opened, null, stopping, handedOverDone),
				handedOverDone);
		this.manager.events().socketTakenOver(this.path);
		this.manager.scheduleWork(() -> opened.acceptQueued()
			.whenComplete((result, failure) -> stopHandedOver(opened, this.options.handoverTimeout(), stopping,
					handedOverDone)),
				HANDOVER_SETTLING);
		return true;
	}

	private void stopHandedOver(Listener opened, @Nullable Duration gracePeriod, AtomicBoolean stopping,
			CompletableFuture<Void> done) {
		if (stopping.compareAndSet(false, true)) {
			stopAndRemove(opened, gracePeriod).whenComplete((result, failure) -> {
				this.manager.events().socketHandedOver(this.path);
				done.complete(null);
			});
		}
	}

	/**
	 * A file that is not this socket's, and not a trusted takeover, is at the path: report it,
	 * once per file. It is not this socket's to remove.
	 * @param foreign the key of that file, or {@code null} if not known
	 * @param reason what the file is, for the log
	 */
	void foreignFile(@Nullable Object foreign, String reason) {
		Object key = (foreign != null) ? foreign : reason;
		if (key.equals(this.reportedForeignFile)) {
			return;
		}
		this.reportedForeignFile = key;
		logger.log(System.Logger.Level.WARNING, "The file of socket '" + this.path + "' was replaced by another file"
				+ " that this socket did not create (" + reason + "); it is left alone, never handed over to, the"
				+ " socket keeps its connections but cannot be reached at the path, and clients connecting through a"
				+ " SocketReference refuse a server they do not trust");
		this.manager.events().socketFileReplaced(this.path);
	}

	/**
	 * Record that the manager watches this socket's directory.
	 * @return {@code false} if the generation already ended: the watch is to be undone
	 */
	boolean watched() {
		return this.watch.compareAndSet(0, 1);
	}

	/**
	 * Record that the generation ended.
	 * @return whether its directory was watched: the watch is to be cancelled
	 */
	boolean unwatched() {
		return this.watch.getAndSet(2) == 1;
	}

	private void issueStopNotice(SocketStop kind) {
		this.stopped = kind;
		Set<WeakReference<CompletableFuture<SocketStop>>> registered = this.notices;
		if (registered != null) {
			List<CompletableFuture<SocketStop>> futures = new ArrayList<>();
			for (WeakReference<CompletableFuture<SocketStop>> registration : registered) {
				CompletableFuture<SocketStop> future = registration.get();
				if (future != null) {
					futures.add(future);
				}
			}
			if (!futures.isEmpty()) {
				this.manager.completeOnEventThread(futures, kind);
			}
		}
	}

	/**
	 * A new stop notice for a reference, registered unless the reference is closed; completed at
	 * once if the manager has already stopped this generation.
	 * @param register whether to register it (the reference is open)
	 * @return the notice
	 */
	StopNotice newStopNotice(boolean register) {
		StopNotice notice = new StopNotice();
		if (!register) {
			// A closed reference hears only of a stop it saw while open; its reference decides.
			return notice;
		}
		Set<WeakReference<CompletableFuture<SocketStop>>> registered = this.notices;
		if (registered == null) {
			Set<WeakReference<CompletableFuture<SocketStop>>> created = ConcurrentHashMap.newKeySet();
			@SuppressWarnings("unchecked")
			Set<WeakReference<CompletableFuture<SocketStop>>> existing = (Set<WeakReference<CompletableFuture<SocketStop>>>) NOTICES
				.compareAndExchange(this, null, created);
			registered = (existing != null) ? existing : created;
		}
		registered.add(notice.registration);
		SocketStop kind = this.stopped;
		if (kind != null) {
			this.manager.completeOnEventThread(List.of(notice.future), kind);
		}
		return notice;
	}

	/**
	 * How the manager stopped this generation, once it has.
	 * @return the kind of stop, or {@code null}
	 */
	@Nullable SocketStop stopped() {
		return this.stopped;
	}

	/**
	 * Complete a notice that is not registered (its reference was closed) with the stop its
	 * reference saw while it was open.
	 * @param notice the notice
	 * @param kind the stop
	 */
	void completeStopNotice(StopNotice notice, SocketStop kind) {
		this.manager.completeOnEventThread(List.of(notice.future), kind);
	}

	/**
	 * Forget the notice of a reference that is closed: its holder is not told of later stops.
	 * @param notice the notice
	 */
	void forgetStopNotice(StopNotice notice) {
		Set<WeakReference<CompletableFuture<SocketStop>>> registered = this.notices;
		if (registered != null) {
			registered.remove(notice.registration);
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
				// handler has noticed its closed connection yet. The manager's close() ends the
				// drain sooner, as its own deadline.
				Runnable endDrain = () -> {
					opened.closeConnections();
					connectionsDone.complete(null);
				};
				this.manager.drainStarted(endDrain, connectionsDone);
				Future<?> deadline = this.manager.schedule(endDrain, gracePeriod);
				connectionsDone.whenComplete((result, failure) -> {
					deadline.cancel(false);
					this.manager.drainEnded(endDrain);
				});
			}
		}
		opened.unlink();
		CompletableFuture<Void> settled = opened.settled();
		if (settled.isDone()) {
			terminate();
		}
		else {
			// A re-bind that began before the stop may still be publishing: the path goes to a new
			// socket only once it has taken its file back.
			settled.whenComplete((result, failure) -> terminate());
		}
		connectionsDone.whenComplete((result, failure) -> this.manager.events()
			.socketTraffic(this.path, opened.bytesReceived(), opened.bytesSent()));
		return connectionsDone;
	}

	private void terminate() {
		this.manager.generationTerminated(this);
		this.terminated.complete(null);
		Duration cleanupTime = Duration.ofNanos(System.nanoTime() - this.cleanupStartNanos);
		logger.log(System.Logger.Level.DEBUG, () -> "Closed socket '" + this.path + "' (generation " + this.number
				+ ") in " + cleanupTime.toNanos() / 1000 + "us");
		this.manager.events().socketClosed(this.path, cleanupTime);
	}

	String path() {
		return this.path;
	}

	DefaultSocketManager manager() {
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
		return (this.state.get() >>> EPOCH_SHIFT) & EPOCH_MASK;
	}

	boolean isDead() {
		return this.state.get() < 0;
	}

	/**
	 * The exact number of references; zero when lingering or dead.
	 */
	int referenceCount() {
		long current = this.state.get();
		if (current < 0) {
			return 0;
		}
		ReferenceCells counted = this.cells;
		long total = (current & COUNT_MASK) + ((counted != null) ? counted.sum() : 0);
		return (int) Math.min(total, Integer.MAX_VALUE);
	}

	/**
	 * Whether references are counted in cells from now on (for tests).
	 */
	boolean countsInCells() {
		return this.cells != null;
	}

	/**
	 * Count references in cells from now on, as after a collision (for tests, which cannot make
	 * threads collide on demand). Only without a cleanup delay and a limit, as in
	 * {@link #tryAcquire()}.
	 */
	void countInCells() {
		if (this.options.maxReferences() == -1 && this.options.cleanupDelay().isZero()) {
			createCells();
		}
	}

	@Nullable Listener listener() {
		Object current = this.listener.get();
		return (current instanceof Listener opened) ? opened : null;
	}

	SocketSnapshot snapshot() {
		long current = this.state.get();
		Listener opened = listener();
		if (opened == null) {
			opened = this.handedOver;
		}
		SocketSnapshot.State lifeState;
		if (this.takenOver) {
			lifeState = SocketSnapshot.State.TAKEN_OVER;
		}
		else if (current < 0) {
			lifeState = SocketSnapshot.State.CLOSING;
		}
		else if (opened != null && opened.acceptFailure() != null) {
			lifeState = SocketSnapshot.State.FAILED;
		}
		else if (!isReady()) {
			lifeState = SocketSnapshot.State.BINDING;
		}
		else if (referenceCount() == 0) {
			lifeState = SocketSnapshot.State.LINGERING;
		}
		else {
			lifeState = SocketSnapshot.State.ACTIVE;
		}
		SocketSnapshot.FileStatus file = (opened != null) ? opened.fileStatus() : SocketSnapshot.FileStatus.MISSING;
		if (this.takenOver && file != SocketSnapshot.FileStatus.INTACT) {
			file = SocketSnapshot.FileStatus.TAKEN_OVER;
		}
		return new SocketSnapshot(this.path, this.number, lifeState, referenceCount(),
				(opened != null) ? opened.activeConnections() : 0, (opened != null) ? opened.acceptedConnections() : 0,
				(opened != null) ? opened.rejectedConnections() : 0, (opened != null) ? opened.acceptFailures() : 0,
				(opened != null) ? opened.bytesReceived() : 0, (opened != null) ? opened.bytesSent() : 0,
				this.boundAt, file,
				PosixFilePermissions.toString(this.options.permissions()),
				String.valueOf(this.options.peerPolicy()));
	}

	@Override
	public String toString() {
		return "SocketGeneration[path=" + this.path + ", number=" + this.number + ", references=" + referenceCount()
				+ "]";
	}

}
