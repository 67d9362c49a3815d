package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What peers that mean harm can and cannot do: flood the log with refusals, take every
 * connection slot, plant their own socket at the path to answer this application's clients, or
 * fill the heap with replies they never read.
 */
@Timeout(120)
class HostilePeerTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private final Events events = new Events();

	private final TestServers servers = new TestServers(this.events, WAIT);

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	private final Logger log = Logger.getLogger(SocketManager.class.getName());

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				HostilePeerTests.this.warnings.add(record.getMessage());
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
	void captureWarnings() {
		this.log.addHandler(this.capture);
	}

	@AfterEach
	void cleanUp() throws IOException {
		this.log.removeHandler(this.capture);
		this.processes.forEach(Process::destroyForcibly);
		this.servers.close();
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	@Test
	void aFloodOfRefusedPeersWritesOneWarningNotOnePerConnection() throws Exception {
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder()
				.peerPolicy((peer) -> false)
				.handler(SocketPathValidationTests::echo)
				.build()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			for (int i = 0; i < 2_000; i++) {
				try (AFUNIXSocket client = reference.connect()) {
					client.getInputStream().read();
				}
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.rejected).hasValue(2_000));
			assertThat(manager.snapshot(path()).orElseThrow().rejectedConnections()).isEqualTo(2_000);
			assertThat(this.warnings).filteredOn((line) -> line.contains("Refused a connection")).hasSize(1);
		}
	}

	@Test
	void oneAllowedPeerCannotTakeEverySlot() throws Exception {
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder().maxConnections(10).handler(SocketPathValidationTests::echo).build()));
		assertThat(manager.optionsFor(path()).maxConnectionsPerPeer()).as("default share of one peer").isEqualTo(9);
		try (SocketReference reference = manager.getOrCreate(path())) {
			List<AFUNIXSocket> held = new ArrayList<>();
			for (int i = 0; i < 9; i++) {
				AFUNIXSocket client = this.servers.connect(reference);
				assertThat(roundTrip(client, "held " + i)).isEqualTo("held " + i);
				held.add(client);
			}
			AFUNIXSocket tenth = this.servers.connect(reference);
			assertThat(tenth.getInputStream().read()).as("the peer's tenth connection is closed").isEqualTo(-1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.rejectedFor(RejectReason.PEER_LIMIT)).isEqualTo(1));
			assertThat(manager.snapshot(path()).orElseThrow().connections()).isEqualTo(9);
			held.get(0).close();
			await().atMost(WAIT).until(() -> manager.snapshot(path()).orElseThrow().connections() == 8);
			AFUNIXSocket again = this.servers.connect(reference);
			assertThat(roundTrip(again, "room again")).isEqualTo("room again");
		}
	}

	@Test
	void perPeerLimitIsItsOwnSetting() {
		assertThat(SocketOptions.builder().maxConnections(-1).build().maxConnectionsPerPeer()).isEqualTo(-1);
		assertThat(SocketOptions.builder().maxConnections(1).build().maxConnectionsPerPeer()).isEqualTo(1);
		assertThat(SocketOptions.builder().maxConnections(100).maxConnectionsPerPeer(7).build().maxConnectionsPerPeer())
			.isEqualTo(7);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SocketOptions.builder().maxConnectionsPerPeer(0))
			.withMessageContaining("'maxConnectionsPerPeer' must be positive, or -1 for no limit, got 0");
	}

	/**
	 * Another user puts a socket of their own at the path (bound aside and renamed over it, so
	 * the path is never empty and the file check never binds it again first). The application
	 * must say so, and its own clients must not talk to the impostor.
	 */
	@Test
	void anImpostorAtThePathIsReportedAndRefusedByTheApplicationsClients() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		SocketManager manager = SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ofMillis(100))
			.eventListener(this.events)
			.defaults(SocketOptions.builder().handler(SocketPathValidationTests::echo).build())
			.build();
		try (manager; SocketReference reference = manager.getOrCreate(path())) {
			Process impostor = new ProcessBuilder(
					ExternalProcesses.asNobody(List.of(python, "-c", ExternalProcesses.PYTHON_RENAMING_SERVER, path())))
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			this.processes.add(impostor);
			ExternalProcesses.awaitLine(impostor, "ready");
			assertThat(manager.snapshot(path()).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.REPLACED);
			assertThatExceptionOfType(UntrustedServerException.class).isThrownBy(reference::connect)
				.satisfies((ex) -> assertThat(ex.server().uid()).isEqualTo(ExternalProcesses.NOBODY))
				.withMessageContaining("Refused to talk to the server of socket '" + path() + "'");
			assertThatExceptionOfType(UntrustedServerException.class).isThrownBy(reference::openChannel);
			// The periodic file check finds the foreign file: reported once, and left alone.
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.replaced).hasValue(1));
			TimeUnit.MILLISECONDS.sleep(500);
			assertThat(this.events.replaced).as("reported once, not at every check").hasValue(1);
			assertThat(this.warnings).filteredOn((line) -> line.contains("was replaced by another file")).hasSize(1);
			assertThat(Path.of(path())).exists();
			assertThat(impostor.isAlive()).isTrue();
		}
	}

	/**
	 * A session that writes far more than its peer reads: the connection is closed at its output
	 * limit and reported, and other connections go on being served.
	 */
	@Test
	void aConnectionWritingPastItsOutputLimitIsClosedAndOthersAreServed() throws Exception {
		byte[] chunk = new byte[64 * 1024];
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder().maxPendingOutput(1024 * 1024).eventHandler((connection) -> (input) -> {
				String request = StandardCharsets.US_ASCII.decode(input).toString();
				if (request.startsWith("flood")) {
					for (int i = 0; i < 128; i++) {
						connection.write(chunk, 0, chunk.length);
					}
				}
				else {
					connection.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
				}
			}).build()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			AFUNIXSocket flooder = this.servers.connect(reference);
			flooder.getOutputStream().write("flood\n".getBytes(StandardCharsets.US_ASCII));
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.outputLimits).hasValue(1));
			assertThat(drain(flooder.getInputStream())).as("bytes the flooder could read before the close")
				.isLessThan(8L * 1024 * 1024);
			AFUNIXSocket other = this.servers.connect(reference);
			assertThat(roundTrip(other, "still served")).isEqualTo("still served");
		}
	}

	/**
	 * Many connections each within their own limit, whose peers never read: together they stop at
	 * the manager's budget instead of filling the heap.
	 */
	@Test
	void connectionsTogetherStopAtTheManagersBufferBudget() throws Exception {
		byte[] reply = new byte[512 * 1024];
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.maxBufferedBytes(2 * 1024 * 1024)
			.defaults(SocketOptions.builder().maxPendingOutput(4 * 1024 * 1024).eventHandler((connection) -> (input) -> {
				input.position(input.limit());
				connection.write(reply, 0, reply.length);
			}).build()));
		try (SocketReference reference = manager.getOrCreate(path())) {
			List<AFUNIXSocket> stalled = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				AFUNIXSocket client = this.servers.connect(reference);
				client.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
				stalled.add(client);
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.outputLimits.get()).isPositive());
			int closed = this.events.outputLimits.get();
			assertThat(closed).as("connections closed at the budget").isLessThan(12);
			TimeUnit.MILLISECONDS.sleep(200);
			assertThat(stalled).hasSize(12);
		}
	}

	private static long drain(InputStream in) {
		long total = 0;
		byte[] buffer = new byte[64 * 1024];
		try {
			int count;
			while ((count = in.read(buffer)) >= 0) {
				total += count;
			}
		}
		catch (IOException ex) {
			// Closed under the reader: what was read is the answer.
		}
		return total;
	}

	/**
	 * The events this test counts.
	 */
	static final class Events implements SocketEventListener {

		final AtomicInteger rejected = new AtomicInteger();

		final AtomicInteger replaced = new AtomicInteger();

		final AtomicInteger outputLimits = new AtomicInteger();

		private final List<RejectReason> reasons = new CopyOnWriteArrayList<>();

		@Override
		public void connectionRejected(String path, RejectReason reason) {
			this.reasons.add(reason);
			this.rejected.incrementAndGet();
		}

		@Override
		public void socketFileReplaced(String path) {
			this.replaced.incrementAndGet();
		}

		@Override
		public void outputLimitExceeded(String path) {
			this.outputLimits.incrementAndGet();
		}

		long rejectedFor(RejectReason reason) {
			return this.reasons.stream().filter(reason::equals).count();
		}

	}

}
