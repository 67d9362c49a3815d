package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.github.glidesocket.core.SocketManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an application's own {@link SocketManager} bean, the properties that only build the
 * auto-configured manager are named once in a warning at startup.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class IneffectiveSocketPropertiesTests {

	private static final String WARNING = "The application defines its own SocketManager bean, so these glide-socket "
			+ "properties have no effect";

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	private ApplicationContextRunner withOwnManager() {
		return this.contextRunner.withBean(SocketManager.class,
				() -> SocketManager.builder().shutdownHook(false).fileCheckInterval(Duration.ZERO).build());
	}

	@Test
	void ownManagerWithSocketOptionPropertiesLogsEachIneffectivePropertyOnce(CapturedOutput output) {
		withOwnManager()
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.permissions=0660",
					"glide.socket.peers.uids=4242,4343", "glide.socket.max-sockets=5",
					"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.backlog=7",
					"glide.socket.sockets.admin.listen-on-startup=false", "glide.socket.shutdown=immediate")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String expected = WARNING + " (the manager's own socket options and settings apply): "
						+ "glide.socket.max-sockets, glide.socket.peers.uids, glide.socket.permissions, "
						+ "glide.socket.sockets.admin.backlog";
				assertThat(output).containsOnlyOnce(expected);
				assertThat(output.toString().lines().filter((line) -> line.contains(WARNING))).hasSize(1);
			});
	}

	@Test
	void ownManagerWithOnlyPathsAndLifecyclePropertiesLogsNothing(CapturedOutput output) {
		withOwnManager()
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=2",
					"glide.socket.sockets.admin.path=" + path("a.sock"),
					"glide.socket.sockets.admin.listen-on-startup=false", "glide.socket.shutdown=immediate")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain(WARNING);
			});
	}

	@Test
	void autoConfiguredManagerLogsNothing(CapturedOutput output) {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.permissions=0660")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain(WARNING);
			});
	}

}
