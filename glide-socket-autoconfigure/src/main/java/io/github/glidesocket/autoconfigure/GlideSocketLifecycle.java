package io.github.glidesocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the configured sockets with the application context and shuts every socket of the
 * manager down gracefully with it.
 * <p>
 * <b>Start.</b> Takes one reference to each configured socket whose {@code listen-on-startup}
 * is true (to each member of a pool) and holds it until stop, so those sockets listen for the
 * application's whole life.
 * Warns once for each socket it listens on that has no {@link io.github.glidesocket.core.SocketConnectionHandler}.
 * <p>
 * <b>While running</b>, a socket it holds may be stopped from outside
 * ({@link SocketManager#cleanupAllSockets()}, {@link SocketManager#shutdownSocket(String, Duration)}),
 * which makes its reference inactive. The lifecycle hears of it from the manager's closed event
 * and takes a new reference, which binds the socket again; if that fails it logs a warning and
 * tries again every {@code glide.socket.file-check-interval}. Meanwhile
 * {@link #unboundSockets()} names the socket and why, which the health indicator reports as DOWN.
 * <p>
 * <b>Stop</b> runs asynchronously, through {@link #stop(Runnable)}: every socket stops
 * accepting and its file is removed at once, connections being served may finish until the
 * drain timeout, the rest are closed, and then the callback runs. Every outstanding
 * {@link SocketReference}, injected or not, becomes inactive. When the context is closing,
 * this is {@link SocketManager#shutdownGracefully(Duration)} and the manager accepts no new
 * reference afterwards; on a plain {@code stop()} of a running context each socket is shut down
 * with {@link SocketManager#shutdownSocket(String, Duration)} instead, so that a later
 * {@link #start()} listens again. A stop releases exactly the references held when it began,
 * once its drain is over: a {@code start()} during the drain takes references of its own, which
 * that stop leaves alone.
 * <p>
 * The drain timeout is {@code spring.lifecycle.timeout-per-shutdown-phase} less a tenth of it
 * (at most one second), so that connections are closed and the callback runs before the
 * context stops waiting for this phase.
 * <p>
 * <b>Phase</b> {@value #PHASE}: one below the phase in which a web server is started and
 * stopped ({@code SmartLifecycle.DEFAULT_PHASE - 2048}), which is below the web server's
 * graceful shutdown ({@code DEFAULT_PHASE - 1024}). Sockets therefore start listening before
 * the web server does, and are shut down only after the web server has drained its requests and
 * stopped, so requests in flight can still use them. All lifecycle phases stop before any bean is
 * destroyed, so the beans that handlers use are still there while connections drain.
 */
public final class GlideSocketLifecycle implements SmartLifecycle, ApplicationContextAware {

	/**
	 * The {@link SmartLifecycle#getPhase() phase} of this lifecycle.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048 - 1;

	private static final Log logger = LogFactory.getLog(GlideSocketLifecycle.class);

	private static final Duration MAX_MARGIN = Duration.ofSeconds(1);

	private static final Duration DEFAULT_REBIND_INTERVAL = Duration.ofSeconds(5);

	private static final String REBINDING = "the socket was stopped from outside while the application listens on it;"
			+ " it is being bound again";

	private final SocketManager manager;

	private final ConfiguredSockets sockets;

	private final Duration shutdownTimeout;

	private final Duration rebindInterval;

	/** Guards {@link #held} and {@link #listening}; never held while binding, except by start(). */
	private final Object lock = new Object();

	/**
	 * The reference held to each listen-on-startup socket, by socket name (a pool member's own
	 * name, see {@link ConfiguredSockets#socketPaths()}), while running.
	 */
	private final Map<String, SocketReference> held = new LinkedHashMap<>();

	/** Why a held socket could not be bound again, by name, until it is. */
	private final Map<String, String> rebindFailures = new ConcurrentHashMap<>();

	private final Set<String> retrying = ConcurrentHashMap.newKeySet();

	private final SocketEventListener stoppedFromOutside = new SocketEventListener() {

		@Override
		public void socketClosed(String path, Duration cleanupTime) {
			rebindStoppedSockets();
		}

	};

	private boolean listening;

	private @Nullable ApplicationContext applicationContext;

	private volatile boolean running;

	/**
	 * Create a new instance that tries again every 5 seconds to bind a socket that was stopped
	 * from outside and could not be bound again at once.
	 * @param manager the manager
	 * @param sockets the configured sockets
	 * @param shutdownTimeout the time this lifecycle's phase may take to stop, normally
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}
	 */
	public GlideSocketLifecycle(SocketManager manager, ConfiguredSockets sockets, Duration shutdownTimeout) {
		this(manager, sockets, shutdownTimeout, DEFAULT_REBIND_INTERVAL);
	}

	/**
	 * Create a new instance.
	 * @param manager the manager
	 * @param sockets the configured sockets
	 * @param shutdownTimeout the time this lifecycle's phase may take to stop, normally
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}
	 * @param rebindInterval how long to wait before trying again to bind a socket that was
	 * stopped from outside and could not be bound again, normally
	 * {@code glide.socket.file-check-interval}; zero to try only when it is stopped
	 */
	public GlideSocketLifecycle(SocketManager manager, ConfiguredSockets sockets, Duration shutdownTimeout,
			Duration rebindInterval) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.sockets = Objects.requireNonNull(sockets, "'sockets' must not be null");
		Objects.requireNonNull(shutdownTimeout, "'shutdownTimeout' must not be null");
		if (shutdownTimeout.isNegative()) {
			throw new IllegalArgumentException("'shutdownTimeout' must not be negative, got " + shutdownTimeout);
		}
		Objects.requireNonNull(rebindInterval, "'rebindInterval' must not be null");
		if (rebindInterval.isNegative()) {
			throw new IllegalArgumentException("'rebindInterval' must not be negative, got " + rebindInterval);
		}
		this.shutdownTimeout = shutdownTimeout;
		this.rebindInterval = rebindInterval;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void start() {
		synchronized (this.lock) {
			if (this.running) {
				return;
			}
			if (!this.listening) {
				this.manager.addEventListener(this.stoppedFromOutside);
				this.listening = true;
			}
			try {
				for (Map.Entry<String, String> socket : this.sockets.paths().entrySet()) {
					String name = socket.getKey();
					String path = socket.getValue();
					List<String> members = this.sockets.memberPaths(name);
					if (this.sockets.isListenOnStartup(name) && !this.manager.optionsFor(members.get(0)).hasHandler()) {
						logger.warn("glide-socket socket '" + name + "' (" + path + ") has no SocketConnectionHandler: "
								+ "its connections will be refused. Define a SocketConnectionHandler or SocketEventHandler bean"
								+ (ConfiguredSockets.DEFAULT.equals(name)
										? " (named '" + SocketHandlers.DEFAULT_HANDLER_BEAN + "' if there are several)"
										: " named '" + name + "'"));
					}
					if (this.sockets.isListenOnStartup(name) && members.size() == 1) {
						this.held.put(name, this.manager.getOrCreate(path));
						logger.info("glide-socket socket '" + name + "' listening on " + path);
					}
					else if (this.sockets.isListenOnStartup(name)) {
						for (int index = 0; index < members.size(); index++) {
							this.held.put(ConfiguredSockets.memberName(name, index), this.manager.getOrCreate(members.get(index)));
						}
						logger.info("glide-socket socket '" + name + "', a pool of " + members.size() + ", listening on "
								+ String.join(", ", members));
					}
				}
			}
			catch (RuntimeException ex) {
				takeHeld().forEach(SocketReference::close);
				throw ex;
			}
			this.rebindFailures.clear();
			this.running = true;
		}
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await(this.shutdownTimeout.toMillis() + MAX_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		List<SocketReference> stopping;
		synchronized (this.lock) {
			this.running = false;
			stopping = takeHeld();
		}
		Duration drainTimeout = drainTimeout(this.shutdownTimeout);
		int connections = this.manager.activeConnectionCount();
		if (drainTimeout.isZero()) {
			logger.info("Shutting down glide-socket sockets immediately, closing " + connections
					+ " active connection(s)");
		}
		else {
			logger.info("Commencing graceful shutdown of glide-socket sockets. Waiting up to " + drainTimeout.toMillis()
					+ "ms for " + connections + " active connection(s) to finish");
		}
		long start = System.nanoTime();
		CompletableFuture<Void> drained;
		try {
			drained = isContextClosing() ? this.manager.shutdownGracefully(drainTimeout) : shutdownEachSocket(drainTimeout);
		}
		catch (RuntimeException ex) {
			logger.warn("Graceful shutdown of glide-socket sockets failed; closing them at once", ex);
			this.manager.cleanupAllSockets();
			drained = CompletableFuture.completedFuture(null);
		}
		drained.whenComplete((result, failure) -> {
			// The sockets are stopped, so these references are inactive and closing them changes no
			// count; a start() during the drain holds references of its own, which stay open.
			stopping.forEach(SocketReference::close);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			if (drainTimeout.isZero()) {
				logger.info("Immediate shutdown of glide-socket sockets complete");
			}
			else if (took.compareTo(drainTimeout) >= 0 && connections > 0) {
				logger.info("Graceful shutdown of glide-socket sockets aborted after " + took.toMillis()
						+ "ms: connections still active were closed");
			}
			else {
				logger.info("Graceful shutdown of glide-socket sockets complete");
			}
			callback.run();
		});
	}

	private CompletableFuture<Void> shutdownEachSocket(Duration drainTimeout) {
		List<CompletableFuture<Void>> drains = new ArrayList<>();
		for (SocketSnapshot snapshot : this.manager.snapshots()) {
			drains.add(this.manager.shutdownSocket(snapshot.path(), drainTimeout));
		}
		return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new));
	}

	private boolean isContextClosing() {
		return !(this.applicationContext instanceof ConfigurableApplicationContext context) || context.isClosed();
	}

	/**
	 * Empty {@link #held} and return what it held. Called with {@link #lock} held.
	 */
	private List<SocketReference> takeHeld() {
		List<SocketReference> taken = new ArrayList<>(this.held.values());
		this.held.clear();
		return taken;
	}

	/**
	 * The sockets this lifecycle listens on that are not bound now, because they were stopped
	 * from outside while it runs, with why; empty while every one is bound or when not running.
	 * Read by the health indicator.
	 * @return the reason by socket name
	 */
	public Map<String, String> unboundSockets() {
		Map<String, String> unbound = new LinkedHashMap<>();
		synchronized (this.lock) {
			if (!this.running) {
				return Collections.emptyMap();
			}
			this.held.forEach((name, reference) -> {
				if (!reference.isActive() && !isTakenOver(name)) {
					unbound.put(name, this.rebindFailures.getOrDefault(name, REBINDING));
				}
			});
		}
		return unbound;
	}

	/**
	 * Take a new reference to each held socket whose reference a stop from outside made
	 * inactive. Runs on the manager's event thread after a socket closed, and on a timer to try
	 * again; binds without holding {@link #lock}.
	 */
	private void rebindStoppedSockets() {
		List<String> names;
		synchronized (this.lock) {
			if (!this.running) {
				return;
			}
			names = new ArrayList<>(this.held.keySet());
		}
		for (String name : names) {
			rebindIfStopped(name);
		}
	}

	private void rebindIfStopped(String name) {
		synchronized (this.lock) {
			SocketReference current = this.held.get(name);
			if (!this.running || current == null || current.isActive()) {
				return;
			}
		}
		if (isTakenOver(name)) {
			// Another process serves the path now: binding again would take it back.
			return;
		}
		String path = this.sockets.socketPaths().get(name);
		SocketReference acquired;
		try {
			acquired = this.manager.getOrCreate(path);
		}
		catch (RuntimeException ex) {
			if (!this.running) {
				return;
			}
			if (this.manager.isShuttingDown()) {
				this.rebindFailures.put(name, "the socket manager was shut down while the application listens on the socket");
				return;
			}
			this.rebindFailures.put(name, "the socket was stopped from outside and binding it again failed: " + ex.getMessage());
			logger.warn("glide-socket socket '" + name + "' (" + path + ") was stopped from outside and binding it again "
					+ "failed" + (this.rebindInterval.isZero() ? "" : "; trying again in " + this.rebindInterval.toMillis() + "ms"),
					ex);
			retryLater(name);
			return;
		}
		SocketReference replaced = null;
		synchronized (this.lock) {
			SocketReference current = this.held.get(name);
			if (this.running && current != null && !current.isActive()) {
				this.held.put(name, acquired);
				this.rebindFailures.remove(name);
				replaced = current;
			}
		}
		if (replaced == null) {
			// Stopped meanwhile, or another call was first.
			acquired.close();
			return;
		}
		replaced.close();
		logger.warn("glide-socket socket '" + name + "' was stopped from outside while the application listens on it;"
				+ " listening again on " + path);
	}

	private void retryLater(String name) {
		if (this.rebindInterval.isZero() || !this.retrying.add(name)) {
			return;
		}
		CompletableFuture.runAsync(() -> {
			this.retrying.remove(name);
			rebindIfStopped(name);
		}, CompletableFuture.delayedExecutor(this.rebindInterval.toMillis(), TimeUnit.MILLISECONDS));
	}

	/**
	 * Whether another process took the socket over ({@code glide.socket.takeover}): it is then
	 * neither bound again nor reported as unbound.
	 */
	private boolean isTakenOver(String name) {
		String path = this.sockets.socketPaths().get(name);
		return path != null && this.manager.snapshot(path)
			.map((snapshot) -> snapshot.state() == SocketSnapshot.State.TAKEN_OVER)
			.orElse(false);
	}

	static Duration drainTimeout(Duration shutdownTimeout) {
		Duration margin = shutdownTimeout.dividedBy(10);
		if (margin.compareTo(MAX_MARGIN) > 0) {
			margin = MAX_MARGIN;
		}
		return shutdownTimeout.minus(margin);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

}
