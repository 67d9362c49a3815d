package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may reach a socket, as properties set it: the file's mode in octal, its group, peers and
 * servers by name; each bad value stops startup naming the property and the value.
 */
@Timeout(30)
class SocketAccessPropertiesTests {

	private static final long NOBODY = 65534;

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void octalPermissionsGiveTheSocketFileItsMode() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.permissions=0660",
				"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.permissions=640")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(mode(path("d.sock"))).isEqualTo("rw-rw----");
				assertThat(mode(path("a.sock"))).isEqualTo("rw-r-----");
			});
	}

	@Test
	void permissionsNeitherOctalNorLsFormFailNamingThePropertyAndBothForms() {
		assertInvalid("glide.socket.permissions", "octal such as 0660", "glide.socket.permissions=0680");
	}

	@Test
	void octalPermissionsWithExecuteBitsFailNamingTheProperty() {
		assertInvalid("glide.socket.permissions", "execute bits", "glide.socket.permissions=0770");
	}

	@Test
	void groupOfThisProcessIsGivenToTheSocketFileByNameOrId() throws IOException {
		long gid = processGid();
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.group=" + gid,
					"glide.socket.sockets.admin.path=" + path("a.sock"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(manager.optionsFor(path("d.sock")).groupId()).isEqualTo(gid);
				assertThat(manager.optionsFor(path("a.sock")).groupId()).as("inherited by a named socket")
					.isEqualTo(gid);
				assertThat(Files.getAttribute(Path.of(path("d.sock")), "unix:gid", LinkOption.NOFOLLOW_LINKS))
					.isEqualTo((int) gid);
			});
	}

	@Test
	void groupThisProcessIsNotInFailsNamingThePropertyAndTheProcessGroups() throws IOException {
		long gid = processGid();
		if (gid == NOBODY) {
			return;
		}
		assertInvalid("glide.socket.group", "This process is not in that group (gid 65534)",
				"glide.socket.path=" + path("d.sock"), "glide.socket.group=nogroup");
		assertInvalid("glide.socket.sockets.admin.group", "its groups are",
				"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.group=65534");
	}

	@Test
	void unknownGroupNameFailsNamingThePropertyAndTheName() {
		assertInvalid("glide.socket.group", "got 'no-such-group-x'", "glide.socket.group=no-such-group-x");
	}

	@Test
	void peersByNameAreResolvedToIds() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.peers.policy=allow-list",
					"glide.socket.peers.users=nobody", "glide.socket.peers.uids=4242",
					"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.peers.users=",
					"glide.socket.sockets.admin.peers.groups=nogroup")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SocketManager manager = context.getBean(SocketManager.class);
				SocketOptions options = manager.optionsFor(path("d.sock"));
				assertThat(options.peerPolicy().allows(peer(NOBODY, 1))).isTrue();
				assertThat(options.peerPolicy().allows(peer(4242, 1))).isTrue();
				assertThat(options.peerPolicy().allows(peer(4243, NOBODY))).isFalse();
				SocketOptions admin = manager.optionsFor(path("a.sock"));
				assertThat(admin.peerPolicy().allows(peer(4243, NOBODY))).as("by its primary group").isTrue();
				assertThat(admin.peerPolicy().allows(peer(NOBODY, 1))).as("users overridden by an empty list")
					.isFalse();
			});
	}

	@Test
	void unknownPeerNameFailsNamingThePropertyAndTheName() {
		assertInvalid("glide.socket.peers.users", "got 'no-such-user-x'", "glide.socket.peers.users=nobody,no-such-user-x");
		assertInvalid("glide.socket.sockets.admin.peers.groups", "got 'no-such-group-x'",
				"glide.socket.sockets.admin.path=" + path("a.sock"),
				"glide.socket.sockets.admin.peers.groups=no-such-group-x");
	}

	@Test
	void namesThatStartWithADashAreRefusedNamingTheProperty() {
		assertInvalid("glide.socket.peers.users", "start with '-', got '-sx/../evil'",
				"glide.socket.peers.users=-sx/../evil");
		assertInvalid("glide.socket.servers.groups", "start with '-', got '--help'",
				"glide.socket.servers.groups=--help");
	}

	@Test
	void allowListWithNamesOnlyIsAccepted() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.peers.policy=allow-list",
					"glide.socket.peers.groups=nogroup")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void serverPolicyIsSetByPropertiesWithIdsAndNames() {
		long self = PeerCredentials.processUid();
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.servers.users=nobody",
					"glide.socket.sockets.admin.path=" + path("a.sock"),
					"glide.socket.sockets.admin.servers.policy=allow-list",
					"glide.socket.sockets.admin.servers.uids=4242")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SocketManager manager = context.getBean(SocketManager.class);
				PeerCredentials sameUser = peer(self, 1);
				SocketOptions options = manager.optionsFor(path("d.sock"));
				assertThat(options.serverPolicy().allows(sameUser)).isTrue();
				assertThat(options.serverPolicy().allows(peer(NOBODY, 1))).isTrue();
				assertThat(options.serverPolicy().allows(peer(4242, 1))).isFalse();
				SocketOptions admin = manager.optionsFor(path("a.sock"));
				assertThat(admin.serverPolicy().allows(peer(4242, 1))).isTrue();
				assertThat(admin.serverPolicy().allows(sameUser)).isFalse();
			});
	}

	@Test
	void serverPolicyWithoutServerPropertiesIsTheSameUser() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock")).run((context) -> {
			SocketOptions options = context.getBean(SocketManager.class).optionsFor(path("d.sock"));
			assertThat(options.serverPolicy().allows(peer(PeerCredentials.processUid(), 1))).isTrue();
			assertThat(options.serverPolicy().allows(peer(4242, 1))).isFalse();
		});
	}

	@Test
	void invalidServerPolicyFailsNamingTheProperty() {
		assertInvalid("glide.socket.servers.policy", "allow-list", "glide.socket.servers.policy=allow-list");
		assertInvalid("glide.socket.servers.users", "got 'no-such-user-x'", "glide.socket.servers.users=no-such-user-x");
	}

	private void assertInvalid(String property, String reason, String... values) {
		this.contextRunner.withPropertyValues(values).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = find(context.getStartupFailure());
			assertThat(invalid).as("InvalidConfigurationPropertyValueException in %s", context.getStartupFailure())
				.isNotNull();
			assertThat(invalid.getName()).isEqualTo(property);
			assertThat(invalid.getMessage()).contains(property).contains(reason);
		});
	}

	private static InvalidConfigurationPropertyValueException find(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		return null;
	}

	private static String mode(String path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path), LinkOption.NOFOLLOW_LINKS));
	}

	private static long processGid() throws IOException {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
	}

	private static PeerCredentials peer(long uid, long gid) {
		return new PeerCredentials(1, uid, gid, new long[] { gid });
	}

}
