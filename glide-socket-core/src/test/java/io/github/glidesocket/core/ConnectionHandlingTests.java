package io.github.glidesocket.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFUNIXSocket;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static io.github.glidesocket.core.SocketPathValidationTests.stagingDirectories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How accepted connections are served: peer credentials, failures confined to one connection,
 * limits, idle timeout, graceful stop, and the threads handlers run on. The tests of failures and
 * limits run in both connection modes; {@link EventLoopHandlingTests} covers the rest of
 * event-loop mode.
 */
@Timeout(60)
class ConnectionHandlingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	/** Released after each test, so that no handler of a test stays blocked. */
	private final CountDownLatch release = new CountDownLatch(1);

	private final Events events = new Events();

	private final TestServers servers = new TestServers(this.events, WAIT);

	/** A name of this test's own, so that its thread checks never see another test's threads. */
	private final String managerName = TestServers.uniqueName("connection-test");

	@AfterEach
	void cleanUp() throws IOException {
		this.release.countDown();
		this.servers.close();
	}

	private SocketManager manager(SocketOptions options) {
		return manager(SocketManager.builder().defaults(options));
	}

	private SocketManager manager(SocketManager.Builder builder) {
		return this.servers.manager(builder.name(this.managerName));
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	private AFUNIXSocket connect(SocketReference reference) throws IOException {
		return this.servers.connect(reference);
	}

	@Test
	void handlerReceivesPeerCredentialsOfTheConnectingProcess() throws Exception {
		AtomicReference<SocketConnection> seen = new AtomicReference<>();
		SocketManager manager = manager(SocketOptions.builder().handler((connection) -> {
			seen.set(connection);
			echoLines(connection);
		}).build());
		Instant before = Instant.now();
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			assertThat(roundTrip(client, "who am i")).isEqualTo("who am i");
			SocketConnection connection = seen.get();
			PeerCredentials peer = connection.peer();
			long gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
			assertThat(peer.pid()).as("the JDK does not pass the peer's pid on").isEqualTo(-1);
			assertThat(peer.user()).isEqualTo(System.getProperty("user.name"));
			assertThat(peer.uid()).isEqualTo(ExternalProcesses.uid());
			assertThat(peer.gid()).isEqualTo(gid);
			assertThat(peer.gids()).contains(gid);
			assertThat(connection.socketPath()).isEqualTo(path());
			assertThat(connection.id()).isPositive();
			assertThat(connection.connectedAt()).isBetween(before, Instant.now());
		}
	}

	@ParameterizedTest
	@EnumSource
	void handlerExceptionClosesOnlyItsConnectionAndTheListenerKeepsAccepting(Serving serving) throws Exception {
		SocketManager manager = manager(serving.echoLines(SocketOptions.builder()).build());
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket survivor = connect(reference);
			assertThat(roundTrip(survivor, "before")).isEqualTo("before");
			AFUNIXSocket failing = connect(reference);
			assertThat(roundTrip(failing, "fine")).isEqualTo("fine");
			write(failing.getOutputStream(), "boom");
			assertThat(failing.getInputStream().read()).as("the failed connection is closed").isEqualTo(-1);
			assertThat(roundTrip(survivor, "after")).isEqualTo("after");
			AFUNIXSocket newcomer = connect(reference);
			assertThat(roundTrip(newcomer, "new")).isEqualTo("new");
			await().atMost(WAIT).untilAsserted(() -> {
				SocketSnapshot snapshot = manager.snapshot(path()).orElseThrow();
				assertThat(snapshot.connections()).isEqualTo(2);
				assertThat(snapshot.acceptedConnections()).isEqualTo(3);
				assertThat(snapshot.rejectedConnections()).isZero();
				assertThat(this.events.closed).hasValue(1);
			});
		}
	}

	@ParameterizedTest
	@EnumSource
	void connectionWhosePeerStopsReadingIsClosedAtTheWriteTimeoutAndCounted(Serving serving) throws Exception {
		byte[] chunk = new byte[64 * 1024];
		SocketOptions.Builder options = SocketOptions.builder().writeTimeout(Duration.ofMillis(300))
			.maxPendingOutput(64 * 1024 * 1024);
		if (serving == Serving.THREAD_PER_CONNECTION) {
			// Writes until its peer stops reading, then blocks in a write.
			options.handler((connection) -> {
				connection.inputStream().read();
				for (;;) {
					connection.outputStream().write(chunk);
				}
			});
		}
		else {
			// Leaves 16 MiB of replies waiting for a peer that never reads them.
			options.eventHandler((connection) -> (input) -> {
				input.position(input.limit());
				for (int i = 0; i < 256; i++) {
					connection.write(chunk, 0, chunk.length);
				}
			});
		}
		RecordingEvents recorded = new RecordingEvents();
		SocketManager manager = manager(SocketManager.builder().defaults(options.build()).eventListener(recorded));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			client.getOutputStream().write('x');
			await().atMost(WAIT).until(() -> recorded.count("write-timeout " + path()) == 1);
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(manager.snapshot(path()).orElseThrow().connections()).isZero();
				assertThat(this.events.closed).hasValue(1);
			});
		}
	}

	@ParameterizedTest
	@EnumSource
	void peerPolicyThatThrowsRefusesItsConnectionWhileEveryOtherSocketOnTheLoopIsServed(Serving serving)
			throws Exception {
		String victimPath = this.directory.resolve("victim.sock").toString();
		PeerPolicy throwing = (peer) -> {
			throw new IllegalStateException("policy failure on purpose");
		};
		SocketManager manager = manager(SocketManager.builder()
			.eventLoopThreads(1)
			.defaults(serving.echoLines(SocketOptions.builder()).build())
			.socket(victimPath, serving.echoLines(SocketOptions.builder()).peerPolicy(throwing).build()));
		try (SocketReference bystander = manager.getOrCreate(path());
				SocketReference victim = manager.getOrCreate(victimPath)) {
			AFUNIXSocket served = connect(bystander);
			assertThat(roundTrip(served, "before")).isEqualTo("before");
			for (int i = 0; i < 2; i++) {
				AFUNIXSocket refused = connect(victim);
				assertThat(refused.getInputStream().read()).as("the connection the policy failed on is closed")
					.isEqualTo(-1);
			}
			assertThat(roundTrip(served, "after")).isEqualTo("after");
			assertThat(roundTrip(connect(bystander), "new")).isEqualTo("new");
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(manager.snapshot(victimPath).orElseThrow().rejectedConnections()).isEqualTo(2);
				assertThat(this.events.rejections).containsOnly(victimPath + " " + RejectReason.ERROR);
			});
		}
	}

	@ParameterizedTest
	@EnumSource
	void connectionBeyondMaxConnectionsIsRefusedWithoutHarmingOthersAndServedAfterOneCloses(Serving serving)
			throws Exception {
		SocketManager manager = manager(serving.echoLines(SocketOptions.builder().maxConnections(2)).build());
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket first = connect(reference);
			AFUNIXSocket second = connect(reference);
			assertThat(roundTrip(first, "one")).isEqualTo("one");
			assertThat(roundTrip(second, "two")).isEqualTo("two");
			AFUNIXSocket third = connect(reference);
			assertThat(third.getInputStream().read()).as("the third connection is closed").isEqualTo(-1);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.events.rejections).containsExactly(path() + " LIMIT"));
			assertThat(manager.snapshot(path()).orElseThrow().rejectedConnections()).isEqualTo(1);
			assertThat(roundTrip(first, "one again")).isEqualTo("one again");
			assertThat(roundTrip(second, "two again")).isEqualTo("two again");
			first.close();
			await().atMost(WAIT).until(() -> manager.snapshot(path()).orElseThrow().connections() == 1);
			AFUNIXSocket fourth = connect(reference);
			assertThat(roundTrip(fourth, "four")).isEqualTo("four");
			SocketSnapshot snapshot = manager.snapshot(path()).orElseThrow();
			assertThat(snapshot.acceptedConnections()).isEqualTo(3);
			assertThat(snapshot.rejectedConnections()).isEqualTo(1);
			assertThat(snapshot.connections()).isEqualTo(2);
		}
	}

	@Test
	void idleConnectionIsClosedAfterIdleTimeout() throws Exception {
		SocketManager manager = manager(SocketOptions.builder()
			.idleTimeout(Duration.ofMillis(300))
			.handler(ConnectionHandlingTests::echoLines)
			.build());
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			assertThat(roundTrip(client, "still here")).isEqualTo("still here");
			long idleFrom = System.nanoTime();
			assertThat(client.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - idleFrom)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(manager.snapshot(path()).orElseThrow().connections()).isZero();
				assertThat(this.events.closed).hasValue(1);
			});
			// The socket itself is unaffected.
			assertThat(roundTrip(connect(reference), "next")).isEqualTo("next");
		}
	}

	@Test
	void connectionToSocketWithoutHandlerIsRefusedWithNoHandler() throws Exception {
		SocketManager manager = manager(SocketOptions.defaults());
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket client = connect(reference);
			assertThat(client.getInputStream().read()).isEqualTo(-1);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.events.rejections).containsExactly(path() + " NO_HANDLER"));
			SocketSnapshot snapshot = manager.snapshot(path()).orElseThrow();
			assertThat(snapshot.rejectedConnections()).isEqualTo(1);
			assertThat(snapshot.acceptedConnections()).isZero();
			assertThat(reference.isActive()).isTrue();
		}
	}

	@Test
	void shutdownSocketLetsInFlightConnectionFinishAndRemovesFileAtOnce() throws Exception {
		AtomicReference<Throwable> handlerFailure = new AtomicReference<>();
		SocketManager manager = manager(SocketOptions.builder().handler((connection) -> {
			try {
				echoLines(connection);
				write(connection.outputStream(), "bye");
			}
			catch (Throwable ex) {
				handlerFailure.set(ex);
				throw ex;
			}
		}).build());
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket client = connect(reference);
		assertThat(roundTrip(client, "in flight")).isEqualTo("in flight");
		long started = System.nanoTime();
		CompletableFuture<Void> stopped = manager.shutdownSocket(path(), Duration.ofSeconds(20));
		assertFreedAtOnce(manager, reference);
		// The handler saw end-of-stream, answered and returned: no wait for the deadline.
		assertThat(readLine(client.getInputStream())).isEqualTo("bye");
		assertThat(client.getInputStream().read()).isEqualTo(-1);
		stopped.get(10, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(handlerFailure.get()).isNull();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.closed).hasValue(1));
	}

	/**
	 * A connection whose peer policy (a lambda, which may block) is still deciding when a
	 * graceful stop begins was accepted before the stop: the drain waits for it, and it is served
	 * rather than refused.
	 */
	@ParameterizedTest
	@EnumSource(Serving.class)
	void aConnectionWhosePolicyIsStillDecidingWhenAGracefulStopBeginsIsServed(Serving serving) throws Exception {
		CountDownLatch deciding = new CountDownLatch(1);
		CountDownLatch decide = new CountDownLatch(1);
		SocketManager manager = manager(serving.echoLines(SocketOptions.builder()).peerPolicy((peer) -> {
			deciding.countDown();
			try {
				return decide.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}).build());
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket client = connect(reference);
		write(client.getOutputStream(), "in flight");
		assertThat(deciding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> stopped;
		try {
			stopped = manager.shutdownSocket(path(), Duration.ofSeconds(20));
			assertThat(stopped).as("the drain waits for the connection being decided on").isNotDone();
		}
		finally {
			decide.countDown();
		}
		assertThat(readLine(client.getInputStream())).isEqualTo("in flight");
		stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.events.rejections).isEmpty();
	}

	@Test
	void shutdownSocketForceClosesConnectionThatIgnoresEndOfStreamAtTheDeadline() throws Exception {
		Duration timeout = Duration.ofSeconds(1);
		AtomicReference<Throwable> handlerFailure = new AtomicReference<>();
		AtomicLong handlerEnded = new AtomicLong();
		SocketManager manager = manager(SocketOptions.builder().handler((connection) -> {
			try {
				echoLines(connection);
				// Ignore end-of-stream and block writing to a client that does not read.
				connection.outputStream().write(new byte[64 * 1024 * 1024]);
			}
			catch (Throwable ex) {
				handlerFailure.set(ex);
			}
			finally {
				handlerEnded.set(System.nanoTime());
			}
		}).build());
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket client = connect(reference);
		assertThat(roundTrip(client, "in flight")).isEqualTo("in flight");
		long started = System.nanoTime();
		CompletableFuture<Void> stopped = manager.shutdownSocket(path(), timeout);
		assertFreedAtOnce(manager, reference);
		// The path is free for a new socket while the old connection drains.
		try (SocketReference successor = manager.getOrCreate(path())) {
			assertThat(roundTrip(connect(successor), "successor")).isEqualTo("successor");
			stopped.get(10, TimeUnit.SECONDS);
		}
		await().atMost(WAIT).until(() -> handlerEnded.get() != 0);
		Duration handlerTime = Duration.ofNanos(handlerEnded.get() - started);
		assertThat(handlerTime).as("the handler was stopped at the deadline, not before")
			.isGreaterThanOrEqualTo(timeout.minusMillis(100))
			.isLessThan(timeout.plusSeconds(5));
		assertThat(handlerFailure.get()).as("the blocked write failed when the connection was closed").isNotNull();
	}

	@Test
	void shutdownSocketCompletesAfterTheDeadlineEvenIfHandlerIgnoresItsClosedConnection() throws Exception {
		Duration timeout = Duration.ofSeconds(1);
		SocketManager manager = manager(SocketOptions.builder().handler((connection) -> {
			echoLines(connection);
			// Ignore end-of-stream and wait on something that is not the connection.
			this.release.await();
		}).build());
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket client = connect(reference);
		assertThat(roundTrip(client, "in flight")).isEqualTo("in flight");
		long started = System.nanoTime();
		CompletableFuture<Void> stopped = manager.shutdownSocket(path(), timeout);
		assertFreedAtOnce(manager, reference);
		assertThat(client.getInputStream().read()).as("the connection is closed at the deadline").isEqualTo(-1);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout.minusMillis(100));
		// Like shutdownGracefully, a handler that ignores its closed connection must not hold the
		// stop forever.
		await().atMost(timeout.plusSeconds(3)).until(stopped::isDone);
	}

	@Test
	void connectThroughReferenceReachesTheHandlerAndFailsOnceInactive() throws Exception {
		SocketManager manager = manager(SocketOptions.builder().handler(ConnectionHandlingTests::echoLines).build());
		SocketReference reference = manager.getOrCreate(path());
		try (AFUNIXSocket client = reference.connect()) {
			assertThat(client.isConnected()).isTrue();
			assertThat(roundTrip(client, "through the reference")).isEqualTo("through the reference");
		}
		reference.close();
		assertThatIllegalStateException().isThrownBy(reference::connect).withMessageContaining("'" + path() + "'");
	}

	@Test
	void handlersRunOnNamedPlatformThreadsByDefault() throws Exception {
		AtomicReference<Thread> handlerThread = new AtomicReference<>();
		SocketManager manager = manager(SocketOptions.builder().handler((connection) -> {
			handlerThread.set(Thread.currentThread());
			echoLines(connection);
		}).build());
		try (SocketReference reference = manager.getOrCreate(path())) {
			assertThat(roundTrip(connect(reference), "platform")).isEqualTo("platform");
			assertThat(isVirtual(handlerThread.get())).isFalse();
			assertThat(handlerThread.get().getName()).startsWith(this.managerName + "-connection-");
			assertThat(threadsNamed(this.managerName + "-accept")).as("the socket accepts on the manager's acceptor loop")
				.containsExactly(this.managerName + "-acceptor");
		}
	}

	@Test
	void virtualThreadsRequestedServeOnVirtualThreadsWhereTheJdkHasThem() throws Exception {
		AtomicReference<Thread> handlerThread = new AtomicReference<>();
		AtomicReference<Thread> policyThread = new AtomicReference<>();
		SocketManager manager = manager(SocketManager.builder().virtualThreads(true)
			.defaults(SocketOptions.builder().peerPolicy((peer) -> {
				// A policy that may block runs on the connection's own thread, after the accept.
				policyThread.set(Thread.currentThread());
				return true;
			}).handler((connection) -> {
				handlerThread.set(Thread.currentThread());
				echoLines(connection);
			}).build()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			assertThat(roundTrip(connect(reference), "virtual")).isEqualTo("virtual");
			boolean jdkHasVirtualThreads = Runtime.version().feature() >= 21;
			assertThat(isVirtual(handlerThread.get())).as("handler on a virtual thread").isEqualTo(jdkHasVirtualThreads);
			assertThat(handlerThread.get().getName()).startsWith(this.managerName + "-connection-");
			assertThat(policyThread.get()).as("the policy runs on the connection's thread").isSameAs(handlerThread.get());
		}
	}

	/**
	 * The scenario that made virtual-thread handlers unusable with junixsocket: each idle
	 * connection's blocked read held one of the CPU-sized carrier threads in a native poll, so a
	 * few idle clients stopped every other client from being served. On the JDK's channels a
	 * blocked read parks its virtual thread and frees the carrier.
	 */
	@Test
	@Timeout(60)
	void idleConnectionsDoNotStopAnActiveOneFromBeingServed() throws Exception {
		SocketManager manager = manager(SocketManager.builder().virtualThreads(true)
			.defaults(SocketOptions.builder().handler(ConnectionHandlingTests::echoLines).build()));
		int idleClients = 4 * Runtime.getRuntime().availableProcessors();
		List<AFUNIXSocket> idle = new ArrayList<>();
		try (SocketReference reference = manager.getOrCreate(path())) {
			try {
				for (int i = 0; i < idleClients; i++) {
					AFUNIXSocket client = connect(reference);
					assertThat(roundTrip(client, "idle " + i)).isEqualTo("idle " + i);
					idle.add(client);
				}
				try (AFUNIXSocket active = connect(reference)) {
					active.setSoTimeout(10_000);
					for (int i = 0; i < 100; i++) {
						assertThat(roundTrip(active, "active " + i)).isEqualTo("active " + i);
					}
				}
			}
			finally {
				for (AFUNIXSocket client : idle) {
					client.close();
				}
			}
		}
	}

	private void assertFreedAtOnce(SocketManager manager, SocketReference reference) throws IOException {
		assertThat(Path.of(path())).doesNotExist();
		assertThat(stagingDirectories(this.directory)).isEmpty();
		assertThat(manager.isSocketActive(path())).isFalse();
		assertThat(reference.isActive()).isFalse();
	}

	private static List<String> threadsNamed(String prefix) {
		List<String> threads = new ArrayList<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().startsWith(prefix) && thread.isAlive()) {
				threads.add(thread.getName());
			}
		}
		return threads;
	}

	static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Echo line by line until end-of-stream.
	 */
	static void echoLines(SocketConnection connection) throws IOException {
		BufferedReader lines = lines(connection.inputStream());
		String line;
		while ((line = lines.readLine()) != null) {
			if (line.equals("boom")) {
				throw new IllegalStateException("handler failure on purpose");
			}
			write(connection.outputStream(), line);
		}
	}

	/**
	 * The two connection modes, each with a handler that echoes lines and fails on "boom".
	 */
	enum Serving {

		THREAD_PER_CONNECTION {

			@Override
			SocketOptions.Builder echoLines(SocketOptions.Builder options) {
				return options.handler(ConnectionHandlingTests::echoLines);
			}

		},

		EVENT_LOOP {

			@Override
			SocketOptions.Builder echoLines(SocketOptions.Builder options) {
				return options.eventHandler(
						(connection) -> new EventLoopHandlingTests.LineSession(connection, new CopyOnWriteArrayList<>()));
			}

		};

		abstract SocketOptions.Builder echoLines(SocketOptions.Builder options);

	}

	static BufferedReader lines(InputStream in) {
		return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
	}

	static void write(OutputStream out, String line) throws IOException {
		out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	static final class Events implements SocketEventListener {

		final List<String> rejections = new CopyOnWriteArrayList<>();

		final AtomicInteger closed = new AtomicInteger();

		@Override
		public void connectionRejected(String path, RejectReason reason) {
			this.rejections.add(path + " " + reason);
		}

		@Override
		public void connectionClosed(String path) {
			this.closed.incrementAndGet();
		}

	}

}
