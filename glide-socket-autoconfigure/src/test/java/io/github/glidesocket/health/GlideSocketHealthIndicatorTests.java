package io.github.glidesocket.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.SocketSnapshot.FileStatus;
import io.github.glidesocket.core.SocketSnapshot.State;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link GlideSocketHealthIndicator}.
 */
@Timeout(30)
class GlideSocketHealthIndicatorTests {

	@TempDir
	Path directory;

	private SocketManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void upWithoutSockets() {
		this.manager = SocketManager.builder().shutdownHook(false).build();
		Health health = new GlideSocketHealthIndicator(this.manager, Map.of()).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("sockets", 0).containsEntry("references", 0);
	}

	@Test
	void downWhileASocketTheApplicationListensOnIsNotBound() {
		this.manager = SocketManager.builder().shutdownHook(false).build();
		Health health = new GlideSocketHealthIndicator(this.manager, Map.of("default", path("d.sock")),
				() -> Map.of("default", "stopped from outside")).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("sockets", 0);
		assertThat(health.getDetails().get("failing_sockets")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.isEqualTo(Map.of("name", "default", "path", path("d.sock"), "state", "NOT_BOUND", "references", 0,
					"connections", 0, "reason", "stopped from outside"));
	}

	@Test
	void upWhileEveryReferencedSocketIsBoundAndIntact() {
		this.manager = SocketManager.builder().shutdownHook(false).build();
		try (SocketReference reference = this.manager.getOrCreate(path("d.sock"))) {
			Health health = new GlideSocketHealthIndicator(this.manager, Map.of("default", path("d.sock"))).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("sockets", 1).containsEntry("references", 1);
		}
	}

	@Test
	void downWhenTheSocketFileIsReplacedFromOutside() throws IOException {
		this.manager = SocketManager.builder().shutdownHook(false).fileCheckInterval(Duration.ofMillis(50)).build();
		GlideSocketHealthIndicator indicator = new GlideSocketHealthIndicator(this.manager,
				Map.of("default", path("d.sock")));
		try (SocketReference reference = this.manager.getOrCreate(path("d.sock"))) {
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			Files.delete(Path.of(path("d.sock")));
			Files.writeString(Path.of(path("d.sock")), "not a socket");
			await().atMost(Duration.ofSeconds(5)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
			Health health = indicator.health();
			assertThat(health.getDetails()).containsKey("failing_sockets");
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> failing = (List<Map<String, Object>>) health.getDetails().get("failing_sockets");
			assertThat(failing).singleElement()
				.satisfies((socket) -> assertThat(socket).containsEntry("name", "default")
					.containsEntry("path", path("d.sock"))
					.containsEntry("file", "REPLACED")
					.containsEntry("references", 1)
					.containsEntry("connections", 0)
					.containsKey("reason"));
		}
	}

	@Test
	void downWhenAReferencedSocketFileIsMissing() {
		SocketManager manager = mock(SocketManager.class);
		given(manager.snapshots()).willReturn(List.of(snapshot("/s/a.sock", State.ACTIVE, 2, FileStatus.MISSING),
				snapshot("/s/b.sock", State.ACTIVE, 1, FileStatus.INTACT)));
		Health health = new GlideSocketHealthIndicator(manager, Map.of("admin", "/s/a.sock")).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("sockets", 2).containsEntry("references", 3);
		assertThat(health.getDetails().get("failing_sockets").toString()).contains("name=admin")
			.contains("file=MISSING")
			.doesNotContain("/s/b.sock");
	}

	@Test
	void socketsWithoutReferencesOrStillBindingDoNotMakeItDown() {
		SocketManager manager = mock(SocketManager.class);
		given(manager.snapshots()).willReturn(List.of(snapshot("/s/a.sock", State.LINGERING, 0, FileStatus.MISSING),
				snapshot("/s/b.sock", State.BINDING, 1, FileStatus.MISSING)));
		assertThat(new GlideSocketHealthIndicator(manager, Map.of()).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void failingManagerIsDown() {
		SocketManager manager = mock(SocketManager.class);
		given(manager.snapshots()).willThrow(new IllegalStateException("broken"));
		assertThat(new GlideSocketHealthIndicator(manager, Map.of()).health().getStatus()).isEqualTo(Status.DOWN);
	}

	private static SocketSnapshot snapshot(String path, State state, int references, FileStatus file) {
		return new SocketSnapshot(path, 1, state, references, 0, 0, 0, 0, 0, 0, Instant.now(), file, "rw-------", "same-user");
	}

}
