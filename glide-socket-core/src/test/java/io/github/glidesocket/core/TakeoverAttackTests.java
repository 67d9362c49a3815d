package io.github.glidesocket.core;

import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Another user ({@code nobody}) tries to turn takeover against the service: a link renamed over
 * the path, a server kept busy by connections the service refuses, a socket file of another user
 * served by a trusted process. None of them is a handover or a takeover, and nothing stops
 * being served.
 */
@Timeout(120)
class TakeoverAttackTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/**
	 * A server as root: binds and listens at argv[1] + ".new" with a backlog of 1, opens its
	 * mode to everyone, prints "bound"; then on "rename" renames it over argv[1] and prints
	 * "renamed", and on "accept" starts answering every connection with "pong".
	 */
	private static final String PYTHON_SLOW_SERVER = String.join("\n", "import os, socket, sys",
			"p = sys.argv[1]", "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(p + '.new')",
			"os.chmod(p + '.new', 0o666)", "s.listen(1)", "print('bound', flush=True)", "for line in sys.stdin:",
			"    if line.strip() == 'rename':", "        os.rename(p + '.new', p)", "        print('renamed', flush=True)",
			"    elif line.strip() == 'accept':", "        break", "while True:", "    c, _ = s.accept()", "    try:",
			"        c.sendall(b'pong\\n')", "    except OSError:", "        pass", "    c.close()");

	/**
	 * A peer that fills the backlog of the server at argv[1]: connects without blocking until
	 * the kernel says the backlog is full, prints "full" (or "not-full"), and holds its
	 * connections until its input closes.
	 */
	private static final String PYTHON_BACKLOG_FILLER = String.join("\n", "import socket, sys", "held = []",
			"full = False", "for i in range(256):", "    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
			"    c.setblocking(False)", "    try:", "        c.connect(sys.argv[1])", "        held.append(c)",
			"    except BlockingIOError:", "        full = True", "        c.close()", "        break",
			"print('full' if full else 'not-full', flush=True)", "sys.stdin.read()");

	/** A server as root whose socket file belongs to nobody: binds argv[1], gives it away, answers "pong". */
	private static final String PYTHON_SERVER_OF_A_FILE_GIVEN_AWAY = String.join("\n", "import os, socket, sys",
			"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1])",
			"os.chown(sys.argv[1], " + ExternalProcesses.NOBODY + ", " + ExternalProcesses.NOBODY + ")", "s.listen(16)",
			"print('ready', flush=True)", "while True:", "    c, _ = s.accept()", "    try:",
			"        c.sendall(b'pong\\n')", "    except OSError:", "        pass", "    c.close()");

	@TempDir
	Path directory;

	private final RecordingEvents events = new RecordingEvents();

	private final TestServers servers = new TestServers(this.events, WAIT);

	private final List<Process> processes = new ArrayList<>();

	private final List<String> logged = new CopyOnWriteArrayList<>();

	private final Logger log = Logger.getLogger(SocketManager.class.getName());

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.INFO.intValue()) {
				TakeoverAttackTests.this.logged.add(record.getMessage());
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
		this.log.removeHandler(this.capture);
		this.processes.forEach(Process::destroyForcibly);
		this.servers.close();
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	private SocketOptions.Builder takeover() {
		return SocketOptions.builder()
			.takeover(true)
			.handoverTimeout(Duration.ofSeconds(20))
			.directoryCheck(DirectoryCheck.OFF)
			.handler(SocketPathValidationTests::echo);
	}

	/**
	 * In a directory everyone may write, without the sticky bit (a Kubernetes {@code emptyDir}),
	 * nobody renames the socket's file aside and a link to it over the path: the probe through
	 * the path reaches this very socket, which must not take that for a takeover.
	 */
	@Test
	void aLinkToTheSocketItselfRenamedOverThePathIsReportedNotHandedOverTo() throws Exception {
		openToNobody("rwxrwxrwx");
		SocketManager manager = this.servers.manager(SocketManager.builder().defaults(takeover().build()));
		SocketReference reference = manager.getOrCreate(path());
		// A link named "link" to "link", exchanged with the socket's file in one step: the path
		// then holds a link to the socket, which is now named "link". The path is never empty.
		runAsNobody("cd '" + this.directory + "' && ln -s link link && " + String.join(" ", pythonForNobody(), "-c",
				"'import ctypes; exit(ctypes.CDLL(None, use_errno=True).renameat2(-100, b\"link\", -100, b\"s.sock\", 2))'"));
		await().atMost(WAIT)
			.until(() -> this.events.events.contains("replaced " + path())
					|| this.events.events.contains("taken-over " + path()));
		assertThat(this.events.events).doesNotContain("taken-over " + path());
		assertThat(this.logged).anySatisfy((line) -> assertThat(line).contains("a symbolic link is at the path"));
		assertThat(reference.whenStopping().toCompletableFuture()).isNotDone();
		assertThat(manager.isSocketActive(path())).isTrue();
		assertThat(manager.snapshot(path()).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.REPLACED);
		// Still serving, through the link too, which leads to the socket.
		try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path()))) {
			client.write(java.nio.ByteBuffer.wrap("through the link\n".getBytes(StandardCharsets.US_ASCII)));
			assertThat(readLine(Channels.newInputStream(client))).isEqualTo("through the link");
		}
		// Once the path is free again (the link removed), the socket is bound there again.
		Files.delete(Path.of(path()));
		await().atMost(WAIT).until(() -> this.events.events.contains("rebound " + path()));
		assertThat(manager.snapshot(path()).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
		assertThat(roundTrip(this.servers.connect(reference), "bound again")).isEqualTo("bound again");
		assertThat(Files.isSymbolicLink(Path.of(path()))).isFalse();
	}

	/**
	 * The old instance struggles (its backlog is full of connections of a peer it would refuse):
	 * the new instance still takes over. The server is busy, not unknown.
	 */
	@Test
	void aLiveSocketWhoseBacklogIsFilledByARefusedPeerIsStillTakenOver() throws Exception {
		openToNobody("rwxrwxrwx");
		Process slow = startSlowServer();
		fillBacklogAsNobody(path() + ".new");
		command(slow, "rename");
		ExternalProcesses.awaitLine(slow, "renamed");
		Object busy = fileKey();
		SocketManager taking = this.servers.manager(SocketManager.builder().defaults(takeover().build()));
		SocketReference reference = taking.getOrCreate(path());
		assertThat(reference.isActive()).isTrue();
		assertThat(fileKey()).isNotEqualTo(busy);
		assertThat(roundTrip(this.servers.connect(reference), "taken over")).isEqualTo("taken over");
	}

	/**
	 * The file that replaced the socket's is served by a trusted process whose backlog a refused
	 * peer keeps full: the old instance judges again later, never reports a foreign file on it,
	 * and hands over once the server answers.
	 */
	@Test
	void aTrustedReplacementWhoseBacklogIsFullIsJudgedAgainNotReportedForeign() throws Exception {
		openToNobody("rwxrwxrwx");
		SocketManager old = this.servers.manager(SocketManager.builder().defaults(takeover().build()));
		SocketReference oldReference = old.getOrCreate(path());
		Process slow = startSlowServer();
		fillBacklogAsNobody(path() + ".new");
		command(slow, "rename");
		ExternalProcesses.awaitLine(slow, "renamed");
		await().atMost(WAIT)
			.until(() -> this.events.events.contains("replaced " + path())
					|| this.logged.stream().anyMatch((line) -> line.contains("cannot be judged yet")));
		assertThat(this.events.events).doesNotContain("replaced " + path(), "taken-over " + path());
		assertThat(oldReference.whenStopping().toCompletableFuture()).isNotDone();
		command(slow, "accept");
		await().atMost(WAIT).until(() -> this.events.events.contains("taken-over " + path()));
		assertThat(oldReference.whenStopping().toCompletableFuture().get()).isEqualTo(SocketStop.TAKEN_OVER);
		assertThat(this.events.events).doesNotContain("replaced " + path());
	}

	/**
	 * A trusted process serves a socket file that belongs to another user: the credentials that
	 * count are those of the file that would be replaced, so it is not taken over.
	 */
	@Test
	void aSocketFileOfAnotherUserIsNotTakenOverOnItsServersCredentials() throws Exception {
		ExternalProcesses.assumeCanRunAsNobody();
		String python = ExternalProcesses.assumePython();
		Process server = new ProcessBuilder(python, "-c", PYTHON_SERVER_OF_A_FILE_GIVEN_AWAY, path())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(server);
		ExternalProcesses.awaitLine(server, "ready");
		Object key = fileKey();
		SocketManager taking = this.servers.manager(SocketManager.builder().defaults(takeover().build()));
		assertThatExceptionOfType(SocketInUseException.class).isThrownBy(() -> taking.getOrCreate(path()))
			.withMessageContaining("is not taken over")
			.withMessageContaining("owned by uid=" + ExternalProcesses.NOBODY);
		assertThat(fileKey()).as("the other user's file is left in place").isEqualTo(key);
		try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path()))) {
			assertThat(readLine(Channels.newInputStream(client))).isEqualTo("pong");
		}
	}

	private void openToNobody(String mode) throws IOException {
		ExternalProcesses.assumePythonForNobody();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString(mode));
	}

	private static String pythonForNobody() throws IOException {
		return ExternalProcesses.assumePythonForNobody();
	}

	private void runAsNobody(String script) throws IOException, InterruptedException {
		assertThat(ExternalProcesses.run(ExternalProcesses.asNobody(List.of("sh", "-c", script)), WAIT)).isEmpty();
	}

	private Process startSlowServer() throws IOException {
		Process server = new ProcessBuilder(ExternalProcesses.assumePython(), "-c", PYTHON_SLOW_SERVER, path())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(server);
		ExternalProcesses.awaitLine(server, "bound");
		return server;
	}

	private void fillBacklogAsNobody(String socket) throws IOException {
		String python = ExternalProcesses.assumePythonForNobody();
		Process filler = new ProcessBuilder(ExternalProcesses.asNobody(List.of(python, "-c", PYTHON_BACKLOG_FILLER, socket)))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(filler);
		ExternalProcesses.awaitLine(filler, "full");
	}

	private static void command(Process process, String line) throws IOException {
		OutputStream input = process.getOutputStream();
		input.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
		input.flush();
	}

	private Object fileKey() throws IOException {
		return Files.readAttributes(Path.of(path()), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

}
