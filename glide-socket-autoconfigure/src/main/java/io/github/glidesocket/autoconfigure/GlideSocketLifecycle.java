package io.github.glidesocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
 * is true and holds it until stop, so those sockets listen for the application's whole life.
 * Warns once for each configured socket that has no {@link io.github.glidesocket.core.SocketConnectionHandler}.
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

	private final SocketManager manager;

	private final ConfiguredSockets sockets;

	private final Duration shutdownTimeout;

	private final List<SocketReference> held = new ArrayList<>();

	private @Nullable ApplicationContext applicationContext;

	private volatile boolean running;

	/**
	 * Create a new instance.
	 * @param manager the manager
	 * @param sockets the configured sockets
	 * @param shutdownTimeout the time this lifecycle's phase may take to stop, normally
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}
	 */
	public GlideSocketLifecycle(SocketManager manager, ConfiguredSockets sockets, Duration shutdownTimeout) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.sockets = Objects.requireNonNull(sockets, "'sockets' must not be null");
		Objects.requireNonNull(shutdownTimeout, "'shutdownTimeout' must not be null");
		if (shutdownTimeout.isNegative()) {
			throw new IllegalArgumentException("'shutdownTimeout' must not be negative, got " + shutdownTimeout);
		}
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void start() {
		synchronized (this.held) {
			if (this.running) {
				return;
			}
			try {
				for (Map.Entry<String, String> socket : this.sockets.paths().entrySet()) {
					String name = socket.getKey();
					String path = socket.getValue();
					if (!this.manager.optionsFor(path).hasHandler()) {
						logger.warn("glide-socket socket '" + name + "' (" + path + ") has no SocketConnectionHandler: "
								+ "its connections will be refused. Define a SocketConnectionHandler or SocketEventHandler bean"
								+ (ConfiguredSockets.DEFAULT.equals(name)
										? " (named '" + SocketHandlers.DEFAULT_HANDLER_BEAN + "' if there are several)"
										: " named '" + name + "'"));
					}
					if (this.sockets.isListenOnStartup(name)) {
						this.held.add(this.manager.getOrCreate(path));
						logger.info("glide-socket socket '" + name + "' listening on " + path);
					}
				}
			}
			catch (RuntimeException ex) {
				releaseHeld();
				throw ex;
			}
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
		synchronized (this.held) {
			this.running = false;
			stopping = new ArrayList<>(this.held);
			this.held.clear();
		}
		Duration drainTimeout = drainTimeout(this.shutdownTimeout);
		int connections = this.manager.activeConnectionCount();
		logger.info("Commencing graceful shutdown of glide-socket sockets. Waiting up to " + drainTimeout.toMillis()
				+ "ms for " + connections + " active connection(s) to finish");
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
			if (took.compareTo(drainTimeout) >= 0 && connections > 0) {
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
	 * Close what a start that failed half-way acquired.
	 */
	private void releaseHeld() {
		synchronized (this.held) {
			this.held.forEach(SocketReference::close);
			this.held.clear();
		}
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
