package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.glidesocket.sample.RespTestConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill} (SIGTERM) while clients are busy: the application stops taking new connections,
 * answers what it has read, ends each connection cleanly, exits within its shutdown timeout
 * and leaves no file behind, in both connection modes.
 */
@Tag("process")
@Timeout(180)
class GracefulShutdownUnderLoadProcessTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	/** JVM exit after the last phase: shutdown hooks, other lifecycles, a busy machine. */
	private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void sigtermUnderLoadAnswersEveryRequestReadAndExitsLeavingNothing(String connectionMode) throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess process = SampleProcess.serving(socket)
			.property("sample.resp.connection-mode", connectionMode)
			.property("spring.lifecycle.timeout-per-shutdown-phase", SHUTDOWN_TIMEOUT.toSeconds() + "s")
			.startAndAwait()) {
			List<CountingClient> clients = new ArrayList<>();
			List<Thread> threads = new ArrayList<>();
			int[] depths = { 1, 1, 1, 8, 32, 64 };
			for (int i = 0; i < depths.length; i++) {
				CountingClient client = new CountingClient(socket, "counter-" + i, depths[i]);
				clients.add(client);
				threads.add(client.start());
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch((c) -> c.answered() > 0));

			long terminatedAt = System.nanoTime();
			process.terminate();
			process.awaitOutput("Commencing graceful shutdown of glide-socket sockets", Duration.ofSeconds(15));
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(20))
				.alias("new connections refused")
				.until(() -> !canConnect(socket));
			for (int i = 0; i < 5; i++) {
				assertThat(canConnect(socket)).as("a new connection after shutdown began").isFalse();
			}

			int exitCode = process.awaitExit(Duration.ofSeconds(60));
			Duration exitedAfter = Duration.ofNanos(System.nanoTime() - terminatedAt);
			assertThat(exitCode).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(exitedAfter).as("time from SIGTERM to exit").isLessThan(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN));
			assertThat(process.output()).contains("Graceful shutdown of glide-socket sockets complete")
				.doesNotContain("Graceful shutdown of glide-socket sockets aborted");

			for (Thread thread : threads) {
				thread.join(15_000);
			}
			for (CountingClient client : clients) {
				// Every reply was the next number, and the connection ended between replies.
				assertThat(client.errors()).as("errors of a client").isEmpty();
				assertThat(client.endedByServer()).as("connection ended by the server").isTrue();
				assertThat(client.answered()).isLessThanOrEqualTo(client.sent());
			}
			assertThat(clients).as("clients answered after SIGTERM, while connections drained")
				.anyMatch((client) -> client.lastAnswerNanos() - terminatedAt > 0);
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	/**
	 * Whether a new connection is served: connecting fails once the file is gone, and a
	 * connection accepted during shutdown is closed without a reply.
	 */
	private static boolean canConnect(Path socket) {
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			return "+PONG".equals(connection.command("PING"));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
