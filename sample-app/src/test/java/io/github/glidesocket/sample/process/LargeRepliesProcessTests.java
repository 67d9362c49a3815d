package io.github.glidesocket.sample.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import io.github.glidesocket.sample.RespTestConnection;
import io.github.glidesocket.sample.SampleHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies far larger than the heap and than a connection's output cap, read by a client as
 * fast as it can: with a 256 MB heap, an {@code MGET} of a 4 MB value 100 times (400 MB) and 200
 * {@code GET}s of it in a row arrive whole and in order, each read within the client's read
 * timeout of 5 s, so a reply that pauses for the client to catch up always goes on.
 */
@Tag("process")
@Timeout(240)
class LargeRepliesProcessTests {

	private static final int VALUE_LENGTH = 4 * 1024 * 1024;

	private static final int MGET_KEYS = 100;

	private static final int GETS = 200;

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void repliesLargerThanTheHeapArriveWholeAtTheClientsPace(String connectionMode) throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess app = SampleProcess.serving(socket)
			.jvmArgument("-Xmx256m")
			.property("sample.resp.connection-mode", connectionMode)
			.startAndAwait(); RespTestConnection client = RespTestConnection.open(socket)) {
			String value = value();
			assertThat(client.command("SET", "k", value)).isEqualTo("+OK");
			String[] keys = new String[MGET_KEYS + 1];
			keys[0] = "MGET";
			Arrays.fill(keys, 1, keys.length, "k");
			assertThat(client.command(keys)).isEqualTo("*" + MGET_KEYS);
			for (int i = 0; i < MGET_KEYS; i++) {
				assertThat(client.readReply()).as("value %d of the MGET", i).isEqualTo(value);
			}
			for (int i = 0; i < GETS; i++) {
				assertThat(client.command("GET", "k")).as("GET %d", i).isEqualTo(value);
			}
			assertThat(client.command("PING")).isEqualTo("+PONG");
			System.out.printf("[%s] heap used after %d MB of replies: %d MB%n", connectionMode,
					(long) (MGET_KEYS + GETS) * VALUE_LENGTH / 1024 / 1024,
					(long) new SampleHttpClient(app.httpPort()).metric("jvm.memory.used", "area:heap") / 1024 / 1024);
			assertThat(new SampleHttpClient(app.httpPort()).metric("glide.socket.connections.output.limit",
					"socket:default"))
				.as("connections closed for their output").isZero();
			app.terminate();
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(app.output()).doesNotContain("OutOfMemoryError");
		}
	}

	/** Text that changes along its length, so that a byte lost, repeated or moved shows. */
	private static String value() {
		StringBuilder value = new StringBuilder(VALUE_LENGTH);
		for (int i = 0; value.length() < VALUE_LENGTH; i++) {
			value.append(Integer.toString(i, 36)).append(' ');
		}
		value.setLength(VALUE_LENGTH);
		return value.toString();
	}

}
