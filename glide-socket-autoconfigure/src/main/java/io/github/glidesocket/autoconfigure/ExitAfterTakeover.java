package io.github.glidesocket.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ends the application once every socket it listens on with takeover allowed (from startup, and
 * the web server's socket) has been taken over by another process and handed over
 * ({@code glide.socket.exit-after-takeover}): starting the new version of the application beside
 * the old one is then the whole deploy. A socket that may not be taken over (such as one in a
 * private per-process directory, which a new instance never binds) is not waited for: it stops
 * with the application when it exits. The application exits as a Spring
 * Boot application ends itself: {@link SpringApplication#exit} closes the context (running
 * {@code ExitCodeGenerator} beans; 0 when none says otherwise), then {@code System.exit} with
 * that code. It runs on a thread of its own, since closing the context waits for the manager's
 * threads, one of which reports the handover.
 * <p>
 * Without a socket to listen on that may be taken over, it never exits.
 */
public final class ExitAfterTakeover implements SocketEventListener, ApplicationContextAware, DisposableBean {

	private static final Log logger = LogFactory.getLog(ExitAfterTakeover.class);

	private final SocketManager manager;

	private final Set<String> listened;

	private final IntConsumer systemExit;

	private final Set<String> handedOver = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean exiting = new AtomicBoolean();

	private @Nullable ConfigurableApplicationContext context;

	/**
	 * Create an instance that exits the JVM.
	 * @param manager the manager
	 * @param sockets the configured sockets; those listened on that allow takeover must all be handed
	 * over
	 */
	public ExitAfterTakeover(SocketManager manager, ConfiguredSockets sockets) {
		this(manager, sockets, System::exit);
	}

	/**
	 * Create an instance.
	 * @param manager the manager
	 * @param sockets the configured sockets; those listened on that allow takeover must all be handed
	 * over
	 * @param systemExit ends the process with an exit code
	 */
	public ExitAfterTakeover(SocketManager manager, ConfiguredSockets sockets, IntConsumer systemExit) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.systemExit = Objects.requireNonNull(systemExit, "'systemExit' must not be null");
		Set<String> paths = new LinkedHashSet<>();
		sockets.paths().keySet().stream().filter((name) -> listensOn(sockets, name)).forEach((name) -> {
			// Absolute and normalised, as the manager reports them. A socket that may not be taken
			// over is never handed over: waiting for it would keep this instance alive forever.
			sockets.memberPaths(name)
				.stream()
				.filter((path) -> manager.optionsFor(path).takeover())
				.forEach(paths::add);
		});
		this.listened = Set.copyOf(paths);
		manager.addEventListener(this);
	}

	/**
	 * Whether the application listens on a configured socket for its whole life: from startup,
	 * or (the web socket) while its web server runs.
	 */
	private static boolean listensOn(ConfiguredSockets sockets, String name) {
		return sockets.isListenOnStartup(name) || ConfiguredSockets.WEB.equals(name);
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		if (applicationContext instanceof ConfigurableApplicationContext configurable) {
			this.context = configurable;
		}
	}

	@Override
	public void socketHandedOver(String path) {
		this.handedOver.add(path);
		if (this.listened.isEmpty() || !this.handedOver.containsAll(this.listened)
				|| !this.exiting.compareAndSet(false, true)) {
			return;
		}
		ConfigurableApplicationContext application = this.context;
		logger.info("Every glide-socket socket this application listens on was taken over by another process and"
				+ " handed over; exiting (glide.socket.exit-after-takeover)");
		Thread exit = new Thread(() -> {
			int code = (application != null) ? SpringApplication.exit(application, () -> 0) : 0;
			this.systemExit.accept(code);
		}, "glide-socket-exit-after-takeover");
		exit.start();
	}

	@Override
	public void destroy() {
		this.manager.removeEventListener(this);
	}

}
