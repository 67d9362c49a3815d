package io.github.glidesocket.core.internal.registry;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.RecordingEvents;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathValidationTests;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.transport.Listener;
import io.github.glidesocket.core.internal.transport.UnixSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A socket taken over is shown until its path has a socket again, but its generation and
 * listener are dropped as soon as its drain ends: in a sidecar recipe that is the pod's life.
 */
@Timeout(60)
class TakenOverGenerationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	@Test
	void aSocketTakenOverIsDroppedWhenItsDrainEndsAndOnlyItsLastSnapshotKept() {
		String path = this.directory.resolve("s.sock").toString();
		RecordingEvents oldEvents = new RecordingEvents();
		AtomicReference<WeakReference<Listener>> opened = new AtomicReference<>();
		SocketOptions options = SocketOptions.builder()
			.takeover(true)
			.directoryCheck(DirectoryCheck.OFF)
			.handler(SocketPathValidationTests::echo)
			.build();
		try (SocketManager old = Handles.withListeners(SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.eventListener(oldEvents)
			.defaults(options), (socket, generation, socketOptions, context) -> {
				Listener listener = UnixSocketListener.open(socket, generation, socketOptions, context);
				opened.set(new WeakReference<>(listener));
				return listener;
			});
				SocketManager taking = SocketManager.builder()
					.shutdownHook(false)
					.fileCheckInterval(Duration.ZERO)
					.defaults(options)
					.build()) {
			SocketReference[] held = { old.getOrCreate(path) };
			SocketReference newReference = taking.getOrCreate(path);
			await().atMost(WAIT).until(() -> oldEvents.events.contains("handed-over " + path));
			held[0].close();
			held[0] = null;
			await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				return opened.get().get() == null;
			});
			SocketSnapshot last = old.snapshot(path).orElseThrow();
			assertThat(last.state()).isEqualTo(SocketSnapshot.State.TAKEN_OVER);
			assertThat(last.file()).isEqualTo(SocketSnapshot.FileStatus.TAKEN_OVER);
			assertThat(last.connections()).isZero();
			assertThat(old.snapshots()).containsExactly(last);
			assertThat(newReference.isActive()).isTrue();
		}
	}

}
