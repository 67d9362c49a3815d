package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.glidesocket.sample.RespTestConnection;
import io.github.glidesocket.sample.SampleHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * References and connections churned at full speed for a while, then a quiet moment: file
 * descriptors, threads, registry entries, references, connections and the heap after GC must be
 * back near where they were after a warm-up, with a slack that does not grow with the work done.
 * <p>
 * The application keeps its own reference ({@code listen-on-startup=true}), so the socket stays
 * bound and every connect of the churn must succeed: a failure is then a defect, not a race with
 * the socket closing. Binding and unbinding under churn is the subject of the core's stress test.
 * <p>
 * The churn lasts {@value #DEFAULT_CHURN_SECONDS} s per connection mode; set the system property
 * {@value #CHURN_SECONDS_PROPERTY} (at most 60) for a longer soak.
 */
@Tag("process")
@Timeout(300)
class ChurnSoakProcessTests {

	static final String CHURN_SECONDS_PROPERTY = "churn.seconds";

	static final int DEFAULT_CHURN_SECONDS = 20;

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private final ExecutorService workers = Executors.newCachedThreadPool();

	@TempDir
	Path directory;

	@AfterEach
	void stopWorkers() throws InterruptedException {
		this.workers.shutdownNow();
		assertThat(this.workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "thread-per-connection", "event-loop" })
	void afterChurnEverythingIsBackToWhereItWas(String connectionMode) throws Exception {
		Duration churn = Duration.ofSeconds(Math.min(60, Integer.getInteger(CHURN_SECONDS_PROPERTY, DEFAULT_CHURN_SECONDS)));
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess app = SampleProcess.serving(socket)
			.property("sample.resp.connection-mode", connectionMode)
			.property("glide.socket.listen-on-startup", "true")
			.startAndAwait()) {
			SampleHttpClient http = new SampleHttpClient(app.httpPort());
			// The warm-up does the same work, so that pools, loops and JIT reach their steady size.
			churn(socket, http, WARM_UP);
			Resources before = quietResources(app, http);
			Operations done = churn(socket, http, churn);
			Resources after = quietResources(app, http);
			System.out.printf("[%s] churn of %d s: %s%n", connectionMode, churn.toSeconds(), done);
			System.out.printf("[%s] after warm-up: %s%n", connectionMode, before);
			System.out.printf("[%s] after churn:   %s%n", connectionMode, after);

			assertThat(done.references.sum()).as("references acquired and closed").isPositive();
			assertThat(done.connections.sum()).as("connections served").isPositive();
			assertThat(done.abrupt.sum()).as("connections closed mid-request").isPositive();
			assertThat(after.references).as("references: the application's own").isEqualTo(1);
			assertThat(after.connections).isZero();
			assertThat(after.clients).isZero();
			assertThat(after.sockets).isEqualTo(before.sockets);
			assertThat(after.generation).as("the socket was never re-bound").isEqualTo(before.generation);
			assertThat(after.leaks).isZero();
			assertThat(after.fileDescriptors).isLessThanOrEqualTo(before.fileDescriptors + 8);
			// Idle connection threads and web server workers are kept for a while before they end.
			assertThat(after.threads).isLessThanOrEqualTo(before.threads + 20);
			assertThat(after.heapKilobytes).isLessThanOrEqualTo(before.heapKilobytes + 24 * 1024);
			// Clients that leave mid-request are normal: no warning, and no one else refused.
			assertThat(app.output().lines()
				.filter((line) -> line.contains("OutOfMemoryError") || line.contains("andler failed")
						|| line.contains("Refused a connection")))
				.as("log lines about failed or refused connections")
				.isEmpty();
			app.terminate();
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
		assertThat(socket).doesNotExist();
	}

	/**
	 * Run every kind of churn at once until the time is up: references through HTTP, short
	 * connections, and connections dropped in the middle of a request.
	 */
	private Operations churn(Path socket, SampleHttpClient http, Duration duration) throws Exception {
		Operations done = new Operations();
		long end = System.nanoTime() + duration.toNanos();
		List<Future<Void>> running = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			running.add(until(end, () -> referenceThroughHttp(http, done)));
			running.add(until(end, () -> shortConnection(socket, done)));
		}
		running.add(until(end, () -> abruptlyClosedConnection(socket, done)));
		for (Future<Void> worker : running) {
			worker.get();
		}
		return done;
	}

	private Future<Void> until(long end, Callable<Void> operation) {
		return this.workers.submit(() -> {
			while (System.nanoTime() < end) {
				operation.call();
			}
			return null;
		});
	}

	private static Void referenceThroughHttp(SampleHttpClient http, Operations done) throws Exception {
		SampleHttpClient.Reply created = http.post("/clients");
		assertThat(created.status()).isEqualTo(201);
		long id = created.json().path("id").asLong();
		if (id % 4 == 0) {
			assertThat(http.get("/clients/" + id + "/ping").json().path("reply").asString()).isEqualTo("+PONG");
		}
		assertThat(http.delete("/clients/" + id).status()).isEqualTo(204);
		done.references.increment();
		return null;
	}

	private static Void shortConnection(Path socket, Operations done) throws IOException {
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			assertThat(connection.command("PING")).isEqualTo("+PONG");
		}
		done.connections.increment();
		return null;
	}

	private static Void abruptlyClosedConnection(Path socket, Operations done) throws IOException {
		try (RespTestConnection connection = RespTestConnection.open(socket)) {
			// Served first, so that the server is inside the connection when it is dropped (and
			// the churn runs at the server's pace: connecting and leaving at once only floods the
			// backlog until the connection limit refuses everyone).
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			// Then half a request, or a whole one whose reply is never read.
			connection.sendRaw((done.abrupt.sum() % 2 == 0) ? "*3\r\n$3\r\nSET\r\n$5\r\nchurn\r\n$10\r\nabc"
					: "*2\r\n$3\r\nGET\r\n$5\r\nchurn\r\n");
		}
		done.abrupt.increment();
		return null;
	}

	/**
	 * What the application holds once nothing happens: waits for connections and references to
	 * settle, then collects garbage before reading the heap.
	 */
	private static Resources quietResources(SampleProcess app, SampleHttpClient http) throws Exception {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(http.metric("glide.socket.connections.active", "socket:default")).isZero();
			assertThat(http.referencesMetric()).isEqualTo(1);
		});
		JsonNode sockets = http.get("/actuator/glidesockets").json();
		JsonNode socket = http.defaultSocket();
		int clients = http.get("/clients").json().size();
		app.jcmd("GC.run");
		long heapKilobytes = (long) http.metric("jvm.memory.used", "area:heap") / 1024;
		return new Resources(app.openFileDescriptors(), app.threads(), heapKilobytes,
				sockets.path("sockets").size(), socket.path("generation").asLong(), sockets.path("references").asInt(),
				sockets.path("connections").asInt(), sockets.path("leaks").asLong(), clients);
	}

	private record Resources(long fileDescriptors, long threads, long heapKilobytes, int sockets, long generation,
			int references, int connections, long leaks, int clients) {

		@Override
		public String toString() {
			return "fds=" + this.fileDescriptors + " threads=" + this.threads + " heapAfterGc=" + this.heapKilobytes
					+ "K sockets=" + this.sockets + " generation=" + this.generation + " references=" + this.references
					+ " connections=" + this.connections + " leaks=" + this.leaks + " clients=" + this.clients;
		}

	}

	private static final class Operations {

		final LongAdder references = new LongAdder();

		final LongAdder connections = new LongAdder();

		final LongAdder abrupt = new LongAdder();

		@Override
		public String toString() {
			return this.references.sum() + " references acquired and closed over HTTP, " + this.connections.sum()
					+ " connect/PING/close, " + this.abrupt.sum() + " connections closed mid-request";
		}

	}

}
