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
	void listenOnStartupMustNameConfiguredSockets() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConfiguredSockets(paths(), Set.of("nope")));
	}

}
