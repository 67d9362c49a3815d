package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

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

	/** What the client prints first: nobody, in group nogroup only. */
	private static final String AS_NOBODY = "UID " + NOBODY + " GROUPS [" + NOBODY + "]";



	@TempDir
	Path directory;

	private Path socket;

	@BeforeEach
	void requireRootAndTools() throws IOException {
		assumeTrue(NobodyClient.onPath("setpriv") && NobodyClient.onPath("python3"),
				"setpriv (util-linux) and python3 are needed");
		assumeTrue(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0,
				"switching to user nobody needs root");
		// Other users may enter the directory; only the socket file's mode and the peer policy stand in the way.
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.socket = this.directory.resolve("kv.sock");
	}

	@Test
	void otherUserCannotConnectWithTheDefaultPermissions() throws Exception {
		try (SampleProcess process = SampleProcess.serving(this.socket).startAndAwait()) {
			assertThat(NobodyClient.connect(this.socket, "--clear-groups"))
				.containsExactly(AS_NOBODY, "CONNECT-ERROR EACCES");
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
			assertThat(NobodyClient.connect(this.socket, "--clear-groups"))
				.containsExactly(AS_NOBODY, "CLOSED");
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
			assertThat(NobodyClient.connect(this.socket, "--clear-groups"))
				.containsExactly(AS_NOBODY, "REPLY +PONG");
			assertThat(rejectedPeers(process)).isZero();
			stop(process);
		}
	}

	private void stop(SampleProcess process) throws Exception {
		process.terminate();
		assertThat(process.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}


	private static double rejectedPeers(SampleProcess process) throws Exception {
		SampleHttpClient.Reply reply = new SampleHttpClient(process.httpPort())
			.get("/actuator/metrics/glide.socket.connections.rejected?tag=socket:default&tag=reason:peer");
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.json().path("measurements").path(0).path("value").asDouble();
	}


}
