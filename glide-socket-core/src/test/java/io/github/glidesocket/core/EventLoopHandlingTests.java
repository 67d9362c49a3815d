package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.internal.transport.EventLoop;
import io.github.glidesocket.core.internal.transport.EventLoopConnection;

import io.github.glidesocket.core.ConnectionHandlingTests;
import io.github.glidesocket.core.EventConnection;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSession;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.TestServers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Event-loop mode ({@link SocketEventHandler}): the guarantees of thread-per-connection mode
 * (idle timeout, graceful stop) on a few loop threads, plus input split across reads,
 * back-pressure and parking. Failures and connection limits are tested in both modes by
 * {@link ConnectionHandlingTests}.
 */
@Timeout(90)
public class EventLoopHandlingTests {

	private static final Duration WAIT = Duration.ofSeconds(20);


	@TempDir
	Path directory;

	private final ConnectionHandlingTests.Events events = new ConnectionHandlingTests.Events();

	private final TestServers servers = new TestServers(this.events, WAIT);

	/** A name of this test's own, so that its thread checks never see another test's threads. */
	private final String managerName = TestServers.uniqueName("event-test");

	/** Every session's events, in order, for the tests that look at them. */
	private final List<String> sessionEvents = new CopyOnWriteArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		this.servers.close();
	}

	private SocketManager manager(SocketOptions.Builder options) {
		return manager(options, 2);
	}

	private SocketManager manager(SocketOptions.Builder options, int loopThreads) {
		return this.servers
			.manager(SocketManager.builder().defaults(options.build()).name(this.managerName).eventLoopThreads(loopThreads));
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	private AFUNIXSocket connect(SocketReference reference) throws IOException {
		return this.servers.connect(reference);
	}

	/**
	 * Answers each complete line with the line itself; "boom" fails the session, "quit" closes
	 * the connection after its reply.
	 */
	private SocketEventHandler lineEcho() {
		return (connection) -> new LineSession(connection, this.sessionEvents);
	}

	@Test
	void servesManyConcurrentClientsOnTheLoopThreadsOnly() throws Exception {
		Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> {
			handlerThreads.add(Thread.currentThread().getName());
			return new LineSession(connection, this.sessionEvents);
		}));
		int clientCount = 40;
		ExecutorService pool = Executors.newFixedThreadPool(clientCount);
		try (SocketReference reference = manager.getOrCreate(path())) {
			List<Future<Integer>> results = new ArrayList<>();
			for (int c = 0; c < clientCount; c++) {
				int client = c;
				results.add(pool.submit(() -> {
					try (AFUNIXSocket socket = reference.connect()) {
						int answered = 0;
						for (int i = 0; i < 100; i++) {
							String line = "client " + client + " request " + i;
							if (line.equals(roundTrip(socket, line))) {
								answered++;
							}
						}
						return answered;
					}
				}));
			}
			for (Future<Integer> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(100);
			}
			assertThat(handlerThreads).isNotEmpty()
				.allSatisfy((name) -> assertThat(name).matches(this.managerName + "-loop-[12]"));
			assertThat(liveThreads(this.managerName + "-connection-")).isEmpty();
			await().atMost(WAIT).untilAsserted(() -> {
				SocketSnapshot snapshot = manager.snapshot(path()).orElseThrow();
				assertThat(snapshot.acceptedConnections()).isEqualTo(clientCount);
				assertThat(snapshot.connections()).isZero();
				assertThat(this.events.closed).hasValue(clientCount);
			});
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void connectionsThatComeOneAtATimeReachLoopsThatSleepBetweenThem() throws Exception {
		// Each connection goes to a loop that has served one before and sleeps in select: the
		// acceptor must wake it, however it batches its wake-ups.
		SocketManager manager = manager(SocketOptions.builder().eventHandler(lineEcho()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			for (int i = 0; i < 12; i++) {
				try (AFUNIXSocket client = connect(reference)) {
					assertThat(roundTrip(client, "one " + i)).isEqualTo("one " + i);
				}
			}
		}
	}

	@Test
	void pipelinedRequestsSplitAcrossReadsAtEveryByteBoundaryAreAnsweredInOrder() throws Exception {
		AtomicLong bytesReceived = new AtomicLong();
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> {
			LineSession lines = new LineSession(connection, this.sessionEvents);
			return (input) -> {
				bytesReceived.addAndGet(input.remaining());
				lines.received(input);
			};
		}));
		byte[] batch = "alpha\nbe\nthird request\n".getBytes(StandardCharsets.US_ASCII);
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			OutputStream out = client.getOutputStream();
			InputStream in = client.getInputStream();
			for (int split = 1; split < batch.length; split++) {
				long expected = bytesReceived.get() + split;
				out.write(batch, 0, split);
				out.flush();
				// The second part is sent only after the server has read the first (and, having
				// answered a request in it, may have offered the rest of it to the session again).
				await().atMost(WAIT).until(() -> bytesReceived.get() >= expected);
				out.write(batch, split, batch.length - split);
				out.flush();
				assertThat(readLine(in)).as("split at %d", split).isEqualTo("alpha");
				assertThat(readLine(in)).isEqualTo("be");
				assertThat(readLine(in)).isEqualTo("third request");
			}
		}
	}

	@Test
	void gracefulShutdownDeliversEndOfInputAndSendsTheRepliesToWhatWasRead() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> new SocketSession() {

			private int lines;

			@Override
			public void received(ByteBuffer input) {
				while (input.hasRemaining()) {
					if (input.get() == '\n') {
						this.lines++;
					}
				}
			}

			@Override
			public void endOfInput() {
				byte[] reply = ("read " + this.lines + " lines\n").getBytes(StandardCharsets.US_ASCII);
				connection.write(reply, 0, reply.length);
			}

		}));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			client.getOutputStream().write("one\ntwo\nthr".getBytes(StandardCharsets.US_ASCII));
			client.getOutputStream().flush();
			await().atMost(WAIT).until(() -> manager.snapshot(path()).orElseThrow().connections() == 1);
			CompletableFuture<Void> stopped = manager.shutdownSocket(path(), Duration.ofSeconds(20));
			assertThat(readLine(client.getInputStream())).isEqualTo("read 2 lines");
			assertThat(client.getInputStream().read()).isEqualTo(-1);
			stopped.get(10, TimeUnit.SECONDS);
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.closed).hasValue(1));
			assertThat(manager.isSocketActive(path())).isFalse();
		}
	}

	@Test
	void connectionThatKeepsItsRepliesWaitingIsClosedAtTheShutdownDeadline() throws Exception {
		byte[] big = new byte[256 * 1024];
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> (input) -> {
			input.position(input.limit());
			connection.write(big, 0, big.length);
		}));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			client.getOutputStream().write('x');
			client.getOutputStream().flush();
			// The client never reads: the reply stays pending, so the input is never read to its end.
			await().atMost(WAIT).until(() -> manager.snapshot(path()).orElseThrow().connections() == 1);
			long start = System.nanoTime();
			CompletableFuture<Void> stopped = manager.shutdownSocket(path(), Duration.ofMillis(500));
			stopped.get(10, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.closed).hasValue(1));
			assertThat(drain(client.getInputStream())).as("bytes before the close").isLessThan(big.length);
		}
	}

	@Test
	void idleConnectionIsClosedAfterIdleTimeoutAndActiveOneIsNot() throws Exception {
		SocketManager manager = manager(
				SocketOptions.builder().idleTimeout(Duration.ofMillis(400)).eventHandler(lineEcho()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket idle = connect(reference);
			AFUNIXSocket active = connect(reference);
			assertThat(roundTrip(idle, "still here")).isEqualTo("still here");
			long idleFrom = System.nanoTime();
			for (int i = 0; i < 12; i++) {
				assertThat(roundTrip(active, "tick " + i)).isEqualTo("tick " + i);
				Thread.sleep(100);
			}
			assertThat(idle.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - idleFrom)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
			assertThat(roundTrip(active, "after")).as("the active connection is served").isEqualTo("after");
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(manager.snapshot(path()).orElseThrow().connections()).isEqualTo(1);
				assertThat(this.events.closed).hasValue(1);
			});
			assertThat(this.sessionEvents).contains("closed");
		}
	}

	@Test
	void clientThatNeverReadsIsNoLongerReadAndOthersAreServed() throws Exception {
		int replySize = 16 * 1024;
		byte[] reply = new byte[replySize];
		AtomicReference<EventConnection> slow = new AtomicReference<>();
		AtomicInteger maxPending = new AtomicInteger();
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> {
			LineSession lines = new LineSession(connection, this.sessionEvents);
			return (input) -> {
				if (input.get(input.position()) != 'S') {
					lines.received(input);
					return;
				}
				slow.set(connection);
				while (input.hasRemaining()) {
					if (input.get() == '\n') {
						connection.write(reply, 0, reply.length);
					}
				}
				maxPending.accumulateAndGet(connection.pendingOutputBytes(), Math::max);
			};
		}), 1);
		byte[] request = new byte[1024];
		java.util.Arrays.fill(request, (byte) 'S');
		request[request.length - 1] = '\n';
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket greedy = connect(reference);
			AtomicLong sent = new AtomicLong();
			writer.submit(() -> {
				OutputStream out = greedy.getOutputStream();
				while (true) {
					out.write(request);
					sent.addAndGet(request.length);
				}
			});
			// The writer stalls once the server stops reading and the kernel buffers are full.
			await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(new StalledCounter(sent));
			assertThat(sent.get()).as("requests sent before the stall").isLessThan(64L * 1024 * 1024);
			// Replies to at most one read (64 KB of 1 KB requests), whatever the client sends.
			int bound = (EventLoop.READ_BUFFER_SIZE / request.length + 1) * replySize;
			assertThat(maxPending.get()).isPositive().isLessThanOrEqualTo(bound);
			assertThat(slow.get().pendingOutputBytes()).isLessThanOrEqualTo(bound);
			AFUNIXSocket other = connect(reference);
			assertThat(roundTrip(other, "served")).isEqualTo("served");
		}
		finally {
			writer.shutdownNow();
		}
	}

	@Test
	void inputLeftWhileRepliesWereWrittenIsOfferedAgainWhenTheSocketTookThemAtOnce() throws Exception {
		// Answers "N" with N lines, one per call, leaving the request unconsumed until the last:
		// each line is small enough for the socket to take at once.
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> new SocketSession() {

			private int written;

			@Override
			public void received(ByteBuffer input) {
				int end = input.position();
				while (end < input.limit() && input.get(end) != '\n') {
					end++;
				}
				if (end == input.limit()) {
					return;
				}
				byte[] count = new byte[end - input.position()];
				input.get(input.position(), count);
				int lines = Integer.parseInt(new String(count, StandardCharsets.US_ASCII));
				this.written++;
				connection.write(("part " + this.written + "\n").getBytes(StandardCharsets.US_ASCII), 0,
						("part " + this.written + "\n").length());
				if (this.written == lines) {
					this.written = 0;
					input.position(end + 1);
				}
			}

		}));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			client.setSoTimeout((int) WAIT.toMillis());
			for (int round = 0; round < 20; round++) {
				client.getOutputStream().write("5\n".getBytes(StandardCharsets.US_ASCII));
				for (int part = 1; part <= 5; part++) {
					assertThat(readLine(client.getInputStream())).as("round %d", round).isEqualTo("part " + part);
				}
			}
		}
	}

	@Test
	void manyIdleConnectionsDoNotStallAnActiveOne() throws Exception {
		SocketManager manager = manager(SocketOptions.builder()
			.eventHandler((connection) -> new LineSession(connection, this.sessionEvents)), 2);
		try (SocketReference reference = manager.getOrCreate(path())) {
			List<AFUNIXSocket> idle = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				idle.add(connect(reference));
				assertThat(roundTrip(idle.get(i), "idle " + i)).isEqualTo("idle " + i);
			}
			AFUNIXSocket active = connect(reference);
			for (int i = 0; i < 200; i++) {
				assertThat(roundTrip(active, "active " + i)).isEqualTo("active " + i);
			}
			Thread.sleep(1100);
			for (int i = 0; i < 200; i++) {
				assertThat(roundTrip(active, "still active " + i)).isEqualTo("still active " + i);
			}
			for (int i = 0; i < 50; i++) {
				assertThat(roundTrip(idle.get(i), "back " + i)).as("idle connection %d", i).isEqualTo("back " + i);
			}
			assertThat(manager.snapshot(path()).orElseThrow().connections()).isEqualTo(51);
			assertThat(liveThreads(this.managerName + "-loop-")).containsExactlyInAnyOrder(this.managerName + "-loop-1",
					this.managerName + "-loop-2");
			assertThat(liveThreads(this.managerName + "-accept-")).as("event-loop sockets accept on their loops").isEmpty();
			assertThat(liveThreads(this.managerName + "-connection-")).isEmpty();
		}
	}

	@Test
	void idleConnectionStopsGracefullyTimesOutAndNoticesItsPeerLeaving() throws Exception {
		SocketManager manager = manager(SocketOptions.builder()
			.idleTimeout(Duration.ofMillis(2500))
			.eventHandler((connection) -> new LineSession(connection, this.sessionEvents)), 1);
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket leaving = connect(reference);
			AFUNIXSocket timingOut = connect(reference);
			assertThat(roundTrip(leaving, "leaving")).isEqualTo("leaving");
			assertThat(roundTrip(timingOut, "timing out")).isEqualTo("timing out");
			leaving.close();
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.closed).hasValue(1));
			assertThat(timingOut.getInputStream().read()).as("closed by the idle timeout").isEqualTo(-1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.closed).hasValue(2));
			AFUNIXSocket stopping = connect(reference);
			assertThat(roundTrip(stopping, "stopping")).isEqualTo("stopping");
			manager.shutdownSocket(path(), Duration.ofSeconds(20)).get(10, TimeUnit.SECONDS);
			assertThat(stopping.getInputStream().read()).isEqualTo(-1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.closed).hasValue(3));
			assertThat(this.sessionEvents).containsSubsequence("received stopping", "endOfInput", "closed");
		}
	}

	@Test
	void peerEndingItsOutputGetsTheRepliesThenTheSessionCloses() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().eventHandler(lineEcho()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			client.getOutputStream().write("last words\n".getBytes(StandardCharsets.US_ASCII));
			client.getChannel().shutdownOutput();
			assertThat(readLine(client.getInputStream())).isEqualTo("last words");
			assertThat(client.getInputStream().read()).isEqualTo(-1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.sessionEvents)
				.containsSubsequence("received last words", "endOfInput", "closed"));
		}
	}

	@Test
	void bytesReceivedAndSentAreCountedPerSocket() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().eventHandler(lineEcho()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			for (int i = 0; i < 10; i++) {
				assertThat(roundTrip(client, "0123456789")).isEqualTo("0123456789");
			}
			// The loop counts a write just after the peer may have read it.
			await().atMost(WAIT).untilAsserted(() -> {
				SocketSnapshot snapshot = manager.snapshot(path()).orElseThrow();
				assertThat(snapshot.bytesReceived()).isEqualTo(110);
				assertThat(snapshot.bytesSent()).isEqualTo(110);
			});
		}
	}

	/**
	 * A peer that the loop already watches sends its last request and hangs up completely in one
	 * go: the bytes must still be read (a poll-based selector used to drop such a channel first).
	 */
	@Test
	void hangUpRightAfterSendingOnAWatchedConnectionStillGetsItsBytesRead() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().eventHandler(lineEcho()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			for (int i = 0; i < 20; i++) {
				AFUNIXSocket client = connect(reference);
				assertThat(roundTrip(client, "hello " + i)).isEqualTo("hello " + i);
				client.getOutputStream().write(("goodbye " + i + "\n").getBytes(StandardCharsets.US_ASCII));
				client.close();
				String expected = "received goodbye " + i;
				await().atMost(WAIT).untilAsserted(() -> assertThat(this.sessionEvents).contains(expected));
			}
		}
	}

	@Test
	void requestOfAPeerThatClosedBeforeTheLoopGotToItIsStillReceived() throws Exception {
		CountDownLatch busy = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> {
			LineSession lines = new LineSession(connection, this.sessionEvents);
			return (input) -> {
				if (input.get(input.position()) == 'B') {
					// Keeps the only loop thread busy (a test may block it; a handler must not).
					busy.countDown();
					release.await();
				}
				lines.received(input);
			};
		}), 1);
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket blocker = connect(reference);
			blocker.getOutputStream().write("Busy\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(busy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			try (AFUNIXSocket client = reference.connect()) {
				client.getOutputStream().write("fire and forget\n".getBytes(StandardCharsets.US_ASCII));
			}
			release.countDown();
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.sessionEvents).contains("received fire and forget"));
		}
	}

	@Test
	void quitClosesAfterTheReplyAndPeerCloseEndsTheSession() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().eventHandler(lineEcho()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket quitting = connect(reference);
			assertThat(roundTrip(quitting, "quit")).isEqualTo("quit");
			assertThat(quitting.getInputStream().read()).isEqualTo(-1);
			AFUNIXSocket leaving = connect(reference);
			assertThat(roundTrip(leaving, "bye")).isEqualTo("bye");
			leaving.close();
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(manager.snapshot(path()).orElseThrow().connections()).isZero();
				assertThat(this.events.closed).hasValue(2);
			});
		}
	}

	@Test
	void writingOutsideTheConnectionsOwnCallsIsRefused() throws Exception {
		AtomicReference<EventConnection> opened = new AtomicReference<>();
		SocketManager manager = manager(SocketOptions.builder().eventHandler((connection) -> {
			opened.set(connection);
			return new LineSession(connection, this.sessionEvents);
		}));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			assertThat(roundTrip(client, "hello")).isEqualTo("hello");
			assertThatIllegalStateException().isThrownBy(() -> opened.get().write(new byte[1], 0, 1))
				.withMessageContaining("only inside its own handler and session calls");
			assertThat(roundTrip(client, "still fine")).isEqualTo("still fine");
		}
	}

	@Test
	void closingTheManagerEndsTheLoopThreads() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().eventHandler(lineEcho()), 2);
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket first = connect(reference);
		AFUNIXSocket second = connect(reference);
		assertThat(roundTrip(first, "a")).isEqualTo("a");
		assertThat(roundTrip(second, "b")).isEqualTo("b");
		assertThat(liveThreads(this.managerName + "-loop-")).hasSize(2);
		manager.close();
		assertThat(first.getInputStream().read()).isEqualTo(-1);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(liveThreads(this.managerName + "-loop-")).isEmpty();
			assertThat(this.events.closed).hasValue(2);
		});
	}

	@Test
	void eventHandlerAndHandlerReplaceEachOther() {
		SocketEventHandler eventHandler = (connection) -> (input) -> {
		};
		SocketConnectionHandler handler = (connection) -> {
		};
		SocketOptions events = SocketOptions.builder().handler(handler).eventHandler(eventHandler).build();
		assertThat(events.eventHandler()).isSameAs(eventHandler);
		assertThat(events.handler()).isNull();
		SocketOptions threads = events.toBuilder().handler(handler).build();
		assertThat(threads.handler()).isSameAs(handler);
		assertThat(threads.eventHandler()).isNull();
		assertThat(threads.hasHandler()).isTrue();
		assertThat(SocketOptions.defaults().hasHandler()).isFalse();
	}

	private static List<String> liveThreads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

	private static long drain(InputStream in) {
		long count = 0;
		try {
			while (in.read() != -1) {
				count++;
			}
		}
		catch (IOException ex) {
			// Reset by the forced close.
		}
		return count;
	}

	/**
	 * True once the counter has not moved between two polls.
	 */
	private static final class StalledCounter implements java.util.concurrent.Callable<Boolean> {

		private final AtomicLong counter;

		private long last = -1;

		StalledCounter(AtomicLong counter) {
			this.counter = counter;
		}

		@Override
		public Boolean call() {
			long now = this.counter.get();
			boolean stalled = now == this.last && now > 0;
			this.last = now;
			return stalled;
		}

	}

	/**
	 * Echoes complete lines and leaves a partial one for the next call.
	 */
	public static final class LineSession implements SocketSession {

		private final EventConnection connection;

		private final List<String> events;

		public LineSession(EventConnection connection, List<String> events) {
			this.connection = connection;
			this.events = events;
		}

		@Override
		public void received(ByteBuffer input) {
			int start = input.position();
			for (int i = start; i < input.limit(); i++) {
				if (input.get(i) == '\n') {
					byte[] line = new byte[i - start];
					input.get(start, line);
					input.position(i + 1);
					String text = new String(line, StandardCharsets.UTF_8);
					this.events.add("received " + text);
					if (text.equals("boom")) {
						throw new IllegalStateException("session failure on purpose");
					}
					this.connection.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
					if (text.equals("quit")) {
						this.connection.close();
					}
					start = i + 1;
				}
			}
		}

		@Override
		public void endOfInput() {
			this.events.add("endOfInput");
		}

		@Override
		public void closed() {
			this.events.add("closed");
		}

	}

}
