package io.github.glidesocket.sample.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.glidesocket.sample.RespTestConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second instance started by mistake on the path a running instance serves must refuse to
 * start with a readable report, and must not disturb the running one: not a single request of
 * its clients may fail, and the socket file stays the running instance's.
 */
@Tag("process")
@Timeout(180)
class SecondInstanceProcessTests {

	@TempDir
	Path directory;

	@Test
	void secondInstanceOnALivePathFailsToStartWhileTheFirstServesEveryRequest() throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess first = SampleProcess.serving(socket).startAndAwait()) {
			Object fileKey = SampleProcess.fileKey(socket);
			// The socket and its staging directory: the second instance must add nothing.
			List<Path> firstInstanceFiles = SampleProcess.entriesOtherThanLogs(this.directory);
			List<CountingClient> clients = new ArrayList<>();
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				// Two clients send one request at a time, two pipeline 16.
				CountingClient client = new CountingClient(socket, "counter-" + i, (i % 2 == 0) ? 1 : 16);
				clients.add(client);
				threads.add(client.start());
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch((c) -> c.answered() > 0));

			long answeredBefore = total(clients);
			try (SampleProcess second = SampleProcess.serving(socket).start()) {
				int exitCode = second.awaitExit(Duration.ofSeconds(60));
				String output = second.output();
				assertThat(exitCode).as("exit code of the second instance").isNotZero();
				assertThat(output).contains("APPLICATION FAILED TO START")
					.contains("Description:\n\nglide-socket could not create the socket '" + socket
							+ "': another live process is accepting connections on it")
					.contains("Action:\n\nIdentify and stop the process that is listening on '" + socket + "'")
					.contains("'glide.socket.path'");
			}
			// The first instance's clients were served during the whole attempt, and still are.
			assertThat(total(clients)).as("requests answered while the second instance tried to start")
				.isGreaterThan(answeredBefore);
			long answeredAfterSecond = total(clients);
			await().atMost(Duration.ofSeconds(10)).until(() -> total(clients) > answeredAfterSecond);

			clients.forEach(CountingClient::stop);
			for (Thread thread : threads) {
				thread.join(15_000);
			}
			for (CountingClient client : clients) {
				assertThat(client.errors()).as("errors of a client of the first instance").isEmpty();
				assertThat(client.endedByServer()).as("connection closed by the first instance").isFalse();
				assertThat(client.answered()).as("requests answered correctly").isEqualTo(client.sent());
			}

			assertThat(SampleProcess.fileKey(socket)).as("the socket file is the one the first instance bound")
				.isEqualTo(fileKey);
			try (RespTestConnection connection = RespTestConnection.open(socket)) {
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
			assertThat(first.glideSocketHealth()).isEqualTo("UP");
			assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files next to the socket")
				.containsExactlyInAnyOrderElementsOf(firstInstanceFiles);

			first.terminate();
			assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	private static long total(List<CountingClient> clients) {
		return clients.stream().mapToLong(CountingClient::answered).sum();
	}

}
