package io.github.glidesocket.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A registry of reference-counted Unix-domain-socket listeners. The first reference to a path
 * binds a socket there; the last {@link SocketReference#close() close} closes it and removes its
 * file. See {@link SocketReference} for the counting contract.
 * <p>
 * <b>Concurrency.</b> The registry is a {@link ConcurrentHashMap} from canonical path to the
 * path's current {@code SocketGeneration}; there is no manager-wide lock. Acquiring a reference to
 * a bound socket is one map read and one compare-and-set on the socket's count. Creating a socket
 * puts a new generation in the map with {@code putIfAbsent} (so at most one generation per path
 * exists) and binds it outside any lock; concurrent callers for the same path wait for that bind
 * and share the socket. A caller that finds a generation whose cleanup has begun waits for the
 * cleanup to remove it (microseconds), then binds a new one: a dying socket is never handed out,
 * and its cleanup, which checks both the map entry and the file's inode, never touches the new
 * one.
 * <p>
 * <b>Threads.</b> Each manager owns a scheduler thread (cleanup delays, leak detection, file
 * checks), one platform accept thread per bound socket, and the threads that run connection
 * handlers. {@link #close()} and {@link #shutdownGracefully(Duration)} stop all of them.
 * <p>
 * The correspondence with the functions of the original design is given on each method.
 */
public final class SocketManager implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final Duration LEAK_CHECK_INTERVAL = Duration.ofSeconds(1);

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

	private final ExecutorService connectionExecutor;

	private final EventLoops eventLoops;

	private final ListenerContext listenerContext;

	/** References the manager holds for the legacy {@link #startSocketListener(String)}. */
	private final Set<SocketReference> heldReferences = ConcurrentHashMap.newKeySet();

	private final @Nullable Thread shutdownHook;

	private volatile @Nullable String defaultPath;

	private volatile boolean shuttingDown;

	private final AtomicInteger threadsStopped = new AtomicInteger();

	private SocketManager(Builder builder) {
		this.name = builder.name;
		this.defaults = builder.defaults;
		this.socketOptions = Map.copyOf(builder.socketOptions);
		this.maxSockets = builder.maxSockets;
		this.defaultPath = builder.defaultPath;
		this.listenerFactory = (builder.listenerFactory != null) ? builder.listenerFactory : UnixSocketListener::open;
		this.events = new SocketEvents(builder.eventListeners);
		this.leaks = new LeakTracker(builder.leakDetection, this.events);
		this.scheduler = new ScheduledThreadPoolExecutor(1,
				ConnectionThreads.platformThreadFactory(this.name + "-scheduler-", true));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.connectionExecutor = ConnectionThreads.create(this.name);
		if (builder.virtualThreads) {
			logger.log(System.Logger.Level.WARNING, "Manager '" + this.name + "': virtual threads were requested for"
					+ " connection handlers; they run on platform threads, because a blocked read on a virtual thread"
					+ " holds one of the few carrier threads and idle connections would stop all others."
					+ " Serve many connections with an event handler instead");
		}
		this.eventLoops = new EventLoops(this.name, builder.eventLoopThreads);
		this.listenerContext = new ListenerContext(this.name, this.connectionExecutor, this.eventLoops, this.events,
				new AtomicLong());
		long leakMillis = LEAK_CHECK_INTERVAL.toMillis();
		this.scheduler.scheduleWithFixedDelay(this.leaks::drain, leakMillis, leakMillis, TimeUnit.MILLISECONDS);
		if (!builder.fileCheckInterval.isZero()) {
			long fileMillis = builder.fileCheckInterval.toMillis();
			this.scheduler.scheduleWithFixedDelay(this::checkFiles, fileMillis, fileMillis, TimeUnit.MILLISECONDS);
		}
		this.shutdownHook = builder.shutdownHook ? new Thread(this::close, this.name + "-shutdown") : null;
		if (this.shutdownHook != null) {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
	}

	/**
	 * A manager with every default: owner-only sockets, same-user peers, no handler, leak
	 * detection {@link LeakDetection#SIMPLE}, and a JVM shutdown hook that removes its sockets.
	 * @return a new manager
	 */
	public static SocketManager create() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a new reference to the socket at the path, binding it if the path has no live socket
	 * in this manager. Atomic: concurrent calls for one path bind at most once and all share the
	 * socket. Original design: {@code SocketReference::get_or_create}.
	 * @param path the socket path; relative paths are resolved against the working directory
	 * @return a new reference, which the caller must close
	 * @throws SocketPathException if the path is unusable; nothing at the path is changed
	 * @throws SocketInUseException if another process serves a socket at the path
	 * @throws SocketLimitException if the socket or the manager is at its limit
	 * @throws IllegalStateException if the manager is shut down
	 */
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

	/**
	 * Bind a new socket at the path and return its first reference, failing if this manager
	 * already serves one there. Original design: {@code register_new_socket}.
	 * @param path the socket path
	 * @return the first reference to the new socket
	 * @throws SocketInUseException if a socket is already live at the path
	 * @deprecated use {@link #getOrCreate(String)}, which is atomic and shares an existing socket
	 */
	@Deprecated
	public SocketReference registerNewSocket(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		return acquireOrBind(path, true);
	}

	/**
	 * Return a new reference to the socket at the path if this manager serves one there. A socket
	 * still binding or already closing counts as absent. Original design:
	 * {@code SocketReference::get_existing}.
	 * @param path the socket path
	 * @return a new reference, or empty
	 */
	public Optional<SocketReference> getExisting(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		return (generation != null && generation.isReady()) ? Optional.ofNullable(generation.tryNewReference())
				: Optional.empty();
	}

	/**
	 * Start a listener at the path (or at {@link #defaultSocketPath()}) on the manager's
	 * scheduler thread. Original design: {@code start_socket_listener_with_reference}.
	 * @param path the socket path, or {@code null} for the default path
	 * @return a future of the new reference; it fails with the exceptions of
	 * {@link #getOrCreate(String)}
	 */
	public CompletableFuture<SocketReference> startSocketListenerWithReference(@Nullable String path) {
		try {
			return CompletableFuture.supplyAsync(() -> getOrCreate((path != null) ? path : defaultSocketPath()),
					this.scheduler);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(shutDownException());
		}
	}

	/**
	 * Start a listener and pass the result to a callback, which owns the reference it receives.
	 * Original design: {@code start_socket_listener_with_reference(init_callback, socket_path)}.
	 * @param path the socket path, or {@code null} for the default path
	 * @param callback receives the reference, or {@code null} and the failure
	 */
	public void startSocketListenerWithReference(@Nullable String path,
			BiConsumer<? super @Nullable SocketReference, ? super @Nullable Throwable> callback) {
		Objects.requireNonNull(callback, "'callback' must not be null");
		startSocketListenerWithReference(path).whenComplete((reference, failure) -> {
			try {
				callback.accept(reference, unwrap(failure));
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "Socket listener callback failed", ex);
			}
		});
	}

	/**
	 * Start a listener at the default path and pass the result to a callback. Original design:
	 * {@code start_socket_listener_ref}.
	 * @param callback receives the reference, or {@code null} and the failure
	 */
	public void startSocketListenerRef(
			BiConsumer<? super @Nullable SocketReference, ? super @Nullable Throwable> callback) {
		startSocketListenerWithReference(null, callback);
	}

	/**
	 * Start a listener that the manager itself references until it shuts down or
	 * {@link #cleanupAllSockets()} runs. Original design: {@code start_socket_listener}.
	 * @param path the socket path, or {@code null} for the default path
	 * @return a future of the socket's path
	 * @deprecated use {@link #startSocketListenerWithReference(String)} and close the reference
	 */
	@Deprecated
	public CompletableFuture<String> startSocketListener(@Nullable String path) {
		return startSocketListenerWithReference(path).thenApply((reference) -> {
			this.heldReferences.add(reference);
			return reference.path();
		});
	}

	/**
	 * Whether a socket is bound at the path, with references or lingering. Original design:
	 * {@code is_socket_active}.
	 * @param path the socket path
	 * @return whether the path has a live socket
	 */
	public boolean isSocketActive(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		return generation != null && generation.isServing();
	}

	/**
	 * The number of bound sockets, with references or lingering. Original design:
	 * {@code active_socket_count}.
	 * @return the count
	 */
	public int activeSocketCount() {
		int count = 0;
		for (SocketGeneration generation : this.registry.values()) {
			if (generation.isServing()) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Close every socket at once: connections are closed, files removed, and every outstanding
	 * reference becomes inactive (its {@code close()} does nothing). The manager stays usable.
	 * Original design: {@code cleanup_all_sockets}.
	 */
	public void cleanupAllSockets() {
		for (SocketGeneration generation : this.registry.values()) {
			generation.kill(null);
		}
		this.heldReferences.clear();
	}

	/**
	 * Stop one socket gracefully: stop accepting and remove the file at once (the path is free for
	 * a new socket), then let connections finish until the timeout and close the rest. Every
	 * reference to it becomes inactive.
	 * @param path the socket path
	 * @param timeout how long connections may take to finish
	 * @return a future completed when no connection is left
	 */
	public CompletableFuture<Void> shutdownSocket(String path, Duration timeout) {
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(timeout, "'timeout' must not be null");
		SocketGeneration generation = lookup(path);
		CompletableFuture<Void> done = (generation != null) ? generation.kill(timeout) : null;
		return (done != null) ? done : CompletableFuture.completedFuture(null);
	}

	/**
	 * Shut the manager down gracefully: refuse new references, stop accepting on every socket and
	 * remove the files, let connections finish until the timeout, close the rest, and stop the
	 * manager's threads. Returns at once.
	 * @param timeout how long connections may take to finish
	 * @return a future completed when the manager is stopped
	 */
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
		// Each drain completes when its connections end or, at the latest, at the deadline.
		return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
			.whenComplete((result, failure) -> stopThreads());
	}

	/**
	 * Close every socket at once and stop the manager's threads. Idempotent.
	 */
	@Override
	public void close() {
		this.shuttingDown = true;
		cleanupAllSockets();
		stopThreads();
	}

	/**
	 * Whether {@link #close()} or {@link #shutdownGracefully(Duration)} has been called.
	 * @return whether the manager is shutting down or stopped
	 */
	public boolean isShuttingDown() {
		return this.shuttingDown;
	}

	/**
	 * The path used when a listener is started without one, created on first use in a private
	 * per-user directory under the temporary directory.
	 * @return the default path
	 */
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

	/**
	 * The sum of the reference counts of all sockets.
	 * @return the total
	 */
	public int totalReferenceCount() {
		int total = 0;
		for (SocketGeneration generation : this.registry.values()) {
			total += generation.referenceCount();
		}
		return total;
	}

	/**
	 * Add a listener that receives every event from now on, for example a metrics binder created
	 * after the manager.
	 * @param listener the listener
	 */
	public void addEventListener(SocketEventListener listener) {
		this.events.add(Objects.requireNonNull(listener, "'listener' must not be null"));
	}

	/**
	 * Remove a listener added with {@link #addEventListener} or the builder.
	 * @param listener the listener
	 */
	public void removeEventListener(SocketEventListener listener) {
		this.events.remove(Objects.requireNonNull(listener, "'listener' must not be null"));
	}

	/**
	 * The number of connections being served on all sockets.
	 * @return the total
	 */
	public int activeConnectionCount() {
		int total = 0;
		for (SocketSnapshot snapshot : snapshots()) {
			total += snapshot.connections();
		}
		return total;
	}

	/**
	 * How many references were collected without being closed since the manager started.
	 * @return the count
	 */
	public long leakCount() {
		return this.leaks.leakCount();
	}

	/**
	 * The state of every socket in the registry.
	 * @return one snapshot per socket
	 */
	public List<SocketSnapshot> snapshots() {
		Collection<SocketGeneration> generations = this.registry.values();
		List<SocketSnapshot> snapshots = new ArrayList<>(generations.size());
		for (SocketGeneration generation : generations) {
			snapshots.add(generation.snapshot());
		}
		return snapshots;
	}

	/**
	 * The state of the socket at the path.
	 * @param path the socket path
	 * @return the snapshot, or empty if the manager has no socket there
	 */
	public Optional<SocketSnapshot> snapshot(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		SocketGeneration generation = lookup(path);
		return (generation != null) ? Optional.of(generation.snapshot()) : Optional.empty();
	}

	/**
	 * The options a socket at the path is bound with.
	 * @param path the socket path
	 * @return the path's own options, or the manager's defaults
	 */
	public SocketOptions optionsFor(String path) {
		SocketOptions options = this.socketOptions.get(path);
		if (options == null) {
			options = this.socketOptions.get(canonicalOrSame(path));
		}
		return (options != null) ? options : this.defaults;
	}

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
					return new SocketReference(created, SocketGeneration.CENTRAL, this.leaks);
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

	private @Nullable SocketGeneration tryCreate(String key) {
		reserveSocketSlot(key);
		SocketGeneration created = new SocketGeneration(this, key, this.generationNumbers.incrementAndGet(),
				optionsFor(key));
		if (this.registry.putIfAbsent(key, created) != null) {
			this.socketSlots.decrementAndGet();
			return null;
		}
		created.bind(this.listenerFactory, this.listenerContext);
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

	private void checkFiles() {
		for (SocketGeneration generation : this.registry.values()) {
			Listener listener = generation.listener();
			if (listener != null && !generation.isDead()) {
				try {
					listener.checkFile();
				}
				catch (RuntimeException ex) {
					logger.log(System.Logger.Level.WARNING, "Checking socket file '" + generation.path() + "' failed", ex);
				}
			}
		}
	}

	private void stopThreads() {
		if (this.threadsStopped.getAndIncrement() != 0) {
			return;
		}
		this.scheduler.shutdownNow();
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

	void generationTerminated(SocketGeneration generation) {
		if (this.registry.remove(generation.path(), generation)) {
			this.socketSlots.decrementAndGet();
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

	/**
	 * Builds a {@link SocketManager}.
	 */
	public static final class Builder {

		private String name = "glide-socket";

		private SocketOptions defaults = SocketOptions.defaults();

		private final Map<String, SocketOptions> socketOptions = new HashMap<>();

		private int maxSockets = -1;

		private LeakDetection leakDetection = LeakDetection.SIMPLE;

		private boolean virtualThreads;

		private int eventLoopThreads = Math.min(Runtime.getRuntime().availableProcessors(), 4);

		private final List<SocketEventListener> eventListeners = new ArrayList<>();

		private Duration fileCheckInterval = Duration.ofSeconds(5);

		private boolean shutdownHook = true;

		private @Nullable String defaultPath;

		private Listener.@Nullable Factory listenerFactory;

		private Builder() {
		}

		/**
		 * The name used in thread names and messages. Default {@code glide-socket}.
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			Objects.requireNonNull(name, "'name' must not be null");
			if (name.isBlank()) {
				throw new IllegalArgumentException("'name' must not be blank");
			}
			this.name = name;
			return this;
		}

		/**
		 * The options of every socket that has no options of its own.
		 * @param defaults the options
		 * @return this builder
		 */
		public Builder defaults(SocketOptions defaults) {
			this.defaults = Objects.requireNonNull(defaults, "'defaults' must not be null");
			return this;
		}

		/**
		 * Options for the socket at one path.
		 * @param path the socket path
		 * @param options the options
		 * @return this builder
		 */
		public Builder socket(String path, SocketOptions options) {
			Objects.requireNonNull(path, "'path' must not be null");
			Objects.requireNonNull(options, "'options' must not be null");
			this.socketOptions.put(SocketPaths.canonical(path), options);
			return this;
		}

		/**
		 * The most sockets the manager binds at once; {@code -1} (the default) means no limit.
		 * @param maxSockets the limit
		 * @return this builder
		 */
		public Builder maxSockets(int maxSockets) {
			this.maxSockets = SocketOptions.Builder.positiveOrUnlimited("maxSockets", maxSockets);
			return this;
		}

		public Builder leakDetection(LeakDetection leakDetection) {
			this.leakDetection = Objects.requireNonNull(leakDetection, "'leakDetection' must not be null");
			return this;
		}

		/**
		 * Formerly ran connection handlers on virtual threads; now ignored, with a warning when
		 * {@code true}. With junixsocket, a read blocked on a virtual thread holds one of the
		 * carrier threads (as many as the CPUs) in a native poll, so as many idle connections as
		 * CPUs stopped every other connection from being served. To serve many connections
		 * without a thread each, use a
		 * {@link SocketOptions.Builder#eventHandler(SocketEventHandler) SocketEventHandler}.
		 * @param virtualThreads ignored
		 * @return this builder
		 * @deprecated connection handlers always run on platform threads; use an event handler
		 * for many connections
		 */
		@Deprecated(since = "0.1.0")
		public Builder virtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
			return this;
		}

		/**
		 * How many event-loop threads serve the sockets that have a
		 * {@link SocketOptions.Builder#eventHandler(SocketEventHandler) SocketEventHandler}.
		 * They are platform threads named {@code <name>-loop-N}, started when a connection first
		 * needs one and ended when the manager closes. Default: the number of CPUs, at most 4.
		 * @param eventLoopThreads the number of loop threads, at least 1
		 * @return this builder
		 */
		public Builder eventLoopThreads(int eventLoopThreads) {
			if (eventLoopThreads < 1) {
				throw new IllegalArgumentException("'eventLoopThreads' must be positive, got " + eventLoopThreads);
			}
			this.eventLoopThreads = eventLoopThreads;
			return this;
		}

		/**
		 * Add a listener for socket events; listeners are called in the order added.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder eventListener(SocketEventListener listener) {
			this.eventListeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
			return this;
		}

		/**
		 * How often each socket file is checked; a socket whose file was removed from outside is
		 * bound again. {@link Duration#ZERO} turns the check off. Default 5 seconds.
		 * @param interval the interval
		 * @return this builder
		 */
		public Builder fileCheckInterval(Duration interval) {
			Objects.requireNonNull(interval, "'fileCheckInterval' must not be null");
			if (interval.isNegative()) {
				throw new IllegalArgumentException("'fileCheckInterval' must not be negative, got " + interval);
			}
			this.fileCheckInterval = interval;
			return this;
		}

		/**
		 * Whether to register a JVM shutdown hook that closes the manager, so socket files are
		 * removed when the process ends normally. Default {@code true}; a container that closes
		 * the manager itself turns it off.
		 * @param shutdownHook whether to register the hook
		 * @return this builder
		 */
		public Builder shutdownHook(boolean shutdownHook) {
			this.shutdownHook = shutdownHook;
			return this;
		}

		/**
		 * The path used by the listener-start methods when none is given. Default: a new
		 * {@code glide-socket-<pid>-<uuid>.sock} in a private per-user temporary directory.
		 * @param defaultPath the path
		 * @return this builder
		 */
		public Builder defaultPath(String defaultPath) {
			this.defaultPath = SocketPaths.canonical(Objects.requireNonNull(defaultPath, "'defaultPath' must not be null"));
			return this;
		}

		Builder listenerFactory(Listener.Factory listenerFactory) {
			this.listenerFactory = listenerFactory;
			return this;
		}

		public SocketManager build() {
			return new SocketManager(this);
		}

	}

}
