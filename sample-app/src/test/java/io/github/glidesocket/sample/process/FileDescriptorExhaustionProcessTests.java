package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.glidesocket.sample.RespTestConnection;
import io.github.glidesocket.sample.SampleHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process that runs out of file descriptors cannot accept: clients still connect (the kernel
 * queues them in the backlog) but are not served. The listener must say so in its log and
 * meters, back off instead of spinning, keep serving the connections it has, and serve the
 * queued clients once descriptors are free again.
 */
@Tag("process")
@Timeout(180)
class FileDescriptorExhaustionProcessTests {

	/**
	 * A few dozen above what the application holds at rest (about 15 after startup, about 35 once
	 * its event loops run), so that the process runs out of descriptors long before the socket's
	 * connection limit.
	 */
	private static final int FILE_DESCRIPTOR_LIMIT = 96;

	/** The listener pauses this long after a failed accept (see the meters table in docs/operations.md). */
	private static final Duration ACCEPT_PAUSE = Duration.ofMillis(50);

	private static final Duration CPU_WINDOW = Duration.ofSeconds(3);

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "thread-per-connection", "event-loop" })
	void whenDescriptorsRunOutAcceptFailuresAreLoggedCountedAndTheListenerRecovers(String connectionMode)
			throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess app = SampleProcess.serving(socket)
			.fileDescriptorLimit(FILE_DESCRIPTOR_LIMIT)
			.property("sample.resp.connection-mode", connectionMode)
			.property("glide.socket.max-connections", Integer.toString(FILE_DESCRIPTOR_LIMIT * 4))
			.startAndAwait()) {
			SampleHttpClient http = new SampleHttpClient(app.httpPort());
			// Warm up what holds descriptors for good (event loops, the HTTP connection) first.
			try (RespTestConnection warmUp = RespTestConnection.open(socket)) {
				assertThat(warmUp.command("PING")).isEqualTo("+PONG");
			}
			assertThat(http.get("/actuator/health").status()).isEqualTo(200);
			long atRest = app.openFileDescriptors();
			System.out.printf("[%s] descriptors at rest: %d of %d%n", connectionMode, atRest, FILE_DESCRIPTOR_LIMIT);
			assertThat(atRest).as("descriptors at rest, leaving room for connections")
				.isLessThan(FILE_DESCRIPTOR_LIMIT - 20);

			List<RespTestConnection> served = new ArrayList<>();
			List<RespTestConnection> queued = new ArrayList<>();
			try {
				long exhaustedAt = System.nanoTime();
				// Each connection costs the server one descriptor; open them until one is not served.
				while (queued.isEmpty()) {
					assertThat(served).as("connections served under a limit of " + FILE_DESCRIPTOR_LIMIT)
						.hasSizeLessThan(FILE_DESCRIPTOR_LIMIT);
					long attemptAt = System.nanoTime();
					RespTestConnection connection = RespTestConnection.open(socket);
					try {
						assertThat(connection.command("PING")).isEqualTo("+PONG");
						served.add(connection);
					}
					catch (SocketTimeoutException ex) {
						// What a client sees: its connect succeeded and its request waits unanswered.
						exhaustedAt = attemptAt;
						queued.add(connection);
					}
				}
				for (int i = 0; i < 3; i++) {
					queued.add(RespTestConnection.open(socket).sendRaw("PING\r\n"));
				}
				System.out.printf("[%s] served before exhaustion: %d, descriptors: %d%n", connectionMode,
						served.size(), app.openFileDescriptors());
				app.awaitOutput("Accepting a connection on '" + socket
						+ "' failed (1 in a row); the listener keeps running: java.io.IOException: Too many open files",
						Duration.ofSeconds(10));

				// The listener retries after a pause: it does not spin a core while it cannot accept.
				Duration cpuBefore = app.cpuTime();
				long windowStart = System.nanoTime();
				Thread.sleep(CPU_WINDOW.toMillis());
				Duration cpuUsed = app.cpuTime().minus(cpuBefore);
				Duration window = Duration.ofNanos(System.nanoTime() - windowStart);
				System.out.printf("[%s] CPU while unable to accept: %d ms in %d ms%n", connectionMode,
						cpuUsed.toMillis(), window.toMillis());
				assertThat(cpuUsed).as("CPU time used while unable to accept").isLessThan(window.dividedBy(4));

				// Connections accepted before keep being served.
				for (RespTestConnection connection : served) {
					assertThat(connection.command("PING")).isEqualTo("+PONG");
				}

				// Free descriptors: the queued clients are accepted and their requests answered.
				for (RespTestConnection connection : served) {
					connection.close();
				}
				served.clear();
				for (RespTestConnection connection : queued) {
					assertThat(connection.readReply()).as("reply to a request sent while the server could not accept")
						.isEqualTo("+PONG");
				}
				Duration exhausted = Duration.ofNanos(System.nanoTime() - exhaustedAt);
				try (RespTestConnection late = RespTestConnection.open(socket)) {
					assertThat(late.command("PING")).isEqualTo("+PONG");
				}

				// Counted where a user looks, and as often as the pause allows, not once per spin.
				JsonNode described = http.defaultSocket();
				long failures = described.path("acceptFailures").asLong();
				System.out.printf("[%s] accept failures: %d in %d ms%n", connectionMode, failures, exhausted.toMillis());
				assertThat(failures).isPositive()
					.isLessThanOrEqualTo(exhausted.toMillis() / ACCEPT_PAUSE.toMillis() + 1);
				// The meter counts events, which reach it on the manager's event thread shortly after.
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(http.metric("glide.socket.accept.failures", "socket:default"))
						.isEqualTo(failures));
			}
			finally {
				closeAll(served);
				closeAll(queued);
			}
			JsonNode health = http.get("/actuator/health").json();
			assertThat(health.path("components").path("glideSocket").path("status").asString()).isEqualTo("UP");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(http.metric("glide.socket.connections.active", "socket:default")).isZero());
			assertThat(app.output()).doesNotContain("OutOfMemoryError");
			app.terminate();
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
		assertThat(socket).doesNotExist();
	}

	private static void closeAll(List<RespTestConnection> connections) throws IOException {
		for (RespTestConnection connection : connections) {
			connection.close();
		}
	}

}
