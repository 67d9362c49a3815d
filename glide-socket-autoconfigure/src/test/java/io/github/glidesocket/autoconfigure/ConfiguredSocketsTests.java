package io.github.glidesocket.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ConfiguredSockets}.
 */
class ConfiguredSocketsTests {

	private final ConfiguredSockets sockets = new ConfiguredSockets(paths(), Set.of("default"));

	private static Map<String, String> paths() {
		Map<String, String> paths = new LinkedHashMap<>();
		paths.put("default", "/tmp/x/../d.sock");
		paths.put("admin", "/tmp/a.sock");
		return paths;
	}

	@Test
	void pathsAreNormalisedAndKeepTheirOrder() {
		assertThat(this.sockets.paths()).containsExactly(Map.entry("default", "/tmp/d.sock"),
				Map.entry("admin", "/tmp/a.sock"));
	}

	@Test
	void nameOfAnUnconfiguredPathIsOther() {
		assertThat(this.sockets.nameOf("/tmp/a.sock")).isEqualTo("admin");
		assertThat(this.sockets.nameOf("/tmp/elsewhere.sock")).isEqualTo(ConfiguredSockets.OTHER);
	}

	@Test
	void unknownNameFailsListingTheConfiguredOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.sockets.path("nope"))
			.withMessageContaining("'nope'")
			.withMessageContaining("[default, admin]")
			.withMessageContaining("glide.socket.sockets.nope.path");
	}

	@Test
	void listenOnStartupIsPerName() {
		assertThat(this.sockets.isListenOnStartup("default")).isTrue();
		assertThat(this.sockets.isListenOnStartup("admin")).isFalse();
	}

	@Test
	void aPoolIsNamedByItsBasePathAndItsMembersByIndex() {
		ConfiguredSockets pooled = new ConfiguredSockets(paths(), Set.of("default"), Map.of("default", 3, "admin", 1));
		assertThat(pooled.paths()).containsEntry("default", "/tmp/d.sock");
		assertThat(pooled.poolSize("default")).isEqualTo(3);
		assertThat(pooled.poolSize("admin")).isOne();
		assertThat(pooled.memberPaths("default")).containsExactly("/tmp/d-0.sock", "/tmp/d-1.sock", "/tmp/d-2.sock");
		assertThat(pooled.memberPaths("admin")).containsExactly("/tmp/a.sock");
		assertThat(pooled.socketPaths()).containsExactly(Map.entry("default-0", "/tmp/d-0.sock"),
				Map.entry("default-1", "/tmp/d-1.sock"), Map.entry("default-2", "/tmp/d-2.sock"),
				Map.entry("admin", "/tmp/a.sock"));
		assertThat(pooled.nameOf("/tmp/d-1.sock")).isEqualTo("default-1");
		assertThat(pooled.nameOf("/tmp/d.sock")).isEqualTo(ConfiguredSockets.OTHER);
	}

	@Test
	void withoutPoolsEverySocketIsItsOwnSocketFile() {
		assertThat(this.sockets.socketPaths()).isEqualTo(this.sockets.paths());
		assertThat(this.sockets.poolSize("default")).isOne();
	}

	@Test
	void aSocketNamedLikeAPoolMemberIsRefused() {
		Map<String, String> paths = new LinkedHashMap<>(paths());
		paths.put("default-1", "/tmp/other.sock");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConfiguredSockets(paths, Set.of(), Map.of("default", 2)))
			.withMessageContaining("'default-1'");
	}

	@Test
	void poolSizesMustBePositiveAndNameConfiguredSockets() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConfiguredSockets(paths(), Set.of(), Map.of("admin", 0)));
		assertThatIllegalArgumentException().isThrownBy(() -> new ConfiguredSockets(paths(), Set.of(), Map.of("nope", 2)));
	}

	@Test
	void listenOnStartupMustNameConfiguredSockets() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConfiguredSockets(paths(), Set.of("nope")));
	}

}
