package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.health.GlideSocketHealthIndicator;
import io.github.glidesocket.metrics.GlideSocketMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GlideSocketAutoConfiguration}: its conditions, the manager it builds and how
 * it chooses handlers.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class GlideSocketAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, GlideSocketAutoConfiguration.class,
				io.github.glidesocket.autoconfigure.metrics.GlideSocketMetricsAutoConfiguration.class,
				io.github.glidesocket.autoconfigure.health.GlideSocketHealthContributorAutoConfiguration.class,
				io.github.glidesocket.autoconfigure.endpoint.GlideSocketsEndpointAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void runShouldCreateManagerLifecycleAndConfiguredSockets() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock")).run((context) -> {
			assertThat(context).hasSingleBean(SocketManager.class)
				.hasSingleBean(GlideSocketLifecycle.class)
				.hasSingleBean(ConfiguredSockets.class);
			assertThat(context.getBean(ConfiguredSockets.class).paths()).containsExactly(
					org.assertj.core.api.Assertions.entry("default", path("d.sock")));
			assertThat(Path.of(path("d.sock"))).exists();
		});
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void runWhenDisabledShouldNotCreateAnyBean() {
		this.contextRunner.withPropertyValues("glide.socket.enabled=false", "glide.socket.path=" + path("d.sock"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SocketManager.class)
					.doesNotHaveBean(GlideSocketLifecycle.class)
					.doesNotHaveBean(GlideSocketHealthIndicator.class);
				assertThat(Path.of(path("d.sock"))).doesNotExist();
			});
	}

	@Test
	void runWithoutTheCoreShouldNotCreateAnyBean() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SocketManager.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SocketManager.class)
				.doesNotHaveBean(GlideSocketLifecycle.class));
	}

	@Test
	void runWithUserManagerShouldBackOffAndStillListenOnItsDefaultPath() {
		String userPath = path("u.sock");
		this.contextRunner.withBean("userManager", SocketManager.class,
				() -> SocketManager.builder().name("user").shutdownHook(false).defaultPath(userPath).build())
			.run((context) -> {
				assertThat(context).hasSingleBean(SocketManager.class).hasBean("userManager");
				assertThat(context).doesNotHaveBean("glideSocketManager");
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(manager.getName()).isEqualTo("user");
				assertThat(context.getBean(ConfiguredSockets.class).path("default")).isEqualTo(userPath);
				assertThat(manager.isSocketActive(userPath)).isTrue();
			});
		assertThat(Path.of(userPath)).doesNotExist();
	}

	@Test
	void runWithUserLifecycleShouldBackOff() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean("myLifecycle", GlideSocketLifecycle.class,
					() -> new GlideSocketLifecycle(SocketManager.builder().shutdownHook(false).build(),
							new ConfiguredSockets(java.util.Map.of(), java.util.Set.of()), java.time.Duration.ZERO))
			.run((context) -> {
				assertThat(context).hasSingleBean(GlideSocketLifecycle.class).hasBean("myLifecycle");
				assertThat(Path.of(path("d.sock"))).doesNotExist();
			});
	}

	@Test
	void managerShouldNotRegisterShutdownHookBecauseTheContextOwnsShutdown() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.run((context) -> assertThat(ReflectionTestUtils.getField(context.getBean(SocketManager.class), "shutdownHook"))
				.isNull());
	}

	@Test
	void customizerShouldSeeBuilderAfterProperties() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketManagerBuilderCustomizer.class, () -> (builder) -> builder.name("customized"))
			.run((context) -> assertThat(context.getBean(SocketManager.class).getName()).isEqualTo("customized"));
	}

	@Test
	void customizerThatThrowsShouldFailStartupWithItsErrorAndLeaveNoSocket() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketManagerBuilderCustomizer.class, () -> (builder) -> {
				throw new AssertionError("customizer failure on purpose");
			})
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessage("customizer failure on purpose");
				assertThat(Path.of(path("d.sock"))).doesNotExist();
			});
	}

	@Test
	void runWithoutMicrometerShouldStillWork() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(SocketManager.class).doesNotHaveBean(GlideSocketMetrics.class);
				assertThat(Path.of(path("d.sock"))).exists();
			});
	}

	@Test
	void runWithMeterRegistryShouldCreateMetrics() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.run((context) -> assertThat(context).hasSingleBean(GlideSocketMetrics.class));
	}

	@Test
	void runWithoutActuatorShouldStillWork() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.withPropertyValues("glide.socket.path=" + path("d.sock"),
					"management.endpoints.web.exposure.include=glidesockets")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(SocketManager.class)
					.doesNotHaveBean(GlideSocketHealthIndicator.class)
					.doesNotHaveBean(GlideSocketsEndpoint.class);
				assertThat(Path.of(path("d.sock"))).exists();
			});
	}

	@Test
	void onlyHandlerBeanServesDefaultSocket() throws IOException {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean("echoHandler", SocketConnectionHandler.class, TestSockets::echo)
			.run((context) -> assertThat(TestSockets.roundTrip(path("d.sock"), "ping")).isEqualTo("ping"));
	}

	@Test
	void eventHandlerBeanServesItsSocketOnEventLoopsBesideAThreadHandler() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.sockets.admin.path=" + path("a.sock"))
			.withBean("admin", SocketConnectionHandler.class, () -> answering("admin"))
			.withBean("main", SocketEventHandler.class, () -> eventAnswering("main"))
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(manager.optionsFor(path("d.sock")).eventHandler()).isNotNull();
				assertThat(manager.optionsFor(path("d.sock")).handler()).isNull();
				assertThat(manager.optionsFor(path("a.sock")).handler()).isNotNull();
				assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("main");
				assertThat(TestSockets.roundTrip(path("a.sock"), "x")).isEqualTo("admin");
			});
	}

	@Test
	void handlerNamedGlideSocketHandlerWinsAmongSeveral() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withUserConfiguration(SeveralHandlers.class)
			.withBean("glideSocketHandler", SocketConnectionHandler.class, () -> answering("chosen"))
			.run((context) -> assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("chosen"));
	}

	@Test
	void primaryHandlerWinsAmongSeveral() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withUserConfiguration(SeveralHandlers.class, PrimaryHandler.class)
			.run((context) -> assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("primary"));
	}

	@Test
	void severalHandlersWithoutChoiceFailWithMessageNamingThem() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withUserConfiguration(SeveralHandlers.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("[first, second]")
				.hasMessageContaining("glideSocketHandler"));
	}

	@Test
	void namedSocketIsServedByHandlerOfItsNameAndDefaultByTheOther() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.sockets.admin.path=" + path("a.sock"))
			.withBean("admin", SocketConnectionHandler.class, () -> answering("admin"))
			.withBean("main", SocketConnectionHandler.class, () -> answering("main"))
			.run((context) -> {
				assertThat(TestSockets.roundTrip(path("a.sock"), "x")).isEqualTo("admin");
				assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("main");
			});
	}

	@Test
	void socketWithoutHandlerIsManagedAndRefusesConnectionsWithOneWarning(CapturedOutput output) {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock")).run((context) -> {
			assertThat(Path.of(path("d.sock"))).exists();
			assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isNull();
			assertThat(output).containsOnlyOnce("has no SocketConnectionHandler")
				.contains("Define a SocketConnectionHandler or SocketEventHandler bean");
		});
	}

	@Test
	void handlerMayDependOnInjectedReferenceOfItsOwnSocket() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withUserConfiguration(SelfReferencingHandler.class)
			.run((context) -> assertThat(TestSockets.roundTrip(path("d.sock"), "count")).isEqualTo("2"));
	}

	@Test
	void connectionsRunOnPlatformThreadsByDefault() {
		AtomicReference<Thread> handlerThread = new AtomicReference<>();
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketConnectionHandler.class, () -> recordingThread(handlerThread))
			.run((context) -> {
				assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("ok");
				assertThat(isVirtual(handlerThread.get())).isFalse();
			});
	}

	// As for Spring Boot's web servers, spring.threads.virtual.enabled moves socket handlers onto
	// virtual threads: the JDK's channels park them without holding a carrier
	// (see SocketManager.Builder#virtualThreads).
	@Test
	void connectionsRunOnVirtualThreadsWhenTheyAreEnabledAndTheJdkHasThem() {
		AtomicReference<Thread> handlerThread = new AtomicReference<>();
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "spring.threads.virtual.enabled=true")
			.withBean(SocketConnectionHandler.class, () -> recordingThread(handlerThread))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("ok");
				// Spring Boot's own servers do the same: virtual threads on Java 21 and later.
				assertThat(isVirtual(handlerThread.get())).isEqualTo(Runtime.version().feature() >= 21);
			});
	}

	@Test
	void connectionsRunOnPlatformThreadsUnlessVirtualThreadsAreEnabled() {
		AtomicReference<Thread> handlerThread = new AtomicReference<>();
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketConnectionHandler.class, () -> recordingThread(handlerThread))
			.run((context) -> {
				assertThat(TestSockets.roundTrip(path("d.sock"), "x")).isEqualTo("ok");
				assertThat(isVirtual(handlerThread.get())).isFalse();
			});
	}

	private static SocketConnectionHandler recordingThread(AtomicReference<Thread> thread) {
		return (connection) -> {
			thread.set(Thread.currentThread());
			TestSockets.readLine(connection.inputStream());
			connection.outputStream().write("ok\n".getBytes());
		};
	}

	private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		try {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			return (boolean) isVirtual.invoke(thread);
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	static SocketEventHandler eventAnswering(String answer) {
		return (connection) -> (input) -> {
			input.position(input.limit());
			connection.write(ByteBuffer.wrap((answer + "\n").getBytes()));
		};
	}

	static SocketConnectionHandler answering(String answer) {
		return (connection) -> {
			TestSockets.readLine(connection.inputStream());
			connection.outputStream().write((answer + "\n").getBytes());
		};
	}

	@Configuration(proxyBeanMethods = false)
	static class SeveralHandlers {

		@Bean
		SocketConnectionHandler first() {
			return answering("first");
		}

		@Bean
		SocketConnectionHandler second() {
			return answering("second");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryHandler {

		@Bean
		@Primary
		SocketConnectionHandler third() {
			return answering("primary");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SelfReferencingHandler {

		@Bean
		SocketConnectionHandler handler(SocketReference socket) {
			return (connection) -> {
				TestSockets.readLine(connection.inputStream());
				connection.outputStream().write((socket.referenceCount() + "\n").getBytes());
			};
		}

	}

}
