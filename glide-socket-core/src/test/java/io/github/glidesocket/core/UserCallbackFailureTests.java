package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.newsclub.net.unix.AFUNIXSocket;

import io.github.glidesocket.core.ConnectionHandlingTests.Serving;
import io.github.glidesocket.core.EventLoopHandlingTests.LineSession;

import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whatever the application's code does (throw, throw an {@link Error}, block), the other
 * connections and sockets of the manager do not notice: every callback a user gives a socket is
 * made to fail in every way, while a bystander socket of the same manager, served by the same
 * event loop where the mode has loops, must keep answering within a second, old and new
 * connections alike. A throwing callback costs its own connection only, which is closed and
 * counted; the accepting and loop threads live on, no descriptor is left behind, and the log has
 * one line per kind of failure however often it recurs.
 * <p>
 * One exception is the nature of event loops: a session that blocks holds the loop it runs on.
 * There the bystander runs on another loop, and the test checks that new connections are passed
 * to a loop that is not blocked and that the sockets go on accepting.
 */
@Timeout(60)
class UserCallbackFailureTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int RESPONSIVE_MILLIS = 1000;


	/** How often a failure that can recur is made to happen, to count the log lines it costs. */
	private static final int REPEATS = 3;

	@TempDir
	Path directory;

	private final CountDownLatch release = new CountDownLatch(1);

	private final RecordingEvents events = new RecordingEvents();

	private final TestServers servers = new TestServers(this.events, WAIT);

	/** A name of this test's own, so that its thread checks never see another test's threads. */
	private final String managerName = TestServers.uniqueName("callback-test");

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private final List<LogRecord> warningRecords = new CopyOnWriteArrayList<>();

	private final Logger log = Logger.getLogger(SocketManager.class.getName());

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				UserCallbackFailureTests.this.warnings.add(String.valueOf(record.getMessage()));
				UserCallbackFailureTests.this.warningRecords.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	@BeforeEach
	void captureLog() {
		this.log.addHandler(this.capture);
	}

	@AfterEach
	void cleanUp() throws IOException {
		this.release.countDown();
		this.log.removeHandler(this.capture);
		this.servers.close();
	}

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (Serving serving : Serving.values()) {
			for (Callback callback : Callback.values()) {
				if (callback.appliesTo(serving)) {
					for (Failure failure : Failure.values()) {
						// A policy that says it does not block is taken at its word, on the acceptor.
						if (callback != Callback.PEER_POLICY_ON_LOOP || failure != Failure.BLOCK) {
							cases.add(Arguments.of(serving, callback, failure));
						}
					}
				}
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} {1} {2}")
	@MethodSource("cases")
	void aFailingCallbackCostsItsOwnConnectionOnly(Serving serving, Callback callback, Failure failure)
			throws Exception {
		Runnable fail = () -> failure.happen(this.release);
		String victimPath = this.directory.resolve("victim.sock").toString();
		String bystanderPath = this.directory.resolve("bystander.sock").toString();
		// A session that blocks holds its loop: then the bystander needs a loop of its own.
		boolean holdsItsLoop = serving == Serving.EVENT_LOOP && failure == Failure.BLOCK
				&& (callback.isSession() || callback == Callback.EVENT_HANDLER);
		SocketManager.Builder builder = SocketManager.builder()
			.name(this.managerName)
			.eventLoopThreads(holdsItsLoop ? 2 : 1)
			.socket(victimPath, callback.victim(serving, fail).build())
			.socket(bystanderPath, serving.echoLines(SocketOptions.builder()).build());
		if (callback == Callback.EVENT_LISTENER) {
			builder.eventListener(new SocketEventListener() {

				@Override
				public void connectionAccepted(String path) {
					fail.run();
				}

				@Override
				public String toString() {
					return "failing listener";
				}

			});
		}
		SocketManager manager = this.servers.manager(builder);
		SocketReference bystander = manager.getOrCreate(bystanderPath);
		SocketReference victim = manager.getOrCreate(victimPath);
		if (callback == Callback.STOP_NOTICE_ACTION) {
			victim.whenStopping().thenRun(fail);
		}
		AFUNIXSocket before = this.servers.connect(bystander);
		assertThat(roundTrip(before, "before")).isEqualTo("before");
		long descriptors = openDescriptors();

		List<AFUNIXSocket> victims = new ArrayList<>();
		int triggers = (callback.recurs() && failure != Failure.BLOCK) ? REPEATS : 1;
		for (int i = 0; i < triggers; i++) {
			victims.add(callback.trigger(manager, victim, this.servers));
		}

		if (holdsItsLoop) {
			// The manager reports the loop a session holds, and passes it over from then on.
			await().atMost(WAIT).until(() -> this.warnings.stream().anyMatch((line) -> line.contains("has been busy for")));
		}
		assertAnswersPromptly(before, "after");
		AFUNIXSocket newcomer = this.servers.connect(bystander);
		assertAnswersPromptly(newcomer, "new");
		AFUNIXSocket another = this.servers.connect(bystander);
		assertAnswersPromptly(another, "newer");
		if (failure == Failure.BLOCK) {
			return;
		}
		if (callback.closesItsConnection()) {
			for (AFUNIXSocket client : victims) {
				assertThat(readToEnd(client)).as("the failed connection is closed").isEqualTo(-1);
			}
		}
		SocketCallback counted = callback.counted(serving);
		if (counted != null) {
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.events.count("failed " + counted + " " + victimPath)).isEqualTo(triggers));
		}
		if (callback == Callback.PEER_POLICY) {
			await().atMost(WAIT).untilAsserted(
					() -> assertThat(this.events.count("rejected " + RejectReason.ERROR + " " + victimPath)).isEqualTo(triggers));
		}
		if (callback.recurs() && callback != Callback.STOP_NOTICE_ACTION) {
			AFUNIXSocket again = callback.trigger(manager, victim, this.servers);
			victims.add(again);
			if (callback.closesItsConnection()) {
				assertThat(readToEnd(again)).as("the socket still accepts, and refuses or closes again").isEqualTo(-1);
			}
		}
		assertThat(liveThreads(this.managerName + "-loop-")).as("no loop was replaced").allSatisfy(
				(name) -> assertThat(name).matches(this.managerName + "-loop-[12]"));
		assertThat(liveThreads(this.managerName + "-acceptor")).containsExactly(this.managerName + "-acceptor");
		newcomer.close();
		another.close();
		for (AFUNIXSocket client : victims) {
			client.close();
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(openDescriptors()).as("descriptors").isLessThanOrEqualTo(descriptors));
		// The first failure is reported with its stack; the ones after it only in the periodic
		// summary ("More failures ..."). A stop notice's action fails into the stage it returned,
		// which is its holder's to look at: the manager has nothing to report.
		String failureLine = (callback == Callback.EVENT_LISTENER) ? "failing listener" : victimPath;
		assertThat(this.warnings.stream().filter((line) -> line.contains(failureLine) && line.contains(" failed")))
			.as("one line per kind of failure: %s", this.warnings)
			.hasSize((callback == Callback.STOP_NOTICE_ACTION) ? 0 : 1);
	}

	/**
	 * A policy that says it does not block is asked on the acceptor loop; if it blocks anyway, no
	 * socket accepts meanwhile, and the manager reports the acceptor as it reports a blocked
	 * serving loop: once, with where it is.
	 */
	@ParameterizedTest
	@EnumSource(Serving.class)
	void aPolicyThatBlocksAlthoughItSaysItDoesNotIsReportedAsHoldingTheAcceptor(Serving serving) throws Exception {
		String path = this.directory.resolve("held.sock").toString();
		CountDownLatch inPolicy = new CountDownLatch(1);
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.name(this.managerName)
			.socket(path, serving.echoLines(SocketOptions.builder()).peerPolicy(new PeerPolicy() {

				@Override
				public boolean allows(PeerCredentials peer) {
					inPolicy.countDown();
					Failure.BLOCK.happen(UserCallbackFailureTests.this.release);
					return true;
				}

				@Override
				public boolean mayBlock() {
					return false;
				}

			}).build()));
		SocketReference reference = manager.getOrCreate(path);
		AFUNIXSocket client = this.servers.connect(reference);
		assertThat(inPolicy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		String acceptor = this.managerName + "-acceptor";
		await().atMost(WAIT).until(() -> this.warnings.stream().anyMatch((line) -> line.contains(acceptor)));
		LogRecord report = this.warningRecords.stream()
			.filter((record) -> String.valueOf(record.getMessage()).contains(acceptor))
			.findFirst()
			.orElseThrow();
		assertThat(report.getMessage()).contains("has been busy for").contains("no socket accepts a connection");
		assertThat(report.getThrown().getStackTrace()).as("where the acceptor is")
			.anySatisfy((frame) -> assertThat(frame.getClassName()).startsWith(UserCallbackFailureTests.class.getName()));
		this.release.countDown();
		assertThat(roundTrip(client, "after")).isEqualTo("after");
		assertThat(this.warnings.stream().filter((line) -> line.contains(acceptor))).as("reported once").hasSize(1);
	}

	private static void assertAnswersPromptly(AFUNIXSocket client, String line) throws IOException {
		client.setSoTimeout(RESPONSIVE_MILLIS);
		assertThat(roundTrip(client, line)).isEqualTo(line);
	}

	private static int readToEnd(AFUNIXSocket client) throws IOException {
		client.setSoTimeout((int) WAIT.toMillis());
		InputStream input = client.getInputStream();
		try {
			int read;
			while ((read = input.read()) != -1) {
				// the socket may have sent a reply before it failed
			}
			return read;
		}
		catch (IOException ex) {
			// A reset is an end too.
			return -1;
		}
	}

	private static long openDescriptors() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

	private static List<String> liveThreads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

	/**
	 * How a callback fails.
	 */
	enum Failure {

		RUNTIME_EXCEPTION {

			@Override
			void happen(CountDownLatch release) {
				throw new IllegalStateException("callback failure on purpose");
			}

		},

		ASSERTION_ERROR {

			@Override
			void happen(CountDownLatch release) {
				throw new AssertionError("callback error on purpose");
			}

		},

		STACK_OVERFLOW {

			@Override
			void happen(CountDownLatch release) {
				recurse(0);
			}

			private int recurse(int depth) {
				return recurse(depth + 1) + 1;
			}

		},

		/** Blocks for 10 s, or until the test ends. */
		BLOCK {

			@Override
			void happen(CountDownLatch release) {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};

		abstract void happen(CountDownLatch release);

	}

	/**
	 * The callbacks a user gives a socket, each with the options that make it fail and the
	 * client action that calls it.
	 */
	enum Callback {

		/** A policy of the application's, which may block: asked on its connection's thread. */
		PEER_POLICY,

		/** A policy that says it does not block: asked on the acceptor loop in event-loop mode. */
		PEER_POLICY_ON_LOOP,

		CONNECTION_HANDLER,

		EVENT_HANDLER,

		SESSION_RECEIVED,

		SESSION_END_OF_INPUT,

		SESSION_SHUTDOWN_REQUESTED,

		SESSION_CLOSED,

		EVENT_LISTENER,

		STOP_NOTICE_ACTION;

		boolean appliesTo(Serving serving) {
			return switch (this) {
				case CONNECTION_HANDLER -> serving == Serving.THREAD_PER_CONNECTION;
				case PEER_POLICY_ON_LOOP, EVENT_HANDLER -> serving == Serving.EVENT_LOOP;
				default -> !isSession() || serving == Serving.EVENT_LOOP;
			};
		}

		boolean isSession() {
			return name().startsWith("SESSION_");
		}

		/** Whether the failure can be made to happen again on the same socket. */
		boolean recurs() {
			return this != SESSION_SHUTDOWN_REQUESTED && this != STOP_NOTICE_ACTION;
		}

		boolean closesItsConnection() {
			return switch (this) {
				case PEER_POLICY, PEER_POLICY_ON_LOOP, CONNECTION_HANDLER, EVENT_HANDLER, SESSION_RECEIVED,
						SESSION_END_OF_INPUT, SESSION_SHUTDOWN_REQUESTED ->
					true;
				default -> false;
			};
		}

		/** What the manager counts the failure as, if it is a connection's. */
		SocketCallback counted(Serving serving) {
			return switch (this) {
				case PEER_POLICY, PEER_POLICY_ON_LOOP -> SocketCallback.PEER_POLICY;
				case CONNECTION_HANDLER -> SocketCallback.CONNECTION_HANDLER;
				case EVENT_HANDLER -> SocketCallback.EVENT_HANDLER;
				case SESSION_RECEIVED, SESSION_END_OF_INPUT, SESSION_SHUTDOWN_REQUESTED, SESSION_CLOSED ->
					SocketCallback.SESSION;
				default -> null;
			};
		}

		SocketOptions.Builder victim(Serving serving, Runnable fail) {
			SocketOptions.Builder options = serving.echoLines(SocketOptions.builder());
			return switch (this) {
				case PEER_POLICY -> options.peerPolicy((peer) -> {
					fail.run();
					return true;
				});
				case PEER_POLICY_ON_LOOP -> options.peerPolicy(new PeerPolicy() {

					@Override
					public boolean allows(PeerCredentials peer) {
						fail.run();
						return true;
					}

					@Override
					public boolean mayBlock() {
						return false;
					}

				});
				case CONNECTION_HANDLER -> options.handler((connection) -> fail.run());
				case EVENT_HANDLER -> options.eventHandler((connection) -> {
					fail.run();
					return new LineSession(connection, new CopyOnWriteArrayList<>());
				});
				case SESSION_RECEIVED, SESSION_END_OF_INPUT, SESSION_SHUTDOWN_REQUESTED, SESSION_CLOSED ->
					options.eventHandler((connection) -> new FailingSession(connection, this, fail));
				default -> options;
			};
		}

		/**
		 * Make the callback be called once.
		 * @return the victim's client connection
		 */
		AFUNIXSocket trigger(SocketManager manager, SocketReference victim, TestServers servers) throws IOException {
			AFUNIXSocket client = servers.connect(victim);
			switch (this) {
				case SESSION_RECEIVED -> {
					client.getOutputStream().write("go\n".getBytes());
				}
				// Through the channel: on JDK 25 java.net.Socket.shutdownOutput() refuses this socket.
				case SESSION_END_OF_INPUT -> client.getChannel().shutdownOutput();
				case SESSION_SHUTDOWN_REQUESTED, STOP_NOTICE_ACTION -> {
					// The session exists once the connection has been answered.
					assertThat(roundTrip(client, "hello")).isEqualTo("hello");
					manager.shutdownSocket(victim.path(), Duration.ofSeconds(5));
				}
				case SESSION_CLOSED -> {
					assertThat(roundTrip(client, "hello")).isEqualTo("hello");
					client.close();
				}
				default -> {
				}
			}
			return client;
		}

	}

	/**
	 * Echoes lines, and fails in the one session method the test is about.
	 */
	static final class FailingSession implements SocketSession {

		private final LineSession lines;

		private final Callback callback;

		private final Runnable fail;

		FailingSession(EventConnection connection, Callback callback, Runnable fail) {
			this.lines = new LineSession(connection, new CopyOnWriteArrayList<>());
			this.callback = callback;
			this.fail = fail;
		}

		@Override
		public void received(ByteBuffer input) {
			if (this.callback == Callback.SESSION_RECEIVED) {
				this.fail.run();
			}
			this.lines.received(input);
		}

		@Override
		public void shutdownRequested() {
			if (this.callback == Callback.SESSION_SHUTDOWN_REQUESTED) {
				this.fail.run();
			}
		}

		@Override
		public void endOfInput() {
			if (this.callback == Callback.SESSION_END_OF_INPUT) {
				this.fail.run();
			}
		}

		@Override
		public void closed() {
			if (this.callback == Callback.SESSION_CLOSED) {
				this.fail.run();
			}
		}

	}

}
