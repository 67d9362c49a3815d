package io.github.glidesocket.sample.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.glidesocket.sample.RespTestConnection;
import io.github.glidesocket.sample.SampleHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A process of another user ({@code nobody}) connecting to the socket: the file mode keeps it
 * out by default; with a mode that lets it connect, the peer policy refuses it (counted and
 * logged) until its uid is allowed.
 */
@Tag("process")
@Timeout(180)
class OtherUserProcessTests {

	private static final long NOBODY = 65534;

	/**
	 * The system's command path: a python3 found earlier on the test's own PATH (such as a
	 * version manager's shim in root's home) may not be executable by nobody.
	 */
	private static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

	/**
	 * Connects, sends PING and prints what happened: {@code CONNECT-ERROR <errno>},
	 * {@code REPLY <line>} or {@code CLOSED} (the connection ended without a reply).
	 */
	private static final String CLIENT = """
			import errno, os, socket, sys
			print("UID", os.getuid())
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.settimeout(10)
			try:
			    s.connect(sys.argv[1])
			except OSError as e:
			    print("CONNECT-ERROR", errno.errorcode.get(e.errno, e.errno))
			    sys.exit(0)
			data = b""
			try:
			    s.sendall(b"*1\\r\\n$4\\r\\nPING\\r\\n")
			    while not data.endswith(b"\\r\\n"):
			        chunk = s.recv(64)
			        if not chunk:
			            break
			        data += chunk
			except (BrokenPipeError, ConnectionResetError):
			    pass
			print("REPLY " + data.decode().strip() if data else "CLOSED")
			""";

	@TempDir
	Path directory;

	private Path socket;

	@BeforeEach
	void requireRootAndTools() throws IOException {
		assumeTrue(onPath("setpriv") && onPath("python3"), "setpriv (util-linux) and python3 are needed");
		assumeTrue(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0,
				"switching to user nobody needs root");
		// Other users may enter the directory; only the socket file's mode and the peer policy stand in the way.
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.socket = this.directory.resolve("kv.sock");
	}

	@Test
	void otherUserCannotConnectWithTheDefaultPermissions() throws Exception {
		try (SampleProcess process = SampleProcess.serving(this.socket).startAndAwait()) {
			assertThat(connectAsNobody(this.socket)).containsExactly("UID " + NOBODY, "CONNECT-ERROR EACCES");
			assertThat(rejectedPeers(process)).as("refusals: the kernel refused, the application saw nothing")
				.isZero();
			stop(process);
		}
	}

	@Test
	void otherUserIsRefusedByTheDefaultPeerPolicyAndCounted() throws Exception {
		try (SampleProcess process = SampleProcess.serving(this.socket)
			.property("glide.socket.permissions", "rw-rw-rw-")
			.startAndAwait()) {
			assertThat(connectAsNobody(this.socket)).containsExactly("UID " + NOBODY, "CLOSED");
			// The refusal is counted just after the connection is closed.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rejectedPeers(process)).isEqualTo(1.0));
			process.awaitOutput("Refused a connection on '" + this.socket + "' from user nobody (uid " + NOBODY + ")", Duration.ofSeconds(10));
			// The owner's own connections are not affected.
			try (RespTestConnection connection = RespTestConnection.open(this.socket)) {
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
			stop(process);
		}
	}

	@Test
	void otherUserWhoseUidIsAllowedIsServed() throws Exception {
		try (SampleProcess process = SampleProcess.serving(this.socket)
			.property("glide.socket.permissions", "rw-rw-rw-")
			.property("glide.socket.peers.uids", Long.toString(NOBODY))
			.startAndAwait()) {
			assertThat(connectAsNobody(this.socket)).containsExactly("UID " + NOBODY, "REPLY +PONG");
			assertThat(rejectedPeers(process)).isZero();
			stop(process);
		}
	}

	private void stop(SampleProcess process) throws Exception {
		process.terminate();
		assertThat(process.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	private static List<String> connectAsNobody(Path socket) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
				"python3", "-c", CLIENT, socket.toString())
			.redirectErrorStream(true);
		builder.environment().put("PATH", SYSTEM_PATH);
		Process client = builder.start();
		assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("client finished").isTrue();
		String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(client.exitValue()).as("client exit code, output: " + output).isZero();
		return output.lines().toList();
	}

	private static double rejectedPeers(SampleProcess process) throws Exception {
		SampleHttpClient.Reply reply = new SampleHttpClient(process.httpPort())
			.get("/actuator/metrics/glide.socket.connections.rejected?tag=socket:default&tag=reason:peer");
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.json().path("measurements").path(0).path("value").asDouble();
	}

	private static boolean onPath(String command) {
		return Stream.of(SYSTEM_PATH.split(File.pathSeparator))
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, command)));
	}

}
