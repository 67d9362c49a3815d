package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.glidesocket.autoconfigure.web.GlideSocketWebAutoConfiguration;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code glide.socket.web.*}: the web socket takes every option of a named socket, the unset
 * ones from the default socket, with the same startup errors; without a web server to put on
 * it, the startup fails naming the property; and exit-after-takeover counts it.
 */
class WebSocketPropertiesTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void webSocketTakesUnsetOptionsFromTheDefaultSocket() {
		this.contextRunner
			.withPropertyValues("glide.socket.web.path=" + path("http.sock"), "glide.socket.takeover=true",
					"glide.socket.permissions=rw-rw----", "glide.socket.max-connections=50",
					"glide.socket.web.max-connections=5")
			.run((context) -> {
				SocketOptions options = context.getBean(SocketManager.class).optionsFor(path("http.sock"));
				assertThat(options.takeover()).isTrue();
				assertThat(options.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
				assertThat(options.maxConnections()).isEqualTo(5);
				ConfiguredSockets sockets = context.getBean(ConfiguredSockets.class);
				assertThat(sockets.path(ConfiguredSockets.WEB)).isEqualTo(path("http.sock"));
				assertThat(sockets.isListenOnStartup(ConfiguredSockets.WEB)).isFalse();
			});
	}

	@Test
	void invalidWebSocketOptionsFailNamingTheProperty() {
		assertInvalid("glide.socket.web.max-connections", "glide.socket.web.path=" + path("http.sock"),
				"glide.socket.web.max-connections=-7");
		assertInvalid("glide.socket.web.peers.policy", "glide.socket.web.path=" + path("http.sock"),
				"glide.socket.web.peers.policy=allow-list");
		assertInvalid("glide.socket.web.pool-size", "glide.socket.web.path=" + path("http.sock"),
				"glide.socket.web.pool-size=2");
		assertInvalid("glide.socket.web.path", "glide.socket.web.path=" + path("http.sock"),
				"glide.socket.sockets.admin.path=" + path("http.sock"));
		assertInvalid("glide.socket.sockets", "glide.socket.sockets.web.path=" + path("w.sock"));
	}

	@Test
	void whenNoWebServerIsPutOnTheWebSocketThenStartupFailsNamingTheProperty() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(GlideSocketWebAutoConfiguration.class))
			.withPropertyValues("glide.socket.web.path=" + path("http.sock"))
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidConfigurationPropertyValueException invalid = find(context.getStartupFailure());
				assertThat(invalid).isNotNull();
				assertThat(invalid.getName()).isEqualTo("glide.socket.web.path");
				assertThat(invalid.getMessage()).contains("No web server");
			});
	}

	@Test
	void whenTheApplicationDefinesItsOwnManagerThenTheWebSocketFailsTheStartupNamingTheProperty() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(GlideSocketWebAutoConfiguration.class))
			.withBean(SocketManager.class, () -> SocketManager.builder().shutdownHook(false).build(),
					(definition) -> definition.setDestroyMethodName("close"))
			.withPropertyValues("glide.socket.web.path=" + path("http.sock"))
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidConfigurationPropertyValueException invalid = find(context.getStartupFailure());
				assertThat(invalid).isNotNull();
				assertThat(invalid.getName()).isEqualTo("glide.socket.web.path");
				assertThat(invalid.getMessage()).contains("its own SocketManager bean");
			});
	}

	@Test
	void exitAfterTakeoverWaitsForTheWebSocketAndNotForSocketsThatCannotBeTakenOver() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.web.path=" + path("http.sock"),
					"glide.socket.web.takeover=true")
			.run((context) -> {
				List<Integer> exits = new CopyOnWriteArrayList<>();
				ExitAfterTakeover exit = new ExitAfterTakeover(context.getBean(SocketManager.class),
						context.getBean(ConfiguredSockets.class), exits::add);
				// The default socket is listened on but may not be taken over: it is not waited for.
				exit.socketHandedOver(path("http.sock"));
				org.awaitility.Awaitility.await().until(() -> exits.equals(List.of(0)));
			});
	}

	private void assertInvalid(String property, String... values) {
		this.contextRunner.withPropertyValues(values).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = find(context.getStartupFailure());
			assertThat(invalid).as("InvalidConfigurationPropertyValueException in %s", context.getStartupFailure())
				.isNotNull();
			assertThat(invalid.getName()).isEqualTo(property);
		});
	}

	private static InvalidConfigurationPropertyValueException find(Throwable failure) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		return null;
	}

}
