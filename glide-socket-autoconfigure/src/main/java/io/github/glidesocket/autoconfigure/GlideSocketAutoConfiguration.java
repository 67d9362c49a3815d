package io.github.glidesocket.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of glide-socket: a {@link SocketManager} built from
 * {@code glide.socket.*}, the {@link GlideSocketLifecycle} that listens on the configured
 * sockets while the context runs and shuts them down gracefully with it, and injectable
 * {@link SocketReference}s.
 * <p>
 * <b>Handlers.</b> See {@link SocketHandlers}: a named socket is served by the
 * {@code SocketConnectionHandler} or {@code SocketEventHandler} bean of its name; the default socket by the bean named
 * {@code glideSocketHandler}, else the only other handler bean, else the {@code @Primary} one.
 * Without a handler a socket is still managed and its connections are refused.
 * <p>
 * <b>Injected references.</b> Each injection point of a {@link SocketReference} (constructor,
 * field, method or {@code @Bean} method parameter, {@code ObjectProvider}) receives a new
 * reference to the default socket, or to the socket named by the qualifier
 * {@link GlideSocket @GlideSocket}: each configured socket has a prototype
 * {@code SocketReference} bean of its own, qualified with its name (see
 * {@link SocketReferenceBeans}). A {@code SocketReference} bean the application defines
 * replaces only the bean of the socket it is qualified for (the default socket without
 * {@code @GlideSocket}). A reference that its bean keeps in a field is closed when the bean
 * is destroyed: singletons when the context closes, scoped beans when their scope ends.
 * Prototype beans are never destroyed by the container: close their references yourself, or
 * leak detection releases them once unreachable. Every
 * reference becomes inactive when the sockets shut down with the context. A
 * {@code SocketReference} bean is only available at an injection point (a field, a parameter,
 * or an {@code ObjectProvider<SocketReference>}); elsewhere use
 * {@link SocketManager#getOrCreate(String)}.
 * <p>
 * <b>Pools.</b> A socket with {@code pool-size} above 1 is a {@link io.github.glidesocket.core.SocketPool}
 * of that many sockets at paths derived from its path ({@code app.sock} gives {@code app-0.sock},
 * {@code app-1.sock}, ...), all with the socket's options and handler. The lifecycle listens on
 * every member, an injected reference goes to the member with the fewest references, and
 * metrics, health and the endpoint show each member as {@code <name>-<index>}.
 * <p>
 * The manager backs off when the application defines its own {@link SocketManager} bean. The
 * other beans then work with that manager: {@code glide.socket.path} and
 * {@code glide.socket.sockets.*.path} still name the sockets that the lifecycle listens on and
 * that injection, metrics and the actuator know, while socket options and handlers are those of
 * the application's manager; the properties that have no effect then are logged once at
 * startup ({@link IneffectiveSocketProperties}). Every other bean can be replaced by defining
 * one of the same type.
 */
@AutoConfiguration
@ConditionalOnClass(SocketManager.class)
@ConditionalOnBooleanProperty(name = "glide.socket.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GlideSocketProperties.class)
@ImportRuntimeHints(GlideSocketRuntimeHints.class)
public final class GlideSocketAutoConfiguration {

	/**
	 * The name of the bean that hands the web socket's connections to the web server: the
	 * {@code SocketChannelHandler} of {@code glide.socket.web.path}.
	 */
	public static final String WEB_SERVER_SOCKET_BEAN = "glideSocketWebServerSocket";

	/** The name of the auto-configured {@link SocketManager} bean. */
	public static final String MANAGER_BEAN = IneffectiveSocketProperties.MANAGER_BEAN;

	private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	@Bean(name = IneffectiveSocketProperties.MANAGER_BEAN, destroyMethod = "close")
	@ConditionalOnMissingBean
	SocketManager glideSocketManager(GlideSocketProperties properties, Environment environment,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SocketManagerBuilderCustomizer> customizers) {
		List<SocketSettings> settings = SocketSettings.resolve(properties);
		Set<String> names = new LinkedHashSet<>();
		settings.forEach((socket) -> names.add(socket.name()));
		SocketHandlers handlers = new SocketHandlers(beanFactory, names);
		// A socket that takes over a live one does so once the application is ready
		// (TakeoversOnReady): a start that fails before leaves the process taken over serving.
		SocketManager.Builder builder = SocketManager.builder()
			.shutdownHook(false)
			.holdTakeovers(true)
			.virtualThreads(virtualThreads(environment));
		SocketSettings.applyManagerSettings(properties, builder);
		// A socket taken over drains within the time the shutdown phase gives the sockets' drain.
		Duration handoverTimeout = GlideSocketLifecycle.drainTimeout(phaseTimeout(environment));
		for (SocketSettings socket : settings) {
			SocketOptions options = handlers.applyHandler(socket.name(), socket.options().toBuilder())
				.handoverTimeout(handoverTimeout)
				.build();
			String path = socket.path();
			if (socket.isDefault()) {
				// Sockets at paths that are not configured are served like the default one.
				builder.defaults(options);
				if (path != null) {
					builder.defaultPath(path);
				}
			}
			else if (path != null) {
				for (String socketFile : socket.socketFiles()) {
					builder.socket(socketFile, options);
				}
			}
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	ConfiguredSockets glideSocketConfiguredSockets(GlideSocketProperties properties, SocketManager manager) {
		Map<String, String> paths = new LinkedHashMap<>();
		Set<String> listenOnStartup = new LinkedHashSet<>();
		Map<String, Integer> poolSizes = new LinkedHashMap<>();
		for (SocketSettings socket : SocketSettings.resolve(properties)) {
			String path = socket.path();
			paths.put(socket.name(), (path != null) ? path : manager.defaultSocketPath());
			if (socket.listenOnStartup() && !(socket.isDefault() && isWebOnly(properties, manager))) {
				listenOnStartup.add(socket.name());
			}
			poolSizes.put(socket.name(), socket.poolSize());
		}
		return new ConfiguredSockets(paths, listenOnStartup, poolSizes);
	}

	/**
	 * Whether the application only serves its web server on a socket: the web socket is
	 * configured, the default socket has neither a path nor a handler, so it is not bound.
	 */
	private static boolean isWebOnly(GlideSocketProperties properties, SocketManager manager) {
		return properties.getWeb().getPath() != null && properties.getPath() == null
				&& !manager.optionsFor(manager.defaultSocketPath()).hasHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	GlideSocketLifecycle glideSocketLifecycle(SocketManager manager, ConfiguredSockets sockets,
			GlideSocketProperties properties, Environment environment) {
		return new GlideSocketLifecycle(manager, sockets, shutdownTimeout(properties, environment),
				properties.getFileCheckInterval());
	}

	/**
	 * As Spring Boot's web servers: accept loops and connection handlers on virtual threads
	 * when {@code spring.threads.virtual.enabled} is set on Java 21 and later. Boot's own
	 * {@code Threading} says the same but is in another package on each Spring Boot
	 * generation, so the rule is read here.
	 */
	private static boolean virtualThreads(Environment environment) {
		return environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)
				&& Runtime.version().feature() >= 21;
	}

	private static Duration shutdownTimeout(GlideSocketProperties properties, Environment environment) {
		return (properties.getShutdown() == GlideSocketProperties.Shutdown.IMMEDIATE) ? Duration.ZERO
				: phaseTimeout(environment);
	}

	private static Duration phaseTimeout(Environment environment) {
		return Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_TIMEOUT);
	}

	@Bean
	@ConditionalOnMissingBean
	TakeoversOnReady glideSocketTakeoversOnReady(SocketManager manager) {
		return new TakeoversOnReady(manager);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("glide.socket.exit-after-takeover")
	ExitAfterTakeover glideSocketExitAfterTakeover(SocketManager manager, ConfiguredSockets sockets) {
		return new ExitAfterTakeover(manager, sockets);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static InjectedSocketReferences glideSocketInjectedReferences() {
		return new InjectedSocketReferences();
	}

	@Bean
	IneffectiveSocketProperties glideSocketIneffectiveProperties(ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		return new IneffectiveSocketProperties(beanFactory, environment);
	}

	@Bean
	static SocketReferenceBeans glideSocketReferenceBeans(Environment environment) {
		return new SocketReferenceBeans(environment);
	}

	@Bean(SocketReferenceBeans.FACTORY_BEAN)
	SocketReferenceFactory glideSocketReferenceFactory(SocketManager manager, ConfiguredSockets sockets,
			InjectedSocketReferences references) {
		return new SocketReferenceFactory(manager, sockets, references);
	}

}
