package io.github.glidesocket.sample.process;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
 * A socket that exists only while clients hold references, created and destroyed a thousand
 * times in one directory: each cycle must leave nothing, neither files nor descriptors nor
 * threads nor registry entries.
 */
@Tag("process")
@Timeout(300)
class ManyLifecyclesProcessTests {

	private static final int CYCLES = 1_000;

	/** Descriptors and threads the JVM may open on its own meanwhile (GC, JIT, class loading). */
	private static final long SLACK = 10;

	@TempDir
	Path directory;

	@Test
	void thousandSocketLifecyclesLeaveNoFileDescriptorThreadOrEntry() throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess process = SampleProcess.serving(socket)
			.property("glide.socket.listen-on-startup", "false")
			.startAndAwait()) {
			SampleHttpClient http = new SampleHttpClient(process.httpPort());
			assertThat(socket).as("socket before the first client").doesNotExist();
			// Warm up, so that what is started once (event loops, HTTP and JIT threads) is counted
			// in the baseline.
			for (int cycle = 0; cycle < 20; cycle++) {
				lifecycle(http, socket, true);
			}
			long descriptors = process.openFileDescriptors();
			long threads = process.threads();

			for (int cycle = 1; cycle <= CYCLES; cycle++) {
				lifecycle(http, socket, cycle % 100 == 0);
			}

			assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
			assertThat(http.referencesMetric()).isZero();
			JsonNode sockets = http.get("/actuator/glidesockets").json();
			assertThat(sockets.path("activeSockets").asInt()).isZero();
			assertThat(sockets.path("references").asInt()).isZero();
			assertThat(sockets.path("leaks").asInt()).as("references released by leak detection").isZero();
			assertThat(http.defaultSocket().path("state").asText()).isEqualTo("UNBOUND");
			assertThat(http.get("/clients").json()).isEmpty();
			// Accept threads end just after their socket closes; descriptors are closed by then.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(process.threads()).as("threads").isLessThanOrEqualTo(threads + SLACK));
			assertThat(process.openFileDescriptors()).as("open file descriptors, %d before the cycles", descriptors)
				.isLessThanOrEqualTo(descriptors + SLACK);

			process.terminate();
			assertThat(process.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left after shutdown").isEmpty();
	}

	/**
	 * Create a client, which binds the socket, and delete it, which removes the socket.
	 */
	private static void lifecycle(SampleHttpClient http, Path socket, boolean ping) throws Exception {
		SampleHttpClient.Reply created = http.post("/clients");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		long id = created.json().path("id").asLong();
		assertThat(created.json().path("references").asInt()).isEqualTo(1);
		assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("socket while a client holds it").isTrue();
		if (ping) {
			try (RespTestConnection connection = RespTestConnection.open(socket)) {
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
			assertThat(http.get("/clients/" + id + "/ping").json().path("reply").asText()).isEqualTo("+PONG");
		}
		assertThat(http.delete("/clients/" + id).status()).isEqualTo(204);
		assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("socket after its last client").isFalse();
	}

}
