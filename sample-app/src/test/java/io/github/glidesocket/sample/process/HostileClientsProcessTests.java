package io.github.glidesocket.sample.process;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.sample.RespTestConnection;
import io.github.glidesocket.sample.SampleHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that send garbage, lie about lengths, never read, or trickle bytes: each gets an error
 * reply or a disconnect, or is simply held back, while a well-behaved client keeps being served
 * correctly and about as fast as before, and the heap of a small JVM holds.
 */
@Tag("process")
@Timeout(240)
class HostileClientsProcessTests {

	/** Small enough that buffering a reply per pipelined request would run out of heap. */
	private static final String SMALL_HEAP = "-Xmx96m";

	private static final int BIG_VALUE_LENGTH = 256 * 1024;

	/** A heap that a reply of 400 MB, or three partial uploads of 50 MB held whole, overflow. */
	private static final String MEMORY_ATTACK_HEAP = "-Xmx256m";

	private static final int MGET_VALUE_LENGTH = 4 * 1024 * 1024;

	private static final int MGET_KEYS = 100;

	private static final int UPLOAD_DECLARED_LENGTH = 60 * 1024 * 1024;

	private static final int UPLOAD_SENT_LENGTH = 50 * 1024 * 1024;

	/** One byte a second in spirit, shortened so the test stays quick. */
	private static final Duration SLOW_BYTE_INTERVAL = Duration.ofMillis(250);

	private final ExecutorService hostile = Executors.newCachedThreadPool();

	@TempDir
	Path directory;

	@AfterEach
	void stopHostileClients() throws InterruptedException {
		this.hostile.shutdownNow();
		assertThat(this.hostile.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "thread-per-connection", "event-loop" })
	void hostileClientsAreRefusedOneByOneWhileAWellBehavedClientIsServed(String connectionMode) throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess app = SampleProcess.serving(socket)
			.jvmArgument(SMALL_HEAP)
			.property("sample.resp.connection-mode", connectionMode)
			.startAndAwait(); RespTestConnection client = RespTestConnection.open(socket)) {
			SampleHttpClient http = new SampleHttpClient(app.httpPort());
			assertThat(client.command("SET", "big", "x".repeat(BIG_VALUE_LENGTH))).isEqualTo("+OK");
			// Warm up (JIT) first, so that the baseline is the steady state.
			pingLatencies(client, 3000);
			List<Long> baseline = pingLatencies(client, 1000);

			List<Future<String>> outcomes = new ArrayList<>();
			outcomes.add(this.hostile.submit(() -> randomBytes(socket)));
			outcomes.add(this.hostile.submit(() -> requestCutShort(socket)));
			outcomes.add(this.hostile.submit(() -> refusedLength(socket, "*1\r\n$2147483647\r\n", "invalid bulk length")));
			outcomes.add(this.hostile.submit(() -> refusedLength(socket, "*99999999\r\n", "invalid multibulk length")));
			outcomes.add(this.hostile.submit(() -> pipelineWithoutReading(socket)));
			outcomes.add(this.hostile.submit(() -> slowloris(socket)));

			// Served correctly throughout: every reply is checked, not only timed.
			List<Long> underAttack = new ArrayList<>();
			for (int round = 0; !outcomes.stream().allMatch(Future::isDone); round++) {
				underAttack.add(timedPing(client));
				if (round % 50 == 0) {
					assertThat(client.command("INCR", "rounds")).isEqualTo(":" + (round / 50 + 1));
				}
			}
			for (Future<String> outcome : outcomes) {
				System.out.printf("[%s] %s%n", connectionMode, outcome.get());
			}
			assertThat(client.command("GET", "truncated")).as("the request that was cut short").isNull();
			assertThat(client.command("GET", "big")).hasSize(BIG_VALUE_LENGTH);

			long baselineP99 = p99(baseline);
			long underAttackP99 = p99(underAttack);
			long allowed = Math.max(10 * baselineP99, TimeUnit.MILLISECONDS.toNanos(50));
			System.out.printf("[%s] PING p99: %d us alone (%d pings), %d us with hostile clients (%d pings)%n",
					connectionMode, baselineP99 / 1000, baseline.size(), underAttackP99 / 1000, underAttack.size());
			assertThat(underAttackP99).as("PING p99 in ns with hostile clients, baseline %d ns", baselineP99)
				.isLessThanOrEqualTo(allowed);

			// Every hostile connection is gone; only the well-behaved one is left.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(http.metric("glide.socket.connections.active", "socket:default"))
					.isEqualTo(1));
			System.out.printf("[%s] heap used afterwards: %d KB%n", connectionMode,
					(long) http.metric("jvm.memory.used", "area:heap") / 1024);
			assertThat(app.isAlive()).isTrue();
			assertThat(app.output()).doesNotContain("OutOfMemoryError");
			app.terminate();
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
	}

	/**
	 * Attacks on memory with a 256 MB heap: a 716-byte MGET of a 4 MB value 100 times whose
	 * 400 MB reply is never read, and three uploads of 50 MB that never finish. The reply is
	 * written only as fast as it is read and the uploads share a budget of a quarter of the
	 * heap, so the process stays up and healthy and serves a well-behaved client throughout.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void largeReplyNeverReadAndPartialUploadsLeaveTheHeapAndOtherClientsAlone(String connectionMode)
			throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		List<AutoCloseable> attackers = new ArrayList<>();
		try (SampleProcess app = SampleProcess.serving(socket)
			.jvmArgument(MEMORY_ATTACK_HEAP)
			.property("sample.resp.connection-mode", connectionMode)
			.startAndAwait(); RespTestConnection client = RespTestConnection.open(socket)) {
			SampleHttpClient http = new SampleHttpClient(app.httpPort());
			String big = "x".repeat(MGET_VALUE_LENGTH);
			assertThat(client.command("SET", "k", big)).isEqualTo("+OK");

			RespTestConnection mget = RespTestConnection.open(socket);
			attackers.add(mget);
			StringBuilder request = new StringBuilder("*" + (MGET_KEYS + 1) + "\r\n$4\r\nMGET\r\n");
			request.append("$1\r\nk\r\n".repeat(MGET_KEYS));
			assertThat(request).hasSize(716);
			mget.sendRaw(request.toString());

			List<Future<String>> uploads = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				SocketChannel upload = SocketChannel.open(UnixDomainSocketAddress.of(socket));
				attackers.add(upload);
				int index = i;
				uploads.add(this.hostile.submit(() -> partialUpload(upload, index)));
			}
			for (int round = 1; !uploads.stream().allMatch(Future::isDone); round++) {
				assertThat(client.command("PING")).isEqualTo("+PONG");
				assertThat(client.command("INCR", "rounds")).isEqualTo(":" + round);
				assertThat(app.isAlive()).isTrue();
			}
			List<String> outcomes = new ArrayList<>();
			for (Future<String> upload : uploads) {
				outcomes.add(upload.get());
			}
			outcomes.forEach((outcome) -> System.out.printf("[%s] %s%n", connectionMode, outcome));

			// The attackers are still connected: the reply unread, an upload unfinished.
			assertThat(app.isAlive()).isTrue();
			assertThat(app.output()).doesNotContain("OutOfMemoryError");
			assertThat(client.command("PING")).isEqualTo("+PONG");
			assertThat(client.command("EXISTS", "k", "upload0", "upload1", "upload2")).isEqualTo(":1");
			assertThat(client.command("SET", "after", "attacks")).isEqualTo("+OK");
			assertThat(client.command("GET", "after")).isEqualTo("attacks");
			assertThat(app.glideSocketHealth()).isEqualTo("UP");
			System.out.printf("[%s] heap used with the attackers connected: %d MB%n", connectionMode,
					(long) http.metric("jvm.memory.used", "area:heap") / 1024 / 1024);
			assertThat(outcomes).as("uploads refused: three do not fit in a quarter of the heap")
				.filteredOn((outcome) -> outcome.contains("refused"))
				.hasSizeGreaterThanOrEqualTo(2)
				.allMatch((outcome) -> outcome.endsWith("with '-ERR max buffered request bytes reached'"));
			for (AutoCloseable attacker : attackers) {
				attacker.close();
			}
			app.terminate();
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(app.output()).doesNotContain("OutOfMemoryError");
		}
		finally {
			for (AutoCloseable attacker : attackers) {
				attacker.close();
			}
		}
	}

	/**
	 * A SET whose value is declared {@value #UPLOAD_DECLARED_LENGTH} bytes long, of which 50 MB
	 * are sent and the rest never: refused with an error reply and a disconnect, or held
	 * unfinished until the test ends. On the JDK's channel, which can still read the reply after
	 * a write failed because the server closed.
	 */
	private static String partialUpload(SocketChannel connection, int index) throws IOException {
		String header = "*3\r\n$3\r\nSET\r\n$7\r\nupload" + index + "\r\n$" + UPLOAD_DECLARED_LENGTH + "\r\n";
		connection.write(ByteBuffer.wrap(header.getBytes(StandardCharsets.US_ASCII)));
		ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
		long sent = 0;
		try {
			while (sent < UPLOAD_SENT_LENGTH) {
				sent += connection.write(chunk.clear());
			}
		}
		catch (IOException ex) {
			ByteBuffer reply = ByteBuffer.allocate(256);
			try {
				while (connection.read(reply) > 0) {
					// Read up to the end of stream.
				}
			}
			catch (IOException readFailed) {
				// Reset after the reply: what was read is the reply.
			}
			String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).strip();
			return "upload " + index + ": refused after " + sent / 1024 / 1024 + " MB with '" + text + "'";
		}
		return "upload " + index + ": " + sent / 1024 / 1024 + " MB sent, held unfinished";
	}

	/** Bytes that are not RESP: an error reply, or the connection closes. */
	private static String randomBytes(Path socket) throws IOException {
		byte[] garbage = new byte[64 * 1024];
		new Random(6).nextBytes(garbage);
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			connection.sendBytes(garbage);
			try {
				String reply = connection.readReply();
				assertThat(reply).startsWith("-ERR");
				return "random bytes: " + reply.substring(0, Math.min(reply.length(), 40)) + "...";
			}
			catch (EOFException | SocketException ex) {
				return "random bytes: closed without a reply";
			}
		}
	}

	/** A request cut in the middle of an argument, then the client leaves: nothing is stored. */
	private static String requestCutShort(Path socket) throws IOException {
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			connection.sendRaw("*3\r\n$3\r\nSET\r\n$9\r\ntruncated\r\n$100\r\nonly the first part");
		}
		return "request cut short: client closed";
	}

	/** A declared length over the limits: a protocol error before anything of that size exists. */
	private static String refusedLength(Path socket, String request, String error) throws IOException {
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			connection.sendRaw(request);
			assertThat(connection.readReply()).isEqualTo("-ERR Protocol error: " + error);
			assertThat(connection.isClosedByServer()).isTrue();
		}
		return "'" + request.replace("\r\n", "\\r\\n") + "': error reply, then closed";
	}

	/**
	 * GETs of a big value, pipelined without ever reading a reply: the server must stop reading
	 * (the client's writes stall) rather than hold a reply for every request.
	 */
	private String pipelineWithoutReading(Path socket) throws Exception {
		byte[] batch = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
		AtomicLong written = new AtomicLong();
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			Future<?> writer = this.hostile.submit((Callable<Void>) () -> {
				while (true) {
					connection.sendBytes(batch);
					written.addAndGet(batch.length);
				}
			});
			long[] previous = { -1 };
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
				long now = written.get();
				boolean stalled = now == previous[0];
				previous[0] = now;
				return stalled;
			});
			assertThat(writer.isDone()).as("the writer is blocked, not failed").isFalse();
			// Each request asks for 256 KB: a server that kept reading would owe gigabytes by now.
			assertThat(written.get()).isLessThan(16L * 1024 * 1024);
		}
		long requests = written.get() / (batch.length / 1000);
		return "pipelined " + requests + " GETs (" + requests * BIG_VALUE_LENGTH / 1024 / 1024
				+ " MB of replies) before its writes stalled";
	}

	/** A request trickled one byte at a time: it holds only its own connection, then is answered. */
	private static String slowloris(Path socket) throws Exception {
		byte[] request = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			for (byte b : request) {
				connection.sendBytes(new byte[] { b });
				Thread.sleep(SLOW_BYTE_INTERVAL.toMillis());
			}
			assertThat(connection.readReply()).isEqualTo("+PONG");
		}
		return "slow client: answered after " + request.length + " bytes one by one";
	}

	private static List<Long> pingLatencies(RespTestConnection client, int count) throws IOException {
		List<Long> latencies = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			latencies.add(timedPing(client));
		}
		return latencies;
	}

	private static long timedPing(RespTestConnection client) throws IOException {
		long start = System.nanoTime();
		assertThat(client.command("PING")).isEqualTo("+PONG");
		return System.nanoTime() - start;
	}

	private static long p99(List<Long> latencies) {
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
	}

}
