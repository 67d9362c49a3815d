package io.github.glidesocket.autoconfigure;

import java.util.List;
import java.util.Objects;

import io.github.glidesocket.core.SocketManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * Lets the sockets that take over a live socket ({@code glide.socket.takeover}) take their paths
 * over once the application is ready ({@link SocketManager#completeTakeovers()}); until then they
 * are bound aside, references to them work, and the process being taken over keeps serving.
 * <p>
 * "Ready" is Spring Boot's {@link ApplicationReadyEvent}: published after every lifecycle bean has
 * started (the web server among them) and after the {@code ApplicationRunner} and
 * {@code CommandLineRunner} beans have run. A start that fails before, in any of those, fails
 * before the rename, so the process being taken over keeps its path and goes on serving; the new
 * one closes its sockets aside. The last lifecycle phase alone would come before the runners.
 * This listener runs last among the listeners of that event, so a listener that fails the start
 * there also does so before the rename. A takeover that cannot complete fails the start.
 * <p>
 * A context that is not run by a {@code SpringApplication} (no {@link ApplicationArguments} bean)
 * never publishes that event: there the takeovers complete when this lifecycle starts, in the
 * last phase, after every other lifecycle bean.
 */
public final class TakeoversOnReady
		implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle, ApplicationContextAware, Ordered {

	private static final Log logger = LogFactory.getLog(TakeoversOnReady.class);

	private final SocketManager manager;

	private @Nullable ApplicationContext applicationContext;

	private volatile boolean running;

	/**
	 * Create a new instance.
	 * @param manager the manager whose takeovers wait
	 */
	public TakeoversOnReady(SocketManager manager) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (event.getApplicationContext() == this.applicationContext) {
			complete();
		}
	}

	@Override
	public void start() {
		this.running = true;
		ApplicationContext context = this.applicationContext;
		if (context == null || context.getBeanProvider(ApplicationArguments.class).getIfAvailable() == null) {
			complete();
		}
	}

	private void complete() {
		List<String> takenOver = this.manager.completeTakeovers();
		if (!takenOver.isEmpty()) {
			logger.info("The application is ready: glide-socket took over " + String.join(", ", takenOver));
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
