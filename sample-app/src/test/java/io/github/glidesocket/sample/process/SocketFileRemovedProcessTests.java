package io.github.glidesocket.sample.process;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.github.glidesocket.sample.RespTestConnection;
import io.github.glidesocket.sample.SampleHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A temp cleaner removes the socket file of a running application: health reports it, the
 * socket is bound again with the same permissions, new clients are served, and connections
 * opened before the removal keep working.
 */
@Tag("process")
@Timeout(180)
class SocketFileRemovedProcessTests {

	private static final Duration FILE_CHECK_INTERVAL = Duration.ofSeconds(1);

	@TempDir
	Path directory;

	@Test
	void removedSocketFileIsReportedAndBoundAgainWhileConnectionsKeepWorking() throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess process = SampleProcess.serving(socket)
			.property("glide.socket.file-check-interval", FILE_CHECK_INTERVAL.toMillis() + "ms")
			.startAndAwait(); RespTestConnection openedBefore = RespTestConnection.open(socket)) {
			SampleHttpClient http = new SampleHttpClient(process.httpPort());
			assertThat(openedBefore.command("SET", "greeting", "hello")).isEqualTo("+OK");
			assertThat(process.glideSocketHealth()).isEqualTo("UP");

			// Health is DOWN from the removal until the next file check binds the socket again. That
			// check may come before the health request, so remove the file again until DOWN is seen.
			JsonNode down = null;
			for (int attempt = 0; attempt < 10 && down == null; attempt++) {
				Object removed = SampleProcess.fileKey(socket);
				Files.delete(socket);
				JsonNode health = http.get("/actuator/health").json().path("components").path("glideSocket");
				if ("DOWN".equals(health.path("status").asText())) {
					down = health;
				}
				await().atMost(Duration.ofSeconds(10))
					.alias("socket file bound again")
					.until(() -> Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
							&& !SampleProcess.fileKey(socket).equals(removed));
				await().atMost(Duration.ofSeconds(5)).until(() -> "UP".equals(process.glideSocketHealth()));
			}
			assertThat(down).as("health while the socket file was missing").isNotNull();
			JsonNode failing = down.path("details").path("failing_sockets").path(0);
			assertThat(failing.path("path").asText()).isEqualTo(socket.toString());
			assertThat(failing.path("file").asText()).isEqualTo("MISSING");
			assertThat(process.output())
				.contains("The file of socket '" + socket + "' was removed from outside; the socket is bound again");

			// The new file is as private as the first, and is the socket the endpoint describes.
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
				.isEqualTo("rw-------");
			JsonNode described = http.defaultSocket();
			assertThat(described.path("state").asText()).isEqualTo("ACTIVE");
			assertThat(described.path("file").asText()).isEqualTo("INTACT");

			try (RespTestConnection reconnected = RespTestConnection.open(socket)) {
				assertThat(reconnected.command("PING")).isEqualTo("+PONG");
				assertThat(reconnected.command("GET", "greeting")).as("the store outlives the file").isEqualTo("hello");
			}
			// A connection is not tied to the file's name: the one opened before is still served.
			assertThat(openedBefore.command("GET", "greeting")).isEqualTo("hello");
			assertThat(openedBefore.command("SET", "greeting", "again")).isEqualTo("+OK");
			assertThat(described.path("connections").asInt()).as("connections served").isGreaterThanOrEqualTo(1);

			process.terminate();
			assertThat(process.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(openedBefore.isClosedByServer()).as("the earlier connection ended by shutdown").isTrue();
		}
		// Each re-bind retired the previous staging directory.
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

}
