package io.github.glidesocket.sample.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.github.glidesocket.sample.RespTestConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed with {@code kill -9} runs no shutdown code and leaves its socket file behind;
 * the next start on the same path must reclaim it and serve.
 */
@Tag("process")
@Timeout(180)
class CrashRestartProcessTests {

	@TempDir
	Path directory;

	@Test
	void restartAfterKillReclaimsTheStaleSocketAndServes() throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess first = SampleProcess.serving(socket).startAndAwait()) {
			try (RespTestConnection connection = RespTestConnection.open(socket)) {
				assertThat(connection.command("SET", "greeting", "hello")).isEqualTo("+OK");
			}
			first.kill();
		}
		assertThat(socket).as("the killed process's socket file").exists();

		try (SampleProcess second = SampleProcess.serving(socket).start()) {
			long started = System.nanoTime();
			second.awaitStarted(Duration.ofSeconds(60));
			try (RespTestConnection connection = RespTestConnection.open(socket)) {
				assertThat(connection.command("PING")).isEqualTo("+PONG");
				// The store lives in memory: a restart starts empty, and says so honestly.
				assertThat(connection.command("GET", "greeting")).isNull();
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
			assertThat(second.output()).contains("Reclaimed stale socket file '" + socket + "'");
			second.terminate();
			assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
		assertThat(socketDirectoryEntries()).as("files left next to the socket").isEmpty();
	}

	/** Everything in the directory but the application logs. */
	private List<Path> socketDirectoryEntries() throws Exception {
		try (Stream<Path> entries = Files.list(this.directory)) {
			return entries.filter((entry) -> !entry.getFileName().toString().endsWith(".log")).toList();
		}
	}

}
