package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.StaleSocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import com.jayway.jsonpath.JsonPath;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GlideSocketProperties}: binding into socket options, named sockets,
 * validation errors that name the property, and the generated metadata.
 */
@Timeout(30)
class GlideSocketPropertiesTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void defaultsMatchTheDocumentedValues() {
		GlideSocketProperties properties = new GlideSocketProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getPath()).isNull();
		assertThat(properties.isListenOnStartup()).isTrue();
		assertThat(properties.getPoolSize()).isOne();
		assertThat(properties.getPermissions()).isEqualTo("rw-------");
		assertThat(properties.getPeers().getPolicy()).isEqualTo(GlideSocketProperties.PeerPolicyType.SAME_USER);
		assertThat(properties.getMaxConnections()).isEqualTo(10_000);
		assertThat(properties.getIdleTimeout()).isZero();
		assertThat(properties.getBacklog()).isEqualTo(512);
		assertThat(properties.getMaxReferences()).isEqualTo(-1);
		assertThat(properties.getMaxSockets()).isEqualTo(-1);
		assertThat(properties.getCleanupDelay()).isZero();
		assertThat(properties.getLeakDetection()).isEqualTo(io.github.glidesocket.core.LeakDetection.SIMPLE);
		assertThat(properties.getStaleSocketPolicy()).isEqualTo(StaleSocketPolicy.RECLAIM);
		assertThat(properties.getDirectoryCheck()).isEqualTo(DirectoryCheck.WARN);
		assertThat(properties.getFileCheckInterval()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void withoutPathTheDefaultSocketUsesTheManagersPrivateDefaultPath() {
		this.contextRunner.run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			String path = context.getBean(ConfiguredSockets.class).path(ConfiguredSockets.DEFAULT);
			assertThat(path).isEqualTo(manager.defaultSocketPath());
			assertThat(Path.of(path).getFileName().toString()).startsWith("glide-socket-" + ProcessHandle.current().pid() + "-")
				.endsWith(".sock");
			assertThat(manager.isSocketActive(path)).isTrue();
		});
	}

	@Test
	void propertiesAreAppliedToTheDefaultSocketOptions() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.permissions=rw-rw----",
				"glide.socket.max-connections=7", "glide.socket.idle-timeout=3s", "glide.socket.backlog=9",
				"glide.socket.max-references=11", "glide.socket.cleanup-delay=250ms",
				"glide.socket.stale-socket-policy=fail", "glide.socket.peers.policy=any")
			.run((context) -> {
				SocketOptions options = context.getBean(SocketManager.class).optionsFor(path("d.sock"));
				assertThat(PosixFilePermissions.toString(options.permissions())).isEqualTo("rw-rw----");
				assertThat(options.maxConnections()).isEqualTo(7);
				assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.backlog()).isEqualTo(9);
				assertThat(options.maxReferences()).isEqualTo(11);
				assertThat(options.cleanupDelay()).isEqualTo(Duration.ofMillis(250));
				assertThat(options.staleSocketPolicy()).isEqualTo(StaleSocketPolicy.FAIL);
				assertThat(options.peerPolicy().allows(peer(424242, 424242))).isTrue();
			});
	}

	@Test
	void directoryCheckAppliesToTheDefaultSocketAndCanBeSetPerSocket() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.directory-check=refuse",
					"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.directory-check=off",
					"glide.socket.sockets.other-admin.path=" + path("o.sock"))
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(manager.optionsFor(path("d.sock")).directoryCheck()).isEqualTo(DirectoryCheck.REFUSE);
				assertThat(manager.optionsFor(path("a.sock")).directoryCheck()).isEqualTo(DirectoryCheck.OFF);
				assertThat(manager.optionsFor(path("o.sock")).directoryCheck()).isEqualTo(DirectoryCheck.REFUSE);
			});
	}

	@Test
	void namedSocketInheritsUnsetSettingsAndOverridesSetOnes() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.max-connections=7",
					"glide.socket.backlog=9", "glide.socket.sockets.admin.path=" + path("a.sock"),
					"glide.socket.sockets.admin.max-connections=3", "glide.socket.sockets.admin.permissions=rw-rw-rw-",
					"glide.socket.sockets.admin.listen-on-startup=false")
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				SocketOptions admin = manager.optionsFor(path("a.sock"));
				assertThat(admin.maxConnections()).isEqualTo(3);
				assertThat(admin.backlog()).isEqualTo(9);
				assertThat(PosixFilePermissions.toString(admin.permissions())).isEqualTo("rw-rw-rw-");
				ConfiguredSockets sockets = context.getBean(ConfiguredSockets.class);
				assertThat(sockets.paths()).containsOnlyKeys("default", "admin");
				assertThat(sockets.isListenOnStartup("default")).isTrue();
				assertThat(sockets.isListenOnStartup("admin")).isFalse();
				assertThat(manager.isSocketActive(path("d.sock"))).isTrue();
				assertThat(manager.isSocketActive(path("a.sock"))).isFalse();
			});
	}

	@Test
	void sameUserPolicyWithListedIdsAlsoAllowsThem() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.peers.uids=4242",
					"glide.socket.peers.gids=4343")
			.run((context) -> {
				SocketOptions options = context.getBean(SocketManager.class).optionsFor(path("d.sock"));
				assertThat(options.peerPolicy().allows(peer(4242, 1))).isTrue();
				assertThat(options.peerPolicy().allows(peer(1, 4343))).isTrue();
				assertThat(options.peerPolicy().allows(peer(1, 1))).isFalse();
			});
	}

	@Test
	void allowListPolicyAllowsOnlyListedIds() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.peers.policy=allow-list",
					"glide.socket.peers.uids=4242")
			.run((context) -> {
				SocketOptions options = context.getBean(SocketManager.class).optionsFor(path("d.sock"));
				assertThat(options.peerPolicy().allows(peer(4242, 1))).isTrue();
				assertThat(options.peerPolicy().allows(peer(4243, 1))).isFalse();
			});
	}

	@Test
	void invalidMaxConnectionsFailsNamingTheProperty() {
		assertInvalid("glide.socket.max-connections", "glide.socket.max-connections=0");
	}

	@Test
	void peerAndOutputLimitsApplyToEverySocketAndNamedSocketsOverrideThem() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.max-connections=100",
					"glide.socket.max-connections-per-peer=40", "glide.socket.max-pending-output=2MB",
					"glide.socket.max-buffered-bytes=64MB", "glide.socket.sockets.admin.path=" + path("a.sock"),
					"glide.socket.sockets.admin.max-connections-per-peer=5",
					"glide.socket.sockets.admin.max-pending-output=256KB")
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				SocketOptions defaults = manager.optionsFor(path("d.sock"));
				assertThat(defaults.maxConnectionsPerPeer()).isEqualTo(40);
				assertThat(defaults.maxPendingOutput()).isEqualTo(2 * 1024 * 1024);
				SocketOptions admin = manager.optionsFor(path("a.sock"));
				assertThat(admin.maxConnectionsPerPeer()).isEqualTo(5);
				assertThat(admin.maxPendingOutput()).isEqualTo(256 * 1024);
			});
	}

	@Test
	void perPeerLimitDefaultsToNineInTenOfTheConnectionLimit() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.max-connections=100")
			.run((context) -> assertThat(
					context.getBean(SocketManager.class).optionsFor(path("d.sock")).maxConnectionsPerPeer())
				.isEqualTo(90));
	}

	@Test
	void invalidPerPeerLimitFailsNamingTheProperty() {
		assertInvalid("glide.socket.max-connections-per-peer", "glide.socket.max-connections-per-peer=0");
	}

	@Test
	void invalidBufferLimitFailsNamingTheProperty() {
		assertInvalid("glide.socket.max-buffered-bytes", "glide.socket.max-buffered-bytes=0B");
	}

	@Test
	void invalidBacklogFailsNamingTheProperty() {
		assertInvalid("glide.socket.backlog", "glide.socket.backlog=0");
	}

	@Test
	void invalidMaxReferencesFailsNamingTheProperty() {
		assertInvalid("glide.socket.max-references", "glide.socket.max-references=-2");
	}

	@Test
	void invalidMaxSocketsFailsNamingTheProperty() {
		assertInvalid("glide.socket.max-sockets", "glide.socket.max-sockets=0");
	}

	@Test
	void invalidEventLoopThreadsFailsNamingTheProperty() {
		assertInvalid("glide.socket.event-loop-threads", "glide.socket.event-loop-threads=0");
	}

	@Test
	void negativeIdleTimeoutFailsNamingTheProperty() {
		assertInvalid("glide.socket.idle-timeout", "glide.socket.idle-timeout=-1s");
	}

	@Test
	void negativeCleanupDelayFailsNamingTheProperty() {
		assertInvalid("glide.socket.cleanup-delay", "glide.socket.cleanup-delay=-1s");
	}

	@Test
	void negativeFileCheckIntervalFailsNamingTheProperty() {
		assertInvalid("glide.socket.file-check-interval", "glide.socket.file-check-interval=-5s");
	}

	@Test
	void executePermissionFailsNamingTheProperty() {
		assertInvalid("glide.socket.permissions", "glide.socket.permissions=rwx------");
	}

	@Test
	void malformedPermissionsFailNamingTheProperty() {
		assertInvalid("glide.socket.permissions", "glide.socket.permissions=owner");
	}

	@Test
	void emptyPathFailsNamingTheProperty() {
		assertInvalid("glide.socket.path", "glide.socket.path= ");
	}

	@Test
	void allowListWithoutIdsFailsNamingTheProperty() {
		assertInvalid("glide.socket.peers.policy", "glide.socket.peers.policy=allow-list");
	}

	@Test
	void anyPeerWithIdsFailsNamingTheProperty() {
		assertInvalid("glide.socket.peers.uids", "glide.socket.peers.policy=any", "glide.socket.peers.uids=5");
	}

	@Test
	void negativeUidFailsNamingTheProperty() {
		assertInvalid("glide.socket.peers.uids", "glide.socket.peers.uids=-1");
	}

	@Test
	void namedSocketWithoutPathFailsNamingTheProperty() {
		assertInvalid("glide.socket.sockets.admin.path", "glide.socket.sockets.admin.backlog=5");
	}

	@Test
	void invalidNamedSocketSettingFailsNamingItsOwnProperty() {
		assertInvalid("glide.socket.sockets.admin.max-connections", "glide.socket.sockets.admin.path=" + path("a.sock"),
				"glide.socket.sockets.admin.max-connections=-7");
	}

	@Test
	void reservedSocketNameFails() {
		assertInvalid("glide.socket.sockets", "glide.socket.sockets.other.path=" + path("o.sock"));
	}

	@Test
	void twoSocketsWithOnePathFailNamingBoth() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.sockets.admin.path=" + path("d.sock"))
			.run(invalid("glide.socket.sockets.admin.path", "glide.socket.path"));
	}

	@Test
	void poolSizeBelowOneFailsNamingTheProperty() {
		assertInvalid("glide.socket.pool-size", "glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=0");
		assertInvalid("glide.socket.sockets.admin.pool-size", "glide.socket.sockets.admin.path=" + path("a.sock"),
				"glide.socket.sockets.admin.pool-size=-1");
	}

	@Test
	void aPoolMemberAtAnotherSocketsPathFailsNamingBoth() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.sockets.admin.path=" + path("p-1.sock"),
					"glide.socket.sockets.kv.path=" + path("p.sock"), "glide.socket.sockets.kv.pool-size=2")
			.run(invalid("glide.socket.sockets.kv.path", "glide.socket.sockets.admin.path", path("p-1.sock")));
	}

	@Test
	void aSocketNamedLikeAPoolMemberFails() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=2",
					"glide.socket.sockets.default-1.path=" + path("x.sock"))
			.run(invalid("glide.socket.sockets", "'default-1'"));
	}

	@Test
	void namedSocketsDoNotTakeThePoolSizeOfTheDefaultSocket() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=2",
					"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.kv.path=" + path("kv.sock"),
					"glide.socket.sockets.kv.pool-size=3", "glide.socket.sockets.kv.max-connections=5")
			.run((context) -> {
				ConfiguredSockets sockets = context.getBean(ConfiguredSockets.class);
				assertThat(sockets.poolSize("default")).isEqualTo(2);
				assertThat(sockets.poolSize("admin")).isOne();
				assertThat(sockets.poolSize("kv")).isEqualTo(3);
				SocketManager manager = context.getBean(SocketManager.class);
				// Each member of a named pool has the pool's options.
				for (String member : sockets.memberPaths("kv")) {
					assertThat(manager.optionsFor(member).maxConnections()).isEqualTo(5);
				}
			});
	}

	@Test
	void generatedMetadataDescribesThePoolSize() throws IOException {
		try (InputStream input = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(input).isNotNull();
			List<Map<String, Object>> poolSize = JsonPath.parse(input)
				.read("$.properties[?(@.name == 'glide.socket.pool-size')]");
			assertThat(poolSize).singleElement().satisfies((property) -> {
				assertThat(property).containsEntry("defaultValue", 1);
				assertThat((String) property.get("description")).contains("app-0.sock");
			});
		}
	}

	@Test
	void unknownEnumValueFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("glide.socket.leak-detection=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("glide.socket.leak-detection"));
	}

	@Test
	void generatedMetadataDescribesEveryProperty() throws IOException {
		List<Map<String, Object>> metadata;
		try (InputStream input = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(input).as("spring-configuration-metadata.json on the class path").isNotNull();
			metadata = JsonPath.parse(input).read("$.properties");
		}
		Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
		metadata.forEach((property) -> properties.put((String) property.get("name"), property));
		List<String> expected = List.of("glide.socket.enabled", "glide.socket.path", "glide.socket.listen-on-startup",
				"glide.socket.permissions", "glide.socket.peers.policy", "glide.socket.peers.uids",
				"glide.socket.peers.gids", "glide.socket.max-connections", "glide.socket.idle-timeout",
				"glide.socket.backlog", "glide.socket.max-references", "glide.socket.cleanup-delay",
				"glide.socket.stale-socket-policy", "glide.socket.directory-check", "glide.socket.max-sockets",
				"glide.socket.leak-detection",
				"glide.socket.file-check-interval", "glide.socket.event-loop-threads", "glide.socket.sockets");
		assertThat(properties).containsKeys(expected.toArray(String[]::new));
		List<String> undocumented = new ArrayList<>();
		properties.forEach((name, property) -> {
			Object description = property.get("description");
			if (name.startsWith("glide.socket.") && (!(description instanceof String text) || text.isBlank())) {
				undocumented.add(name);
			}
		});
		assertThat(undocumented).isEmpty();
		assertThat(properties.get("glide.socket.max-connections")).containsEntry("defaultValue", 10000);
		assertThat(properties.get("glide.socket.permissions")).containsEntry("defaultValue", "rw-------");
		assertThat(properties.get("glide.socket.file-check-interval")).containsEntry("defaultValue", "5s");
		assertThat(properties.get("glide.socket.leak-detection")).containsEntry("defaultValue", "simple");
		assertThat(properties.get("glide.socket.stale-socket-policy")).containsEntry("defaultValue", "reclaim");
		assertThat(properties.get("glide.socket.directory-check")).containsEntry("defaultValue", "warn");
		assertThat(properties.get("glide.socket.listen-on-startup")).containsEntry("defaultValue", true);
	}

	private void assertInvalid(String property, String... values) {
		this.contextRunner.withPropertyValues(values).run(invalid(property));
	}

	private static ContextConsumer<AssertableApplicationContext> invalid(String property, String... alsoMentioned) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			InvalidConfigurationPropertyValueException invalid = find(failure);
			assertThat(invalid).as("InvalidConfigurationPropertyValueException in %s", failure).isNotNull();
			assertThat(invalid.getName()).isEqualTo(property);
			assertThat(invalid.getMessage()).contains(property);
			for (String mentioned : alsoMentioned) {
				assertThat(invalid.getMessage()).contains(mentioned);
			}
		};
	}

	private static InvalidConfigurationPropertyValueException find(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		return null;
	}

	private static PeerCredentials peer(long uid, long gid) {
		return new PeerCredentials(1, uid, gid, new long[] { gid });
	}

}
