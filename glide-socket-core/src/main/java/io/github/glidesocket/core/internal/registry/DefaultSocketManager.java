package io.github.glidesocket.core.internal.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketLimitException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketManagerSettings;
import io.github.glidesocket.core.ReferenceHolder;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketPool;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.binding.DefaultSocketPath;
import io.github.glidesocket.core.internal.binding.SocketFileJudge;
import io.github.glidesocket.core.internal.binding.PendingTakeovers;
import io.github.glidesocket.core.internal.binding.SocketPaths;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;
import io.github.glidesocket.core.internal.transport.BufferBudget;
import io.github.glidesocket.core.internal.transport.ConnectionThreads;
import io.github.glidesocket.core.internal.transport.ConnectionTimeouts;
import io.github.glidesocket.core.internal.transport.EventLoops;
import io.github.glidesocket.core.internal.transport.Listener;
import io.github.glidesocket.core.internal.transport.ListenerContext;
import io.github.glidesocket.core.internal.transport.UnixSocketListener;

import org.jspecify.annotations.Nullable;

/**
 * The {@link SocketManager}: a {@link ConcurrentHashMap} from canonical path to the path's current
 * {@link SocketGeneration}, with no manager-wide lock. Creating a socket puts a new generation in
 * the map with {@code putIfAbsent} (so at most one generation per path exists) and binds it
 * outside any lock; concurrent callers for the same path wait for that bind and share the socket.
 * <p>
 * Internal: applications obtain managers through {@link SocketManager#builder()}. Tests and
 * benchmarks may construct one with {@link #create(SocketManagerSettings, Listener.Factory)} to
 * measure the registry without real sockets.
 */
public final class DefaultSocketManager implements SocketManager {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final Duration LEAK_CHECK_INTERVAL = Duration.ofSeconds(1);

	/** When a replacement that could not be judged (a busy server) is judged again. */
	static final Duration JUDGE_AGAIN = Duration.ofSeconds(1);

	private final String name;

	private final ConcurrentHashMap<String, SocketGeneration> registry = new ConcurrentHashMap<>();

	private final SocketOptions defaults;

	private final Map<String, SocketOptions> socketOptions;

	private final int maxSockets;

	private final AtomicInteger socketSlots = new AtomicInteger();

	private final AtomicLong generationNumbers = new AtomicLong();

	private final Listener.Factory listenerFactory;

	private final SocketEvents events;

	private final LeakTracker leaks;

	private final ScheduledThreadPoolExecutor scheduler;

	private final ThreadPoolExecutor bindExecutor;

	/**
	 * Runs what the timer only schedules and what may block: file checks (a re-bind, a probe of
	 * a replacement), judgements of replacements, handovers after their settling time, and the
	 * cleanup at the end of a linger. The timer thread runs only deadlines that close at once.
	 */
	private final ThreadPoolExecutor workExecutor;

	/** Set while a run of every socket's file check is queued, so slow checks never pile up. */
	private final AtomicBoolean fileChecksQueued = new AtomicBoolean();

	private final ThreadPoolExecutor eventExecutor;

	private final ThreadPoolExecutor noticeExecutor;

	private final ExecutorService connectionExecutor;

	private final EventLoops eventLoops;

	private final ListenerContext listenerContext;

	/** Pools by canonical base path and size; a pool is a few strings and a counter. */
	private final ConcurrentHashMap<PoolKey, BalancedSocketPool> pools = new ConcurrentHashMap<>();

	/** References the manager holds for the legacy {@link #startSocketListener(String)}. */
	private final Set<SocketReference> heldReferences = ConcurrentHashMap.newKeySet();

	private final @Nullable Thread shutdownHook;

	private volatile @Nullable String defaultPath;

	private volatile boolean shuttingDown;

	private final AtomicInteger threadsStopped = new AtomicInteger();

	/**
	 * Each graceful drain in progress (a graceful stop's, a handover's): what ends it at once,
	 * which {@link #close()} runs, and the future it completes, which a graceful shutdown waits
	 * for.
	 */
	private final Map<Runnable, CompletableFuture<Void>> drainsInProgress = new ConcurrentHashMap<>();

	/** Notices at once when the file of a socket that may be taken over is replaced. */
	private final SocketFileWatcher fileWatcher;

	/**
	 * Sockets taken over by another process, by path, for their snapshots: the generation while
	 * it drains (its connections show), then only its last snapshot, until a new socket is bound
	 * at the path. The generation itself is dropped when its drain ends.
	 */
	private final ConcurrentHashMap<String, Supplier<SocketSnapshot>> takenOver = new ConcurrentHashMap<>();

	/** Takeovers waiting for {@link #completeTakeovers()}, when the settings hold them. */
	private final PendingTakeovers pendingTakeovers;

	private DefaultSocketManager(SocketManagerSettings settings, Listener.Factory listenerFactory) {
		this.name = settings.name();
		this.defaults = settings.defaults();
		this.socketOptions = canonicalKeys(settings.socketOptions());
		this.maxSockets = settings.maxSockets();
		this.defaultPath = (settings.defaultPath() != null) ? SocketPaths.canonical(settings.defaultPath()) : null;
		this.listenerFactory = listenerFactory;
		this.eventExecutor = ManagerThreads.eventExecutor(this.name);
		this.noticeExecutor = ManagerThreads.noticeExecutor(this.name);
		this.events = new SocketEvents(settings.eventListeners(), this.eventExecutor, SocketEvents.LINGER);
		this.leaks = new LeakTracker(settings.leakDetection(), this.events);
		this.scheduler = new ScheduledThreadPoolExecutor(1, ConnectionThreads.daemons(this.name + "-scheduler-"));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.bindExecutor = ManagerThreads.bindExecutor(this.name);
		this.workExecutor = ManagerThreads.workExecutor(this.name);
		boolean virtual = settings.virtualThreads() && ConnectionThreads.virtualThreadsAvailable();
		this.connectionExecutor = ConnectionThreads.create(this.name, virtual);
		this.eventLoops = new EventLoops(this.name, settings.eventLoopThreads());
		this.pendingTakeovers = settings.holdTakeovers() ? PendingTakeovers.held() : PendingTakeovers.immediate();
		this.listenerContext = new ListenerContext(this.name, this.connectionExecutor, this.eventLoops, this.scheduler,
				new ConnectionTimeouts(this.scheduler), new BufferBudget(settings.maxBufferedBytes()), this.events,
				new AtomicLong()::incrementAndGet, this.pendingTakeovers);
		long leakMillis = LEAK_CHECK_INTERVAL.toMillis();
		this.scheduler.scheduleWithFixedDelay(this.leaks::drain, leakMillis, leakMillis, TimeUnit.MILLISECONDS);
		this.scheduler.scheduleWithFixedDelay(this.eventLoops::reportBlockedLoops, 1, 1, TimeUnit.SECONDS);
		if (!settings.fileCheckInterval().isZero()) {
			long fileMillis = settings.fileCheckInterval().toMillis();
			this.scheduler.scheduleWithFixedDelay(this::queueFileChecks, fileMillis, fileMillis, TimeUnit.MILLISECONDS);
		}
		this.fileWatcher = new SocketFileWatcher(this.name, this::fileChanged);
		this.shutdownHook = settings.shutdownHook() ? new Thread(this::close, this.name + "-shutdown") : null;
		if (this.shutdownHook != null) {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
	}

	/**
	 * A manager whose sockets are served by real Unix-domain listeners.
	 * @param settings the settings
	 * @return a new manager
	 */
	public static DefaultSocketManager create(SocketManagerSettings settings) {
		return new DefaultSocketManager(settings, UnixSocketListener::open);
	}

	/**
	 * A manager whose sockets are served by the given listeners: the test hook for measuring and
	 * testing the registry without sockets.
	 * @param settings the settings
	 * @param listenerFactory opens the listener of each new socket generation
	 * @return a new manager
	 */
	public static DefaultSocketManager create(SocketManagerSettings settings, Listener.Factory listenerFactory) {
		return new DefaultSocketManager(settings, Objects.requireNonNull(listenerFactory, "'listenerFactory' must not be null"));
	}

	private static Map<String, SocketOptions> canonicalKeys(Map<String, SocketOptions> options) {
		Map<String, SocketOptions> canonical = new HashMap<>();
		options.forEach((path, pathOptions) -> canonical.put(SocketPaths.canonical(path), pathOptions));
		return Map.copyOf(canonical);
	}

	@Override
	public SocketReference getOrCreate(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = this.registry.get(path);
		if (generation != null && generation.isReady()) {
			SocketReference reference = generation.tryNewReference();
			if (reference != null) {
				return reference;
			}
		}
		return acquireOrBind(path, false);
	}

	@Deprecated
	@Override
	public SocketReference registerNewSocket(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		return acquireOrBind(path, true);
	}

	@Override
	public Optional<SocketReference> getExisting(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		return (generation != null && generation.isReady()) ? Optional.ofNullable(generation.tryNewReference())
				: Optional.empty();
	}

	@Override
	public SocketPool pool(String basePath, int size) {
		Objects.requireNonNull(basePath, "'basePath' must not be null");
		if (size < 1) {
			throw new IllegalArgumentException("'size' must be positive, got " + size);
		}
		String base = SocketPaths.canonical(basePath);
		PoolKey key = new PoolKey(base, size);
		BalancedSocketPool pool = this.pools.get(key);
		if (pool != null) {
			return pool;
		}
		List<String> members = new ArrayList<>(size);
		for (int index = 0; index < size; index++) {
			members.add(SocketPaths.canonical(SocketPool.memberPath(base, index)));
		}
		return this.pools.computeIfAbsent(key, (absent) -> new BalancedSocketPool(this, base, members));
	}

	/**
	 * The exact reference count of the socket at a canonical path, 0 if it has none: one map
	 * read, no snapshot.
	 */
	int referenceCountOf(String canonicalPath) {
		SocketGeneration generation = this.registry.get(canonicalPath);
		return (generation != null) ? generation.referenceCount() : 0;
	}

	@Override
	public CompletableFuture<SocketReference> startSocketListenerWithReference(@Nullable String path) {
		try {
			return CompletableFuture.supplyAsync(() -> getOrCreate((path != null) ? path : defaultSocketPath()),
					this.bindExecutor);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(shutDownException());
		}
	}

	@Override
	public void startSocketListenerWithReference(@Nullable String path,
			BiConsumer<? super @Nullable SocketReference, ? super @Nullable Throwable> callback) {
		Objects.requireNonNull(callback, "'callback' must not be null");
		startSocketListenerWithReference(path).whenComplete((reference, failure) -> {
			try {
				callback.accept(reference, unwrap(failure));
			}
			catch (RuntimeException | Error ex) {
				// Nobody else would close the reference the callback was given.
				if (reference != null) {
					reference.close();
				}
				logger.log(System.Logger.Level.WARNING, "Socket listener callback failed"
						+ ((reference != null) ? "; the reference it was given to '" + reference.path() + "' is closed" : ""),
						ex);
			}
		});
	}

	@Deprecated
	@Override
	public CompletableFuture<String> startSocketListener(@Nullable String path) {
		return startSocketListenerWithReference(path).thenApply((reference) -> {
			this.heldReferences.add(reference);
			return reference.path();
		});
	}

	@Override
	public boolean isSocketActive(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		return generation != null && generation.isServing();
	}

	@Override
	public int activeSocketCount() {
		int count = 0;
		for (SocketGeneration generation : this.registry.values()) {
			if (generation.isServing()) {
				count++;
			}
		}
		return count;
	}

	@Override
	public void cleanupAllSockets() {
		for (SocketGeneration generation : this.registry.values()) {
			generation.kill(null);
		}
		this.heldReferences.clear();
	}

	@Override
	public CompletableFuture<Void> shutdownSocket(String path, Duration timeout) {
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(timeout, "'timeout' must not be null");
		SocketGeneration generation = lookup(path);
		CompletableFuture<Void> done = (generation != null) ? generation.kill(timeout) : null;
		return (done != null) ? done : CompletableFuture.completedFuture(null);
	}

	@Override
	public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
		Objects.requireNonNull(timeout, "'timeout' must not be null");
		this.shuttingDown = true;
		List<CompletableFuture<Void>> drains = new ArrayList<>();
		for (SocketGeneration generation : this.registry.values()) {
			CompletableFuture<Void> drained = generation.kill(timeout);
			if (drained != null) {
				drains.add(drained);
			}
		}
		this.heldReferences.clear();
		// Drains already under way (a handover, a socket stopped gracefully before) keep their
		// own deadlines, and are waited for too.
		drains.addAll(this.drainsInProgress.values());
		// Each drain completes when its connections end or, at the latest, at the deadline.
		return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
			.whenComplete((result, failure) -> stopThreads());
	}

	@Override
	public List<String> completeTakeovers() {
		return this.pendingTakeovers.release();
	}

	@Override
	public void close() {
		this.shuttingDown = true;
		cleanupAllSockets();
		// Sockets still draining from a graceful stop are no longer in the registry: end their
		// drains now, before the scheduler that holds their deadlines stops.
		for (Runnable endDrain : this.drainsInProgress.keySet()) {
			endDrain.run();
		}
		stopThreads();
	}

	@Override
	public boolean isShuttingDown() {
		return this.shuttingDown;
	}

	@Override
	public String defaultSocketPath() {
		String path = this.defaultPath;
		if (path == null) {
			synchronized (this) {
				path = this.defaultPath;
				if (path == null) {
					path = DefaultSocketPath.create();
					this.defaultPath = path;
				}
			}
		}
		return path;
	}

	@Override
	public int totalReferenceCount() {
		int total = 0;
		for (SocketGeneration generation : this.registry.values()) {
			total += generation.referenceCount();
		}
		return total;
	}

	@Override
	public void addEventListener(SocketEventListener listener) {
		this.events.add(Objects.requireNonNull(listener, "'listener' must not be null"));
	}

	@Override
	public void removeEventListener(SocketEventListener listener) {
		this.events.remove(Objects.requireNonNull(listener, "'listener' must not be null"));
	}

	@Override
	public long leakCount() {
		return this.leaks.leakCount();
	}

	@Override
	public List<SocketSnapshot> snapshots() {
		Collection<SocketGeneration> generations = this.registry.values();
		List<SocketSnapshot> snapshots = new ArrayList<>(generations.size());
		for (SocketGeneration generation : generations) {
			snapshots.add(generation.snapshot());
		}
		this.takenOver.forEach((path, snapshot) -> {
			if (!this.registry.containsKey(path)) {
				snapshots.add(snapshot.get());
			}
		});
		return snapshots;
	}

	@Override
	public Optional<SocketSnapshot> snapshot(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		if (generation != null) {
			return Optional.of(generation.snapshot());
		}
		Supplier<SocketSnapshot> taken = this.takenOver.get(canonicalOrSame(path));
		return (taken != null) ? Optional.of(taken.get()) : Optional.empty();
	}

	@Override
	public List<ReferenceHolder> referenceHolders(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		return (generation != null) ? this.leaks.holders(generation) : List.of();
	}

	@Override
	public OptionalInt holderIdentity(SocketReference reference) {
		if (reference instanceof CountedSocketReference counted) {
			LeakTracker.Tracked tracked = counted.tracked();
			if (tracked != null) {
				return OptionalInt.of(tracked.identity());
			}
		}
		return OptionalInt.empty();
	}

	@Override
	public SocketOptions optionsFor(String path) {
		SocketOptions options = this.socketOptions.get(path);
		if (options == null) {
			options = this.socketOptions.get(canonicalOrSame(path));
		}
		return (options != null) ? options : this.defaults;
	}

	@Override
	public String getName() {
		return this.name;
	}

	private SocketReference acquireOrBind(String path, boolean mustCreate) {
		String key = SocketPaths.canonical(path);
		for (;;) {
			if (this.shuttingDown) {
				throw shutDownException();
			}
			SocketGeneration existing = this.registry.get(key);
			if (existing == null) {
				SocketGeneration created = tryCreate(key);
				if (created != null) {
					return new CountedSocketReference(created, SocketGeneration.CENTRAL, this.leaks);
				}
				continue;
			}
			if (mustCreate && !existing.isDead()) {
				throw new SocketInUseException(key, "Socket '" + key + "' is already served by this manager");
			}
			awaitBound(existing);
			SocketReference reference = existing.tryNewReference();
			if (reference != null) {
				return reference;
			}
			// Cleanup has begun: wait until it has removed the file and the entry, then bind anew.
			existing.terminated().join();
		}
	}

	/**
	 * Create, publish and bind a new generation, unless another caller published one first.
	 * <p>
	 * The socket slot is reserved only by the caller whose generation won the
	 * {@code putIfAbsent}: reserving first would let the losers of a race for one new path take
	 * slots too, and at the limit refuse callers that were only going to share the new socket.
	 * Between the put and the reservation the generation is visible but not bound; callers that
	 * meet it wait for its {@code bound} future, so a refused reservation fails them the same way.
	 */
	private @Nullable SocketGeneration tryCreate(String key) {
		SocketGeneration created = new SocketGeneration(this, key, this.generationNumbers.incrementAndGet(),
				optionsFor(key));
		if (this.registry.putIfAbsent(key, created) != null) {
			return null;
		}
		// A socket taken over at this path is shown until the path has a socket again.
		this.takenOver.remove(key);
		try {
			reserveSocketSlot(key);
		}
		catch (SocketLimitException ex) {
			created.refuse(ex);
			throw ex;
		}
		created.bind(this.listenerFactory, this.listenerContext);
		if (created.options().takeover()) {
			this.fileWatcher.watch(key);
			if (!created.watched()) {
				// Ended meanwhile, without a watch to cancel: cancel this one.
				this.fileWatcher.unwatch(key);
			}
		}
		if (this.shuttingDown) {
			// Shutdown began while binding and may not have seen this generation.
			created.kill(null);
			throw shutDownException();
		}
		return created;
	}

	private void reserveSocketSlot(String key) {
		int slots = this.socketSlots.incrementAndGet();
		if (this.maxSockets != -1 && slots > this.maxSockets) {
			this.socketSlots.decrementAndGet();
			throw new SocketLimitException(key, SocketLimitException.Kind.SOCKETS, "Cannot create socket '" + key
					+ "': the manager already has " + this.maxSockets + " sockets, its limit of sockets", this.maxSockets);
		}
	}

	private static void awaitBound(SocketGeneration generation) {
		try {
			generation.bound().join();
		}
		catch (CompletionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	private @Nullable SocketGeneration lookup(String path) {
		SocketGeneration generation = this.registry.get(path);
		return (generation != null) ? generation : this.registry.get(canonicalOrSame(path));
	}

	private static String canonicalOrSame(String path) {
		try {
			return SocketPaths.canonical(path);
		}
		catch (SocketPathException ex) {
			return path;
		}
	}

	/**
	 * The timer's periodic task: queue one run of every socket's file check on the work
	 * executor, unless one is still queued.
	 */
	private void queueFileChecks() {
		if (this.fileChecksQueued.compareAndSet(false, true)) {
			executeWork(() -> {
				this.fileChecksQueued.set(false);
				this.registry.values().forEach(this::requestFileCheck);
			});
		}
	}

	/**
	 * Check a socket's file on the work executor. Checks of one socket never overlap: a request
	 * made while one runs makes it run once more.
	 */
	private void requestFileCheck(SocketGeneration generation) {
		if (generation.checkRequests.getAndIncrement() == 0) {
			executeWork(() -> {
				int handled;
				do {
					handled = generation.checkRequests.get();
					checkFile(generation);
				}
				while (generation.checkRequests.addAndGet(-handled) != 0);
			});
		}
	}

	private void checkFile(SocketGeneration generation) {
		Listener listener = generation.listener();
		if (listener == null || generation.isDead()) {
			return;
		}
		try {
			if (listener.checkFile() == SocketSnapshot.FileStatus.REPLACED) {
				judgeReplacement(generation, listener);
			}
		}
		catch (RuntimeException ex) {
			logger.log(System.Logger.Level.WARNING, "Checking socket file '" + generation.path() + "' failed", ex);
		}
	}

	/**
	 * The socket's file was replaced: the registry alone decides whether it was taken over.
	 * Only a file that {@link SocketFileJudge} finds a trusted server's is; a file that gives no
	 * answer (a busy server, a file changing) is judged again later, never reported; anything
	 * else is reported as foreign, once per file.
	 */
	private void judgeReplacement(SocketGeneration generation, Listener listener) {
		Path file = Path.of(generation.path());
		SocketOptions options = generation.options();
		if (!options.takeover()) {
			generation.foreignFile(UnixSocketBinder.fileKey(file), "this socket does not allow takeover");
			return;
		}
		SocketFileJudge.Judgement judgement = SocketFileJudge.judge(file, options.serverPolicy(),
				SocketFileJudge.BUSY_DEADLINE, this::isOwnFile);
		switch (judgement.verdict()) {
			case TRUSTED -> {
				if (generation.handOver(listener)) {
					logger.log(System.Logger.Level.INFO, "Socket '" + generation.path() + "' was taken over by"
							+ " another process (" + judgement.reason() + "); it hands over: it accepts the"
							+ " connections already queued, stops accepting and lets its connections finish");
				}
			}
			case BUSY, CHANGED -> {
				logger.log(System.Logger.Level.INFO, "The file that replaced socket '" + generation.path()
						+ "' cannot be judged yet (" + judgement.reason() + "); it is checked again in "
						+ JUDGE_AGAIN.toMillis() + " ms");
				scheduleWork(() -> requestFileCheck(generation), JUDGE_AGAIN);
			}
			case ABSENT -> requestFileCheck(generation);
			default -> generation.foreignFile(judgement.fileKey(), judgement.reason());
		}
	}

	/**
	 * Whether a file is one of the sockets this manager listens on: connecting to it reaches this
	 * manager, so it never takes over this manager's own socket.
	 */
	private boolean isOwnFile(Object fileKey) {
		for (SocketGeneration generation : this.registry.values()) {
			Listener listener = generation.listener();
			if (listener != null && fileKey.equals(listener.fileKey())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * An entry of a watched directory changed: check the socket at that path now.
	 * @param path the entry's path, or {@code null} if events were lost
	 */
	private void fileChanged(@Nullable String path) {
		if (path == null) {
			queueFileChecks();
			return;
		}
		SocketGeneration generation = this.registry.get(path);
		if (generation != null && generation.options().takeover()) {
			requestFileCheck(generation);
		}
	}

	/**
	 * A socket began to hand over: show it until a socket is bound at its path again, and let
	 * {@link #close()} end its handover and a graceful shutdown wait for it. Once the handover
	 * ends, the generation is dropped and only its last snapshot is kept.
	 * @param generation the generation taken over
	 * @param endNow ends the handover at once
	 * @param done completed when the handover ended
	 */
	void handoverStarted(SocketGeneration generation, Runnable endNow, CompletableFuture<Void> done) {
		this.takenOver.put(generation.path(), generation::snapshot);
		drainStarted(endNow, done);
		done.whenComplete((result, failure) -> {
			drainEnded(endNow);
			SocketSnapshot last = generation.snapshot();
			this.takenOver.computeIfPresent(generation.path(), (path, shown) -> () -> last);
		});
	}

	private void stopThreads() {
		if (this.threadsStopped.getAndIncrement() != 0) {
			return;
		}
		this.scheduler.shutdownNow();
		this.fileWatcher.close();
		// Checks and handovers still queued run, and find their sockets dead.
		this.workExecutor.shutdown();
		// Binds already queued still run, and fail: the manager is shutting down.
		this.bindExecutor.shutdown();
		// Events still reported (a connection ending late) are delivered; the threads then end.
		ManagerThreads.windDown(this.eventExecutor);
		ManagerThreads.windDown(this.noticeExecutor);
		this.connectionExecutor.shutdown();
		this.eventLoops.close();
		Thread hook = this.shutdownHook;
		if (hook != null && Thread.currentThread() != hook) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// The JVM is already shutting down.
			}
		}
	}

	private IllegalStateException shutDownException() {
		return new IllegalStateException("SocketManager '" + this.name + "' is shut down");
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private record PoolKey(String basePath, int size) {
	}

	/**
	 * Run a task on the work executor after a delay: the timer only hands it over.
	 */
	Future<?> scheduleWork(Runnable task, Duration delay) {
		return schedule(() -> executeWork(task), delay);
	}

	private void executeWork(Runnable task) {
		try {
			this.workExecutor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Stopped: run now rather than never, so a linger or handover is not lost.
			task.run();
		}
	}

	Future<?> schedule(Runnable task, Duration delay) {
		try {
			return this.scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopped: run now rather than never, so a linger or deadline is not lost.
			task.run();
			return CompletableFuture.completedFuture(null);
		}
	}

	/**
	 * Complete stop notices on the notice threads, so that the thread stopping the socket runs no
	 * action of the holders'. The notice executor takes every task, even after the manager
	 * stopped.
	 */
	<T> void completeOnEventThread(List<CompletableFuture<T>> futures, T value) {
		// One task per future: a holder's action that blocks holds back no other holder's notice
		// while a notice thread is free (see ManagerThreads.NOTICE_THREADS).
		for (CompletableFuture<T> future : futures) {
			Runnable complete = () -> future.complete(value);
			try {
				this.noticeExecutor.execute(complete);
			}
			catch (RejectedExecutionException ex) {
				CompletableFuture.runAsync(complete);
			}
		}
	}

	void drainStarted(Runnable endDrain, CompletableFuture<Void> done) {
		this.drainsInProgress.put(endDrain, done);
	}

	void drainEnded(Runnable endDrain) {
		this.drainsInProgress.remove(endDrain);
	}

	void generationTerminated(SocketGeneration generation) {
		if (this.registry.remove(generation.path(), generation)) {
			this.socketSlots.decrementAndGet();
		}
		if (generation.unwatched()) {
			this.fileWatcher.unwatch(generation.path());
		}
	}

	SocketEventListener events() {
		return this.events;
	}

	LeakTracker leaks() {
		return this.leaks;
	}

	ConcurrentHashMap<String, SocketGeneration> registry() {
		return this.registry;
	}

}
