package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * With {@link SocketManager.Builder#holdTakeovers(boolean)}, a socket that takes over a live one
 * binds aside and takes the path only at {@link SocketManager#completeTakeovers()}: until then the
 * process serving the path serves it, and a socket closed before then leaves it alone. The live
 * server is another process (python), as in a deploy.
 */
@Timeout(90)
class PendingTakeoverTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/**
	 * Binds and listens at argv[1], prints "ready", and answers the first line of every
	 * connection with "pong".
	 */
	private static final String OLD_SERVER = String.join("\n", "import socket, sys",
			"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1])", "s.listen(64)",
			"print('ready', flush=True)", "while True:", "    c, _ = s.accept()", "    try:",
			"        data = b''", "        while b'\\n' not in data:", "            chunk = c.recv(64)",
			"            if not chunk:", "                break", "            data += chunk",
			"        c.sendall(b'pong\\n')", "    except OSError:", "        pass", "    c.close()");

	/** Binds beside argv[1], renames its socket over it, prints "ready", and closes every connection. */
	private static final String RENAMING_SERVER = String.join("\n", "import os, socket, sys",
			"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1] + '.new')", "s.listen(16)",
			"os.rename(sys.argv[1] + '.new', sys.argv[1])", "print('ready', flush=True)", "while True:",
			"    c, _ = s.accept()", "    c.close()");

	@TempDir
	Path directory;

	private final RecordingEvents events = new RecordingEvents();

	private final TestServers servers = new TestServers(this.events, WAIT);

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		this.servers.close();
		this.processes.forEach(Process::destroyForcibly);
	}

	private Path path() {
		return this.directory.resolve("s.sock");
	}

	/**
	 * A socket that may take over, answering each line with {@code new:} and the line.
	 */
	private static SocketOptions answering() {
		return SocketOptions.builder().takeover(true).handler((connection) -> {
			InputStream in = connection.inputStream();
			for (String line = readLine(in); line != null; line = readLine(in)) {
				connection.outputStream().write(("new:" + line + "\n").getBytes(StandardCharsets.US_ASCII));
				connection.outputStream().flush();
			}
		}).build();
	}

	private SocketManager holding() {
		return this.servers.manager(SocketManager.builder().holdTakeovers(true).defaults(answering()));
	}

	private void startOldServer(String script) throws IOException {
		String python = ExternalProcesses.assumePython();
		Process server = new ProcessBuilder(python, "-c", script, path().toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(server);
		ExternalProcesses.awaitLine(server, "ready");
	}

	@ParameterizedTest(name = "directory {0}")
	@ValueSource(strings = { "rwx------", "rwxr-xr-x" })
	void aHeldTakeoverServesAsideUntilCompletedAndThenTakesThePathWithoutAFailedConnect(String mode)
			throws Exception {
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString(mode));
		startOldServer(OLD_SERVER);
		Object oldFile = fileKey(path());
		SocketManager manager = holding();
		try (RequestLoop loop = new RequestLoop(path(), 2, PendingTakeoverTests::server)) {
			await().atMost(WAIT).until(() -> loop.repliesFrom("old") >= 20);
			SocketReference reference = manager.getOrCreate(path().toString());
			assertThat(reference.isActive()).isTrue();
			assertThat(fileKey(path())).as("the path still holds the live socket").isEqualTo(oldFile);
			assertThat(manager.snapshot(path().toString()).orElseThrow().file())
				.isEqualTo(SocketSnapshot.FileStatus.TAKEOVER_PENDING);
			long oldReplies = loop.repliesFrom("old");
			await().atMost(WAIT).until(() -> loop.repliesFrom("old") >= oldReplies + 20);
			assertThat(loop.repliesFrom("new")).isZero();
			assertThat(manager.completeTakeovers()).containsExactly(path().toString());
			await().atMost(WAIT).until(() -> loop.repliesFrom("new") >= 20);
			assertThat(loop.failures()).as("connects and requests that failed: %s", loop.errors).isZero();
			assertThat(manager.snapshot(path().toString()).orElseThrow().file())
				.isEqualTo(SocketSnapshot.FileStatus.INTACT);
			assertThat(manager.completeTakeovers()).isEmpty();
			reference.close();
		}
		await().atMost(WAIT).until(() -> !Files.exists(path(), LinkOption.NOFOLLOW_LINKS));
		assertThat(entries()).as("nothing left aside").isEmpty();
	}

	@ParameterizedTest(name = "directory {0}")
	@ValueSource(strings = { "rwx------", "rwxr-xr-x" })
	void aSocketClosedBeforeItsTakeoverCompletesLeavesThePathAndItsServerAlone(String mode) throws Exception {
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString(mode));
		startOldServer(OLD_SERVER);
		Object oldFile = fileKey(path());
		SocketManager manager = holding();
		SocketReference reference = manager.getOrCreate(path().toString());
		assertThat(entries()).as("the socket bound aside").hasSizeGreaterThan(1);
		reference.close();
		await().atMost(WAIT).until(() -> !manager.isSocketActive(path().toString()));
		assertThat(fileKey(path())).isEqualTo(oldFile);
		assertThat(entries()).as("the path alone, nothing left aside").containsExactly(path());
		assertThat(oldServerAnswers()).isEqualTo("pong");
		assertThat(manager.completeTakeovers()).isEmpty();
		assertThat(fileKey(path())).isEqualTo(oldFile);
		manager.close();
		assertThat(fileKey(path())).isEqualTo(oldFile);
		assertThat(oldServerAnswers()).isEqualTo("pong");
	}

	@Test
	void closingTheManagerBeforeTheTakeoverCompletesLeavesThePathAlone() throws Exception {
		startOldServer(OLD_SERVER);
		Object oldFile = fileKey(path());
		SocketManager manager = holding();
		manager.getOrCreate(path().toString());
		manager.close();
		assertThat(fileKey(path())).isEqualTo(oldFile);
		assertThat(entries()).containsExactly(path());
		assertThat(oldServerAnswers()).isEqualTo("pong");
	}

	@Test
	void aTakeoverWhosePathWasReplacedMeanwhileIsRefusedAndTheNewFileLeftAlone() throws Exception {
		startOldServer(OLD_SERVER);
		SocketManager manager = holding();
		SocketReference reference = manager.getOrCreate(path().toString());
		// Another server renames its socket over the path before the application is ready.
		startOldServer(RENAMING_SERVER);
		Object replacement = fileKey(path());
		assertThatExceptionOfType(SocketInUseException.class).isThrownBy(manager::completeTakeovers)
			.withMessageContaining("was not taken over");
		assertThat(fileKey(path())).isEqualTo(replacement);
		reference.close();
		await().atMost(WAIT).until(() -> !manager.isSocketActive(path().toString()));
		assertThat(fileKey(path())).isEqualTo(replacement);
		assertThat(entries()).containsExactly(path());
	}

	@Test
	void aBindThatTakesNothingOverPublishesAtOnce() throws Exception {
		SocketManager manager = holding();
		try (SocketReference reference = manager.getOrCreate(path().toString())) {
			assertThat(manager.snapshot(path().toString()).orElseThrow().file())
				.isEqualTo(SocketSnapshot.FileStatus.INTACT);
			assertThat(roundTrip(this.servers.connect(reference), "ping")).isEqualTo("new:ping");
		}
	}

	@Test
	void onceCompletedLaterTakeoversTakeThePathAsTheyBind() throws Exception {
		SocketManager manager = holding();
		assertThat(manager.completeTakeovers()).isEmpty();
		startOldServer(OLD_SERVER);
		Object oldFile = fileKey(path());
		try (SocketReference reference = manager.getOrCreate(path().toString())) {
			assertThat(fileKey(path())).isNotEqualTo(oldFile);
			assertThat(roundTrip(this.servers.connect(reference), "ping")).isEqualTo("new:ping");
		}
	}

	private static String server(String reply) {
		if (reply.equals("pong")) {
			return "old";
		}
		return reply.equals("new:ping") ? "new" : null;
	}

	private String oldServerAnswers() throws IOException {
		try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path()))) {
			return roundTrip(client, "ping");
		}
	}

	private List<Path> entries() throws IOException {
		try (var list = Files.list(this.directory)) {
			return list.toList();
		}
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

}
