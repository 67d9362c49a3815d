package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The socket file's mode and the peer policy: no moment in which the socket is reachable with a
 * wider mode than configured, and peers of another user refused unless the policy allows them.
 */
@Timeout(120)
class SocketPermissionTests {

	private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
			PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

	/** Connects as argv[1], reads once, prints EOF or DATA &lt;line&gt; (or the error). */
	private static final String PYTHON_CLIENT = String.join("\n", "import socket, sys",
			"c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "c.settimeout(20)", "try:",
			"    c.connect(sys.argv[1])", "except OSError as e:", "    print('CONNECT-ERROR', e)", "    sys.exit(0)",
			"try:", "    data = c.recv(100)", "    print('EOF' if not data else 'DATA ' + data.decode().strip())",
			"except OSError as e:", "    print('RECV-ERROR', e)");

	@TempDir
	Path directory;

	private final List<SocketManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(SocketOptions options, SocketEventListener events) {
		SocketManager manager = SocketManager.builder()
			.name("permission-test")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.eventListener(events)
			.defaults(options)
			.build();
		this.managers.add(manager);
		return manager;
	}

	@ParameterizedTest
	@ValueSource(strings = { "rw-------", "rw-rw----" })
	void socketReachableByOthersIsNeverWiderThanConfiguredThroughoutBinding(String mode) throws Exception {
		Set<PosixFilePermission> configured = PosixFilePermissions.fromString(mode);
		// Let others into the parent, so that everything in it but the staging directories'
		// contents is reachable by them.
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		SocketManager manager = manager(SocketOptions.builder().permissions(mode).build(), new SocketEventListener() {
		});
		ModeWatcher watcher = new ModeWatcher(this.directory, configured);
		Thread watching = new Thread(watcher, "mode-watcher");
		watching.start();
		watcher.started.await();
		try {
			for (int i = 0; i < 400; i++) {
				String path = this.directory.resolve("s" + (i % 4) + ".sock").toString();
				try (SocketReference reference = manager.getOrCreate(path)) {
					assertThat(PosixFilePermissions.toString(
							Files.getPosixFilePermissions(Path.of(path), LinkOption.NOFOLLOW_LINKS)))
						.isEqualTo(mode);
				}
			}
		}
		finally {
			watcher.stop = true;
			watching.join(10_000);
		}
		assertThat(watcher.failure.get()).as("watcher failure").isNull();
		assertThat(watcher.violations).as("entries reachable by others with a mode wider than %s", mode).isEmpty();
		// The watcher must actually have seen published sockets, or it proved nothing.
		assertThat(watcher.publishedSeen.get()).as("published sockets observed").isPositive();
		assertThat(watcher.stagingDirectoriesSeen.get()).as("staging directories observed").isPositive();
		assertThat(SocketPathValidationTests.listing(this.directory)).isEmpty();
	}

	@Test
	void connectionFromAnotherUserIsRefusedByDefaultPeerPolicy() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		RecordingListener events = new RecordingListener();
		AtomicInteger handled = new AtomicInteger();
		SocketOptions options = SocketOptions.builder()
			.permissions("rw-rw-rw-") // the kernel lets nobody connect; only the policy can refuse
			.handler((connection) -> greet(connection, handled))
			.build();
		SocketManager manager = manager(options, events);
		String path = openDirectory().resolve("s.sock").toString();
		try (SocketReference reference = manager.getOrCreate(path)) {
			String output = ExternalProcesses
				.run(ExternalProcesses.asNobody(List.of(python, "-c", PYTHON_CLIENT, path)), Duration.ofSeconds(30))
				.trim();
			assertThat(output).isEqualTo("EOF");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(events.rejections).containsExactly(path + " PEER"));
			SocketSnapshot snapshot = manager.snapshot(path).orElseThrow();
			assertThat(snapshot.rejectedConnections()).isEqualTo(1);
			assertThat(snapshot.acceptedConnections()).isZero();
			assertThat(handled).hasValue(0);
			assertThat(events.accepted).hasValue(0);
		}
	}

	@Test
	void connectionFromAnotherUserIsServedWhenPolicyAllowsItsUid() throws Exception {
		assertServedAsNobody(PeerPolicy.allowing(Set.of(ExternalProcesses.NOBODY), Set.of()));
	}

	@Test
	void connectionFromAnotherUserIsServedWhenPolicyAllowsItsGroup() throws Exception {
		assertServedAsNobody(PeerPolicy.allowing(Set.of(), Set.of(ExternalProcesses.NOBODY)));
	}

	@Test
	void connectionFromAnotherUserIsServedWhenPolicyAllowsAnyPeer() throws Exception {
		assertServedAsNobody(PeerPolicy.anyPeer());
	}

	/**
	 * The default policy is "same user as this process". Run the process as a user other than
	 * root (nobody) and connect to its own socket: it must be served.
	 */
	@Test
	void defaultPeerPolicyServesProcessOwnUserWhenProcessIsNotRoot() throws Exception {
		ExternalProcesses.assumeJavaForNobody();
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Path owned = Files.createDirectory(this.directory.resolve("nobody"));
		Files.setAttribute(owned, "unix:uid", (int) ExternalProcesses.NOBODY);
		Files.setAttribute(owned, "unix:gid", (int) ExternalProcesses.NOBODY);
		Path work = Files.createDirectory(this.directory.resolve("child"));
		Map<String, String> result = ExternalProcesses.runChildJvm(work, true, "self-connect",
				owned.resolve("s.sock").toString());
		assertThat(result).containsEntry("uid", "65534");
		assertThat(result).as("ProcessIdentity.uid() of a process running as nobody")
			.containsEntry("processIdentityUid", "65534");
		assertThat(result).as("a client of the same user as the server")
			.containsEntry("reply", "hello")
			.containsEntry("rejected", "0");
	}

	private void assertServedAsNobody(PeerPolicy policy) throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		RecordingListener events = new RecordingListener();
		AtomicInteger handled = new AtomicInteger();
		AtomicReference<PeerCredentials> peer = new AtomicReference<>();
		SocketOptions options = SocketOptions.builder()
			.permissions("rw-rw-rw-")
			.peerPolicy(policy)
			.handler((connection) -> {
				peer.set(connection.peer());
				greet(connection, handled);
			})
			.build();
		SocketManager manager = manager(options, events);
		String path = openDirectory().resolve("s.sock").toString();
		try (SocketReference reference = manager.getOrCreate(path)) {
			String output = ExternalProcesses
				.run(ExternalProcesses.asNobody(List.of(python, "-c", PYTHON_CLIENT, path)), Duration.ofSeconds(30))
				.trim();
			assertThat(output).isEqualTo("DATA hello");
			assertThat(handled).hasValue(1);
			assertThat(peer.get().uid()).isEqualTo(ExternalProcesses.NOBODY);
			assertThat(peer.get().gid()).isEqualTo(ExternalProcesses.NOBODY);
			assertThat(events.rejections).isEmpty();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(manager.snapshot(path).orElseThrow().acceptedConnections()).isEqualTo(1));
			assertThat(manager.snapshot(path).orElseThrow().rejectedConnections()).isZero();
		}
	}

	/**
	 * A directory that user nobody can enter (the temporary directory is {@code rwx------}).
	 */
	private Path openDirectory() throws IOException {
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		return this.directory;
	}

	private static void greet(SocketConnection connection, AtomicInteger handled) throws IOException {
		handled.incrementAndGet();
		connection.outputStream().write("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		connection.inputStream().transferTo(java.io.OutputStream.nullOutputStream());
	}

	/**
	 * Lists a directory as fast as it can and records every entry that someone other than the
	 * owner could reach with a mode wider than configured. An entry is reachable by others unless
	 * one of its ancestors is closed to group and others; the watched directory is open, the
	 * staging directories must be closed, and a socket inside a closed staging directory is not
	 * reachable whatever its mode (junixsocket creates it {@code rw-rw-rw-}).
	 */
	static final class ModeWatcher implements Runnable {

		final CountDownLatch started = new CountDownLatch(1);

		final List<String> violations = new CopyOnWriteArrayList<>();

		final AtomicReference<Throwable> failure = new AtomicReference<>();

		final AtomicLong publishedSeen = new AtomicLong();

		final AtomicLong stagingDirectoriesSeen = new AtomicLong();

		final AtomicLong unreachableWideSocketsSeen = new AtomicLong();

		volatile boolean stop;

		private final Path directory;

		private final Set<PosixFilePermission> configured;

		ModeWatcher(Path directory, Set<PosixFilePermission> configured) {
			this.directory = directory;
			this.configured = configured;
		}

		@Override
		public void run() {
			this.started.countDown();
			try {
				while (!this.stop) {
					scan();
				}
			}
			catch (Throwable ex) {
				this.failure.set(ex);
			}
		}

		private void scan() throws IOException {
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
				for (Path entry : entries) {
					PosixFileAttributes attributes = attributes(entry);
					if (attributes == null) {
						continue;
					}
					if (attributes.isDirectory()) {
						checkStagingDirectory(entry, attributes);
					}
					else {
						checkReachable(entry, attributes);
						if (attributes.isOther()) {
							this.publishedSeen.incrementAndGet();
						}
					}
				}
			}
		}

		private void checkStagingDirectory(Path staging, PosixFileAttributes attributes) throws IOException {
			this.stagingDirectoriesSeen.incrementAndGet();
			Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
			open.retainAll(GROUP_OR_OTHERS);
			boolean reachable = !open.isEmpty();
			if (reachable) {
				violation(staging.getFileName() + " is " + PosixFilePermissions.toString(attributes.permissions())
						+ ", open to others");
			}
			try (DirectoryStream<Path> inside = Files.newDirectoryStream(staging)) {
				for (Path entry : inside) {
					PosixFileAttributes inner = attributes(entry);
					if (inner == null) {
						continue;
					}
					if (reachable) {
						checkReachable(entry, inner);
					}
					else if (!this.configured.containsAll(inner.permissions())) {
						this.unreachableWideSocketsSeen.incrementAndGet();
					}
				}
			}
			catch (NoSuchFileException ex) {
				// Removed while listing.
			}
		}

		private void checkReachable(Path entry, PosixFileAttributes attributes) {
			if (!this.configured.containsAll(attributes.permissions())) {
				violation(this.directory.relativize(entry) + " is "
						+ PosixFilePermissions.toString(attributes.permissions()) + ", wider than "
						+ PosixFilePermissions.toString(this.configured));
			}
		}

		private void violation(String description) {
			if (this.violations.size() < 20) {
				this.violations.add(description);
			}
		}

		private static PosixFileAttributes attributes(Path path) throws IOException {
			try {
				return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			}
			catch (NoSuchFileException ex) {
				return null;
			}
		}

	}

	static final class RecordingListener implements SocketEventListener {

		final List<String> rejections = new CopyOnWriteArrayList<>();

		final AtomicInteger accepted = new AtomicInteger();

		@Override
		public void connectionRejected(String path, RejectReason reason) {
			this.rejections.add(path + " " + reason);
		}

		@Override
		public void connectionAccepted(String path) {
			this.accepted.incrementAndGet();
		}

	}

}
