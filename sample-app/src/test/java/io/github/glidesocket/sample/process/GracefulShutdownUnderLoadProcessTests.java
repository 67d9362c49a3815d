package io.github.glidesocket.sample.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.sample.RespTestConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill} (SIGTERM) while clients are busy: the application stops taking new connections,
 * answers what it has read, finishes a long reply it is in the middle of, ends each connection
 * cleanly, exits within its shutdown timeout and leaves no file behind, in both connection
 * modes; with only idle clients it exits in a fraction of that timeout.
 */
@Tag("process")
@Timeout(180)
class GracefulShutdownUnderLoadProcessTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	/** JVM exit after the last phase: shutdown hooks, other lifecycles, a busy machine. */
	private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

	private static final int IDLE_CONNECTIONS = 100;

	/** A reply of this many values of 1 MB is being read when the stop begins. */
	private static final int LONG_REPLY_VALUES = 8;

	private static final int VALUE_LENGTH = 1024 * 1024;

	@TempDir
	Path directory;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void stopExecutor() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void sigtermUnderLoadAnswersEveryRequestReadAndExitsLeavingNothing(String connectionMode) throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess process = SampleProcess.serving(socket)
			.property("sample.resp.connection-mode", connectionMode)
			.property("spring.lifecycle.timeout-per-shutdown-phase", SHUTDOWN_TIMEOUT.toSeconds() + "s")
			.startAndAwait()) {
			String value = "v".repeat(VALUE_LENGTH);
			try (RespTestConnection setup = RespTestConnection.open(socket)) {
				assertThat(setup.command("SET", "value", value)).isEqualTo("+OK");
			}
			CountDownLatch longReplyStarted = new CountDownLatch(1);
			CountDownLatch stopBegan = new CountDownLatch(1);
			Future<byte[]> longReply = this.executor
				.submit(() -> readLongReplyAcrossTheStop(socket, longReplyStarted, stopBegan));
			List<CountingClient> clients = new ArrayList<>();
			List<JedisCountingClient> jedisClients = new ArrayList<>();
			List<Thread> threads = new ArrayList<>();
			int[] depths = { 1, 1, 1, 8, 32, 64 };
			for (int i = 0; i < depths.length; i++) {
				CountingClient client = new CountingClient(socket, "counter-" + i, depths[i]);
				clients.add(client);
				threads.add(client.start());
			}
			for (int i = 0; i < 2; i++) {
				JedisCountingClient client = new JedisCountingClient(socket, "jedis-" + i);
				jedisClients.add(client);
				threads.add(client.start());
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> clients.stream().allMatch((c) -> c.answered() > 0)
						&& jedisClients.stream().allMatch((c) -> c.answered() > 0));
			assertThat(longReplyStarted.await(10, TimeUnit.SECONDS)).as("long reply started").isTrue();

			long terminatedAt = System.nanoTime();
			process.terminate();
			process.awaitOutput("Commencing graceful shutdown of glide-socket sockets", Duration.ofSeconds(15));
			stopBegan.countDown();
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
			for (JedisCountingClient client : jedisClients) {
				assertThat(client.errors()).as("errors of a Jedis client").isEmpty();
				assertThat(client.endedByServer()).as("Jedis connection ended by the server").isTrue();
			}
			StringBuilder expected = new StringBuilder("*" + LONG_REPLY_VALUES + "\r\n");
			for (int i = 0; i < LONG_REPLY_VALUES; i++) {
				expected.append('$').append(VALUE_LENGTH).append("\r\n").append(value).append("\r\n");
			}
			assertThat(longReply.get(30, TimeUnit.SECONDS)).as("the reply being read when the stop began, whole")
				.isEqualTo(expected.toString().getBytes(StandardCharsets.US_ASCII));
			assertThat(clients).as("clients answered after SIGTERM, while connections drained")
				.anyMatch((client) -> client.lastAnswerNanos() - terminatedAt > 0);
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void sigtermWithOnlyIdleConnectionsExitsInAFractionOfTheShutdownTimeout(String connectionMode) throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		Duration shutdownTimeout = Duration.ofSeconds(20);
		List<RespTestConnection> idle = new ArrayList<>();
		try (SampleProcess process = SampleProcess.serving(socket)
			.property("sample.resp.connection-mode", connectionMode)
			.property("spring.lifecycle.timeout-per-shutdown-phase", shutdownTimeout.toSeconds() + "s")
			.startAndAwait()) {
			for (int i = 0; i < IDLE_CONNECTIONS; i++) {
				RespTestConnection connection = RespTestConnection.open(socket);
				idle.add(connection);
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
			long terminatedAt = System.nanoTime();
			process.terminate();
			int exitCode = process.awaitExit(Duration.ofSeconds(60));
			Duration exitedAfter = Duration.ofNanos(System.nanoTime() - terminatedAt);
			Duration drain = logInterval(process.output(), "Commencing graceful shutdown of glide-socket sockets",
					"Graceful shutdown of glide-socket sockets complete");
			System.out.printf("[%s] SIGTERM with %d idle connections: sockets drained in %d ms, process exited "
					+ "after %d ms; shutdown timeout %d s%n", connectionMode, IDLE_CONNECTIONS, drain.toMillis(),
					exitedAfter.toMillis(), shutdownTimeout.toSeconds());
			assertThat(exitCode).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(process.output()).contains("Waiting up to")
				.contains("for " + IDLE_CONNECTIONS + " active connection(s) to finish");
			assertThat(exitedAfter).as("time from SIGTERM to exit").isLessThan(shutdownTimeout.dividedBy(2));
			for (RespTestConnection connection : idle) {
				assertThat(connection.isClosedByServer()).as("idle connection closed by the server").isTrue();
			}
		}
		finally {
			for (RespTestConnection connection : idle) {
				connection.close();
			}
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	/**
	 * Send an {@code MGET} of the 1 MB value {@value #LONG_REPLY_VALUES} times, read the first
	 * megabyte of the reply, wait until the stop has begun (the server is then in the middle of
	 * the reply, held back by the client), then read the rest in small reads, as a slow client
	 * would, up to the end of the stream.
	 * @return every byte received before the end of the stream
	 */
	private static byte[] readLongReplyAcrossTheStop(Path socket, CountDownLatch started, CountDownLatch stopBegan)
			throws IOException, InterruptedException {
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
			StringBuilder request = new StringBuilder("*" + (LONG_REPLY_VALUES + 1) + "\r\n$4\r\nMGET\r\n");
			request.append("$5\r\nvalue\r\n".repeat(LONG_REPLY_VALUES));
			channel.write(ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.US_ASCII)));
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
			while (received.size() < VALUE_LENGTH && channel.read(buffer.clear()) >= 0) {
				received.write(buffer.array(), 0, buffer.position());
			}
			started.countDown();
			stopBegan.await();
			while (channel.read(buffer.clear()) >= 0) {
				received.write(buffer.array(), 0, buffer.position());
				Thread.sleep(1);
			}
			return received.toByteArray();
		}
	}

	/**
	 * The time between two lines of the application's log, from their timestamps.
	 */
	private static Duration logInterval(String log, String first, String second) {
		return Duration.between(logTime(log, first), logTime(log, second));
	}

	private static Instant logTime(String log, String text) {
		for (String line : log.split("\n")) {
			if (line.contains(text)) {
				return Instant.parse(line.substring(0, line.indexOf(' ')));
			}
		}
		throw new IllegalStateException("No line with '" + text + "' in:\n" + log);
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
