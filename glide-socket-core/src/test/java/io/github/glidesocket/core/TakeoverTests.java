package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFUNIXSocket;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A second socket takes a live socket's path over when the first one's server is trusted: every
 * connect reaches one of them, the first accepts what is queued, stops, drains and leaves the
 * file alone; an untrusted server is neither taken over nor handed over to.
 */
@Timeout(90)
class TakeoverTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private final RecordingEvents oldEvents = new RecordingEvents();

	private final RecordingEvents newEvents = new RecordingEvents();

	private final TestServers oldServers = new TestServers(this.oldEvents, WAIT);

	private final TestServers newServers = new TestServers(this.newEvents, WAIT);

	private final List<Process> processes = new ArrayList<>();

	private final List<SocketManager> managers = new ArrayList<>();

	private final List<String> notices = new CopyOnWriteArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		this.processes.forEach(Process::destroyForcibly);
		this.managers.forEach(SocketManager::close);
		this.oldServers.close();
		this.newServers.close();
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	/**
	 * How the sockets of a test serve their connections.
	 */
	enum Mode {

		THREAD, EVENT_LOOP

	}

	/**
	 * Options of a socket that answers each line with its name and the line ({@code old:ping}),
	 * says {@code bye} when asked to shut down (event-loop mode) or ends at end of input (thread
	 * mode), and may be taken over.
	 */
	private SocketOptions.Builder answering(String name, Mode mode) {
		SocketOptions.Builder options = SocketOptions.builder().takeover(true).handoverTimeout(Duration.ofSeconds(20));
		if (mode == Mode.THREAD) {
			return options.handler((connection) -> {
				InputStream in = connection.inputStream();
				for (;;) {
					String line = readLine(in);
					if (line == null) {
						this.notices.add(name + " end of input, shutdown requested: " + connection.isShutdownRequested());
						return;
					}
					connection.outputStream().write((name + ":" + line + "\n").getBytes(StandardCharsets.US_ASCII));
					connection.outputStream().flush();
				}
			});
		}
		return options.eventHandler((connection) -> new SocketSession() {

			private final StringBuilder pending = new StringBuilder();

			@Override
			public void received(ByteBuffer input) {
				while (input.hasRemaining()) {
					char c = (char) input.get();
					if (c == '\n') {
						connection.write(ByteBuffer
							.wrap((name + ":" + this.pending + "\n").getBytes(StandardCharsets.US_ASCII)));
						this.pending.setLength(0);
					}
					else {
						this.pending.append(c);
					}
				}
			}

			@Override
			public void shutdownRequested() {
				TakeoverTests.this.notices.add(name + " shutdown requested");
				connection.write(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
				connection.close();
			}

		});
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void aTrustedLiveSocketIsTakenOverWithoutAFailedConnectAndHandsOver(Mode mode) throws Exception {
		SocketManager old = this.oldServers.manager(SocketManager.builder().defaults(answering("old", mode).build()));
		SocketReference oldReference = old.getOrCreate(path());
		CompletableFuture<SocketStop> oldStop = oldReference.whenStopping().toCompletableFuture();
		AFUNIXSocket longLived = this.oldServers.connect(oldReference);
		assertThat(roundTrip(longLived, "hello")).isEqualTo("old:hello");
		SocketManager taking = this.newServers.manager(SocketManager.builder().defaults(answering("new", mode).build()));
		SocketReference newReference;
		try (RequestLoop loop = new RequestLoop(Path.of(path()), 4,
				(reply) -> reply.endsWith(":ping") ? reply.substring(0, reply.indexOf(':')) : null)) {
			await().atMost(WAIT).until(() -> loop.repliesFrom("old") >= 50);
			newReference = taking.getOrCreate(path());
			await().atMost(WAIT).until(() -> loop.repliesFrom("new") >= 50);
			assertThat(oldStop.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SocketStop.TAKEN_OVER);
			assertThat(loop.failures()).as("connects and requests that failed during the takeover: %s", loop.errors)
				.isZero();
			assertThat(newReference.isActive()).isTrue();
		}
		// The long-lived connection to the old socket ends cleanly: a goodbye or end of stream,
		// never a reset.
		String last = readLine(longLived.getInputStream());
		if (mode == Mode.EVENT_LOOP) {
			assertThat(last).isEqualTo("bye");
			assertThat(longLived.getInputStream().read()).isEqualTo(-1);
			assertThat(this.notices).contains("old shutdown requested");
		}
		else {
			assertThat(last).isNull();
			await().atMost(WAIT).until(() -> this.notices.contains("old end of input, shutdown requested: true"));
		}
		await().atMost(WAIT).until(() -> this.oldEvents.events.contains("handed-over " + path()));
		assertThat(this.oldEvents.events).contains("taken-over " + path()).doesNotContain("replaced " + path());
		SocketSnapshot oldSnapshot = old.snapshot(path()).orElseThrow();
		assertThat(oldSnapshot.state()).isEqualTo(SocketSnapshot.State.TAKEN_OVER);
		assertThat(oldSnapshot.file()).isEqualTo(SocketSnapshot.FileStatus.TAKEN_OVER);
		assertThat(oldSnapshot.connections()).isZero();
		assertThat(old.isSocketActive(path())).isFalse();
		// The path is the new socket's: still there after the old one drained, and served.
		assertThat(taking.snapshot(path()).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
		assertThat(roundTrip(this.newServers.connect(taking.getOrCreate(path())), "after")).isEqualTo("new:after");
		oldReference.close();
		assertThat(Path.of(path())).exists();
		assertThat(taking.snapshot(path()).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
		newReference.close();
	}

	/**
	 * Connections still queued on the old socket when it is taken over are accepted and served
	 * before it closes (closing would reset them), whatever its peer policy. The connects queue
	 * while the manager's acceptor is held by another socket's policy (one that says it does not
	 * block, and does until the takeover is seen); the old socket's own policy may block (a
	 * lambda), and is still deciding on every one of them when the stop begins.
	 */
	@Test
	void connectionsQueuedOnTheSocketTakenOverAreServedNotReset() throws Exception {
		CountDownLatch acceptorHeld = new CountDownLatch(1);
		CountDownLatch releaseAcceptor = new CountDownLatch(1);
		CountDownLatch releasePolicy = new CountDownLatch(1);
		String holderPath = this.directory.resolve("holder.sock").toString();
		SocketManager old = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.THREAD).peerPolicy((peer) -> awaitLatch(releasePolicy)).build())
			.socket(holderPath, answering("holder", Mode.THREAD).takeover(false).peerPolicy(new PeerPolicy() {

				@Override
				public boolean allows(PeerCredentials peer) {
					acceptorHeld.countDown();
					return awaitLatch(releaseAcceptor);
				}

				@Override
				public boolean mayBlock() {
					return false;
				}

			}).build()));
		SocketReference oldReference = old.getOrCreate(path());
		SocketReference holder = old.getOrCreate(holderPath);
		try (SocketChannel holding = SocketChannel.open(UnixDomainSocketAddress.of(holderPath))) {
			assertThat(acceptorHeld.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the acceptor is held").isTrue();
			List<SocketChannel> queued = new ArrayList<>();
			for (int i = 0; i < 15; i++) {
				SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path()));
				client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
				queued.add(client);
			}
			SocketManager taking = this.newServers.manager(SocketManager.builder()
				.defaults(answering("new", Mode.THREAD).build()));
			SocketReference newReference = taking.getOrCreate(path());
			await().atMost(WAIT).until(() -> this.oldEvents.events.contains("taken-over " + path()));
			releaseAcceptor.countDown();
			// The stop comes once the queue was taken: each queued connection is then still
			// waiting for the policy, and holds the drain open.
			assertThat(oldReference.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
				.isEqualTo(SocketStop.TAKEN_OVER);
			releasePolicy.countDown();
			int served = 0;
			for (SocketChannel client : queued) {
				try (client) {
					if ("old:ping".equals(readLine(Channels.newInputStream(client)))) {
						served++;
					}
				}
				catch (IOException ex) {
					// Reset: not served.
				}
			}
			assertThat(served).as("queued connections served").isEqualTo(queued.size());
			await().atMost(WAIT).until(() -> this.oldEvents.events.contains("handed-over " + path()));
			assertThat(newReference.isActive()).isTrue();
		}
		finally {
			releaseAcceptor.countDown();
			releasePolicy.countDown();
			holder.close();
		}
	}

	private static boolean awaitLatch(CountDownLatch latch) {
		try {
			return latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * A graceful shutdown that begins while a handover drains waits for that drain, whose
	 * deadline is kept: its connections are not cut.
	 */
	@Test
	void aGracefulShutdownWaitsForAHandoverUnderWay() throws Exception {
		CountDownLatch finish = new CountDownLatch(1);
		CountDownLatch asked = new CountDownLatch(1);
		SocketManager old = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.THREAD).handler((connection) -> {
				InputStream in = connection.inputStream();
				while (readLine(in) != null) {
					connection.outputStream().write("old\n".getBytes(StandardCharsets.US_ASCII));
					connection.outputStream().flush();
				}
				// Asked to finish: its last work takes until the test says.
				asked.countDown();
				finish.await();
				connection.outputStream().write("done\n".getBytes(StandardCharsets.US_ASCII));
				connection.outputStream().flush();
			}).build()));
		SocketReference oldReference = old.getOrCreate(path());
		AFUNIXSocket client = this.oldServers.connect(oldReference);
		assertThat(roundTrip(client, "hello")).isEqualTo("old");
		SocketManager taking = this.newServers.manager(SocketManager.builder()
			.defaults(answering("new", Mode.THREAD).build()));
		SocketReference newReference = taking.getOrCreate(path());
		assertThat(asked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handover asked the connection to finish")
			.isTrue();
		CompletableFuture<Void> shutdown = old.shutdownGracefully(WAIT);
		assertThat(shutdown).as("waits for the handover's drain").isNotDone();
		finish.countDown();
		assertThat(readLine(client.getInputStream())).as("the connection was not cut").isEqualTo("done");
		shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		// Its events are not asserted here: on JDK 25 they were missing after such a shutdown (an
		// open defect); the handover's own events are asserted by the other tests.
		assertThat(newReference.isActive()).isTrue();
	}

	/**
	 * The last reference closed while the socket taken over still settles ends nothing at once:
	 * the handover goes on, connections finish as asked, and it is reported handed over.
	 */
	@Test
	void theLastReferenceClosedWhileAHandoverSettlesNeitherCutsConnectionsNorEndsTheHandover() throws Exception {
		SocketManager old = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.THREAD).build()));
		AtomicReference<SocketReference> oldReference = new AtomicReference<>(old.getOrCreate(path()));
		old.addEventListener(new SocketEventListener() {

			@Override
			public void socketTakenOver(String path) {
				oldReference.get().close();
			}

		});
		AFUNIXSocket longLived = this.oldServers.connect(oldReference.get());
		assertThat(roundTrip(longLived, "hello")).isEqualTo("old:hello");
		SocketManager taking = this.newServers.manager(SocketManager.builder()
			.defaults(answering("new", Mode.THREAD).build()));
		SocketReference newReference = taking.getOrCreate(path());
		await().atMost(WAIT).until(() -> this.oldEvents.events.contains("handed-over " + path()));
		assertThat(this.notices).contains("old end of input, shutdown requested: true");
		assertThat(oldReference.get().whenStopping().toCompletableFuture().get(5, TimeUnit.SECONDS))
			.isEqualTo(SocketStop.TAKEN_OVER);
		assertThat(newReference.isActive()).isTrue();
	}

	@Test
	void theSocketTakenOverNoticesWithoutThePeriodicFileCheck() throws Exception {
		// Both managers check files never: only the watch on the directory can tell the old one.
		SocketManager old = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.EVENT_LOOP).build()));
		SocketReference oldReference = old.getOrCreate(path());
		SocketManager taking = this.newServers.manager(SocketManager.builder()
			.defaults(answering("new", Mode.EVENT_LOOP).build()));
		SocketReference newReference = taking.getOrCreate(path());
		await().atMost(WAIT).until(() -> this.oldEvents.events.contains("taken-over " + path()));
		assertThat(oldReference.whenStopping().toCompletableFuture().get(5, TimeUnit.SECONDS))
			.isEqualTo(SocketStop.TAKEN_OVER);
		assertThat(newReference.isActive()).isTrue();
	}

	/**
	 * Another name of one of the manager's own sockets renamed over a socket's path: the probe
	 * reaches that same manager, which does not hand over to itself.
	 */
	@Test
	void anotherNameOfTheManagersOwnSocketIsNoTakeover() throws Exception {
		SocketManager manager = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.EVENT_LOOP).build()));
		SocketReference reference = manager.getOrCreate(path());
		Path other = this.directory.resolve("other.sock");
		SocketReference otherReference = manager.getOrCreate(other.toString());
		Path link = this.directory.resolve("link");
		Files.createLink(link, other);
		Files.move(link, Path.of(path()), StandardCopyOption.ATOMIC_MOVE);
		await().atMost(WAIT)
			.until(() -> this.oldEvents.events.contains("replaced " + path())
					|| this.oldEvents.events.contains("taken-over " + path()));
		assertThat(this.oldEvents.events).doesNotContain("taken-over " + path());
		assertThat(reference.whenStopping().toCompletableFuture()).isNotDone();
		assertThat(otherReference.isActive()).isTrue();
		assertThat(manager.isSocketActive(path())).isTrue();
	}

	@Test
	void withoutTakeoverALiveSocketIsStillInUse() throws Exception {
		SocketManager old = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.THREAD).build()));
		SocketReference oldReference = old.getOrCreate(path());
		Object key = fileKey();
		SocketManager second = this.newServers.manager(SocketManager.builder()
			.defaults(answering("new", Mode.THREAD).takeover(false).build()));
		assertThatExceptionOfType(SocketInUseException.class).isThrownBy(() -> second.getOrCreate(path()))
			.withMessageStartingWith("Socket '" + path() + "' is in use: another process is accepting connections on it");
		assertThat(fileKey()).isEqualTo(key);
		assertThat(oldReference.whenStopping().toCompletableFuture()).isNotDone();
	}

	@Test
	void aLiveSocketOfAnotherUserIsNotTakenOver() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		startAsNobody(python, ExternalProcesses.PYTHON_SERVER);
		Object key = fileKey();
		SocketManager taking = this.newServers.manager(SocketManager.builder()
			.defaults(answering("new", Mode.THREAD).directoryCheck(DirectoryCheck.OFF).build()));
		assertThatExceptionOfType(SocketInUseException.class).isThrownBy(() -> taking.getOrCreate(path()))
			.withMessageContaining("is in use and is not taken over: it is in use by a process running as uid="
					+ ExternalProcesses.NOBODY)
			.withMessageContaining("which the server policy");
		assertThat(fileKey()).as("the other user's socket is left in place").isEqualTo(key);
		try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path()))) {
			assertThat(readLine(Channels.newInputStream(client))).isEqualTo("pong");
		}
	}

	@Test
	void aReplacementByAnotherUserIsAnImpostorNotATakeover() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		SocketManager old = this.oldServers.manager(SocketManager.builder()
			.defaults(answering("old", Mode.EVENT_LOOP).directoryCheck(DirectoryCheck.OFF).build()));
		SocketReference oldReference = old.getOrCreate(path());
		startAsNobody(python, ExternalProcesses.PYTHON_RENAMING_SERVER);
		await().atMost(WAIT).until(() -> this.oldEvents.events.contains("replaced " + path()));
		assertThat(this.oldEvents.events).doesNotContain("taken-over " + path());
		assertThat(oldReference.whenStopping().toCompletableFuture()).isNotDone();
		assertThat(old.isSocketActive(path())).isTrue();
		assertThat(old.snapshot(path()).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.REPLACED);
	}

	@Test
	void aSocketThatDoesNotAllowTakeoverDoesNotHandOver() throws Exception {
		SocketManager old = SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ofMillis(50))
			.eventListener(this.oldEvents)
			.defaults(answering("old", Mode.EVENT_LOOP).takeover(false).build())
			.build();
		this.managers.add(old);
		SocketReference oldReference = old.getOrCreate(path());
		// A process of the same user puts its own socket at the path.
		String python = ExternalProcesses.assumePython();
		Process server = new ProcessBuilder(python, "-c", ExternalProcesses.PYTHON_RENAMING_SERVER, path())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(server);
		ExternalProcesses.awaitLine(server, "ready");
		await().atMost(WAIT).until(() -> this.oldEvents.events.contains("replaced " + path()));
		assertThat(oldReference.whenStopping().toCompletableFuture()).isNotDone();
		assertThat(old.isSocketActive(path())).isTrue();
	}

	private void startAsNobody(String python, String script) throws IOException {
		Process server = new ProcessBuilder(ExternalProcesses.asNobody(List.of(python, "-c", script, path())))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(server);
		ExternalProcesses.awaitLine(server, "ready");
	}

	private Object fileKey() throws IOException {
		return Files.readAttributes(Path.of(path()), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

}
