package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.health.GlideSocketHealthIndicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code glide.socket.takeover} and {@code glide.socket.exit-after-takeover}: the options reach
 * the sockets, a socket taken over is neither bound again (which would take it back) nor
 * reported DOWN, and the application can end itself once its sockets are handed over.
 */
@Timeout(60)
class TakeoverAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final List<Integer> exitCodes = new CopyOnWriteArrayList<>();

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, GlideSocketAutoConfiguration.class,
				io.github.glidesocket.autoconfigure.health.GlideSocketHealthContributorAutoConfiguration.class,
				io.github.glidesocket.autoconfigure.endpoint.GlideSocketsEndpointAutoConfiguration.class))
		.withBean("glideSocketHandler", io.github.glidesocket.core.SocketConnectionHandler.class, TestSockets::echo);

	private SocketManager newInstance;

	@AfterEach
	void closeNewInstance() {
		exitCodes.clear();
		if (this.newInstance != null) {
			this.newInstance.close();
		}
	}

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	/**
	 * The new version of the application: a manager of its own that takes the path over and
	 * answers every line with {@code new}.
	 */
	private SocketReference takeOver(String path) {
		this.newInstance = SocketManager.builder()
			.shutdownHook(false)
			.defaults(SocketOptions.builder()
				.takeover(true)
				.handler((connection) -> {
					TestSockets.readLine(connection.inputStream());
					connection.outputStream().write("new\n".getBytes());
				})
				.build())
			.build();
		return this.newInstance.getOrCreate(path);
	}

	@Test
	void takeoverIsOffByDefaultAndSetPerSocket() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.sockets.admin.path=" + path("a.sock"),
					"spring.lifecycle.timeout-per-shutdown-phase=10s")
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(manager.optionsFor(path("d.sock")).takeover()).isFalse();
				assertThat(manager.optionsFor(path("a.sock")).takeover()).isFalse();
				assertThat(context).doesNotHaveBean(ExitAfterTakeover.class);
			});
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.takeover=true",
					"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.takeover=false",
					"spring.lifecycle.timeout-per-shutdown-phase=10s", "glide.socket.exit-after-takeover=true")
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				SocketOptions defaults = manager.optionsFor(path("d.sock"));
				assertThat(defaults.takeover()).isTrue();
				assertThat(defaults.handoverTimeout()).as("the shutdown phase's drain timeout")
					.isEqualTo(Duration.ofSeconds(9));
				assertThat(manager.optionsFor(path("a.sock")).takeover()).isFalse();
				assertThat(context).hasSingleBean(ExitAfterTakeover.class);
			});
	}

	@Test
	void aSocketTakenOverIsNotBoundAgainAndIsNotDown() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.takeover=true",
					"management.endpoints.web.exposure.include=glidesockets")
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(TestSockets.roundTrip(path("d.sock"), "old")).isEqualTo("old");
				SocketReference taken = takeOver(path("d.sock"));
				await().atMost(WAIT)
					.until(() -> manager.snapshot(path("d.sock")).orElseThrow().state() == SocketSnapshot.State.TAKEN_OVER);
				// The lifecycle hears that its socket closed; binding it again would take the path back.
				await().during(Duration.ofMillis(500))
					.atMost(WAIT)
					.until(() -> this.newInstance.snapshot(path("d.sock")).orElseThrow().file()
							== SocketSnapshot.FileStatus.INTACT);
				assertThat(TestSockets.roundTrip(path("d.sock"), "hello")).isEqualTo("new");
				assertThat(context.getBean(GlideSocketHealthIndicator.class).health(true).getStatus())
					.isEqualTo(Status.UP);
				assertThat(context.getBean(GlideSocketsEndpoint.class).sockets().getSockets())
					.anySatisfy((socket) -> assertThat(socket.getState()).isEqualTo("TAKEN_OVER"));
				assertThat(taken.isActive()).isTrue();
			});
	}

	@Test
	void theApplicationExitsWithZeroOnceItsSocketsAreHandedOver() {
		this.contextRunner.withUserConfiguration(RecordedExit.class)
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.takeover=true",
					"glide.socket.exit-after-takeover=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(ExitAfterTakeover.class);
				assertThat(exitCodes).isEmpty();
				SocketReference taken = takeOver(path("d.sock"));
				await().atMost(WAIT).until(() -> exitCodes.contains(0));
				assertThat(context.getSourceApplicationContext().isActive()).as("closed before the exit").isFalse();
				assertThat(taken.isActive()).isTrue();
				assertThat(TestSockets.roundTrip(path("d.sock"), "hello")).isEqualTo("new");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordedExit {

		@Bean
		ExitAfterTakeover recordedExit(SocketManager manager, ConfiguredSockets sockets) {
			return new ExitAfterTakeover(manager, sockets, exitCodes::add);
		}

	}

}
