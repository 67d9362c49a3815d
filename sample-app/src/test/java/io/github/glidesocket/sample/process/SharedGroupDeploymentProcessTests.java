package io.github.glidesocket.sample.process;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sidecar deployment: the application runs as one user ({@code daemon}) that has a shared
 * group as a supplementary group, as a container with a pod's {@code fsGroup} or a systemd unit
 * with {@code SupplementaryGroups=} does, and gives its socket that group with mode
 * {@code rw-rw----}. A client of another user ({@code nobody}) in that group is served; the same
 * user outside the group is refused by the kernel before the application sees anything.
 */
@Tag("process")
@Timeout(180)
class SharedGroupDeploymentProcessTests {

	private static final String SHARED_GROUP = "users";



	@TempDir
	Path root;

	private Path sockets;

	private long sharedGid;

	@BeforeEach
	void requireRootToolsAndAccounts() throws Exception {
		assumeTrue(NobodyClient.onPath("setpriv") && NobodyClient.onPath("python3") && NobodyClient.onPath("getent"),
				"setpriv (util-linux), python3 and getent are needed");
		assumeTrue(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0,
				"switching users needs root");
		List<String> group = NobodyClient.run(List.of("getent", "group", SHARED_GROUP));
		assumeTrue(group.size() == 1 && NobodyClient.run(List.of("getent", "passwd", "daemon")).size() == 1,
				"the system accounts 'daemon' and group '" + SHARED_GROUP + "' are needed");
		this.sharedGid = Long.parseLong(group.get(0).split(":")[2]);
		Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwxr-xr-x"));
		// The application's own directory, which others may enter: only the socket file's group
		// and mode decide who connects.
		this.sockets = Files.createDirectory(this.root.resolve("run"));
		Files.setAttribute(this.sockets, "unix:uid", 1);
		Files.setAttribute(this.sockets, "unix:gid", 1);
	}

	@Test
	void memberOfTheSocketGroupIsServedAndTheSameUserOutsideTheGroupIsRefusedByTheKernel() throws Exception {
		Path socket = this.sockets.resolve("app.sock");
		try (SampleProcess process = SampleProcess.serving(socket)
			.launchedWith("setpriv", "--reuid=daemon", "--regid=daemon", "--groups=" + SHARED_GROUP, "--")
			.logDirectory(this.root)
			.property("glide.socket.group", SHARED_GROUP)
			.property("glide.socket.permissions", "rw-rw----")
			.property("glide.socket.peers.users", "nobody")
			.startAndAwait()) {
			Map<String, Object> file = Files.readAttributes(socket, "unix:uid,gid,permissions", LinkOption.NOFOLLOW_LINKS);
			assertThat(file.get("uid")).as("owner: the application's user, daemon").isEqualTo(1);
			assertThat(((Number) file.get("gid")).longValue()).isEqualTo(this.sharedGid);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
				.isEqualTo("rw-rw----");

			assertThat(NobodyClient.connect(socket, "--groups=" + SHARED_GROUP)).as("nobody in the socket's group")
				.containsExactly("UID 65534 GROUPS [" + this.sharedGid + ", 65534]", "REPLY +PONG");
			assertThat(NobodyClient.connect(socket, "--clear-groups")).as("nobody outside the socket's group")
				.containsExactly("UID 65534 GROUPS [65534]", "CONNECT-ERROR EACCES");

			process.terminate();
			assertThat(process.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(SampleProcess.entriesOtherThanLogs(this.sockets)).as("files left next to the socket").isEmpty();
		}
	}

	@Test
	void groupTheApplicationIsNotInStopsStartupNamingTheProperty() throws Exception {
		Path socket = this.sockets.resolve("app.sock");
		try (SampleProcess process = SampleProcess.serving(socket)
			.launchedWith("setpriv", "--reuid=daemon", "--regid=daemon", "--clear-groups", "--")
			.logDirectory(this.root)
			.property("glide.socket.group", SHARED_GROUP)
			.start()) {
			assertThat(process.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
			assertThat(process.output()).contains("APPLICATION FAILED TO START")
				.contains("glide.socket.group")
				.contains("This process is not in that group (gid " + this.sharedGid + ")");
			assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
		}
	}




}
