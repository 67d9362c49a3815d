package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.RecordingEvents;
import io.github.glidesocket.core.SocketManagerSettings;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.registry.DefaultSocketManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Should an event loop end anyway (an error of its own, such as {@link OutOfMemoryError}; here an {@link InternalError}), nothing
 * goes silent: the sockets that accepted on it say so in their state and events, and no new
 * socket or connection is given to it.
 */
@Timeout(60)
class EventLoopsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final RecordingEvents events = new RecordingEvents();

	private final AtomicReference<EventLoops> loops = new AtomicReference<>();

	private DefaultSocketManager manager;

	@AfterEach
	void cleanUp() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private DefaultSocketManager manager() {
		SocketOptions echo = SocketOptions.builder().eventHandler((connection) -> (input) -> {
			connection.write(input);
		}).build();
		SocketManagerSettings settings = new SocketManagerSettings("loops-test", echo, Map.of(), -1,
				LeakDetection.DISABLED, false, 1, List.of(this.events), Duration.ZERO, false, null, -1);
		this.manager = DefaultSocketManager.create(settings, (path, generation, options, context) -> {
			this.loops.set(context.eventLoops());
			return UnixSocketListener.open(path, generation, options, context);
		});
		return this.manager;
	}

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void whenTheAcceptorEndsUnexpectedlyItsSocketsAreFailedAndNewSocketsAcceptOnAnotherAcceptor() throws Exception {
		DefaultSocketManager manager = manager();
		try (SocketReference failed = manager.getOrCreate(path("failed.sock"))) {
			assertThat(echo(failed, "before")).isEqualTo("before");
			EventLoop acceptor = this.loops.get().acceptor();
			acceptor.execute(() -> {
				throw new InternalError("loop failure on purpose");
			});
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(manager.snapshot(failed.path()).orElseThrow().state()).isEqualTo(SocketSnapshot.State.FAILED);
				assertThat(this.events.count("accept-stopped " + failed.path())).isEqualTo(1);
			});
			assertThat(this.loops.get().acceptor()).isNotSameAs(acceptor);
			try (SocketReference fresh = manager.getOrCreate(path("fresh.sock"))) {
				assertThat(echo(fresh, "after")).isEqualTo("after");
			}
		}
	}

	@Test
	void whenAServingLoopEndsUnexpectedlyItsConnectionsCloseAndNewOnesGoToAnotherLoop() throws Exception {
		DefaultSocketManager manager = manager();
		try (SocketReference socket = manager.getOrCreate(path("s.sock"));
				SocketChannel client = socket.openChannel()) {
			assertThat(echo(client, "before")).isEqualTo("before");
			EventLoop serving = this.loops.get().next();
			serving.execute(() -> {
				throw new InternalError("loop failure on purpose");
			});
			assertThat(client.read(ByteBuffer.allocate(1))).as("its connection is closed").isEqualTo(-1);
			await().atMost(WAIT).until(serving::hasEnded);
			assertThat(this.loops.get().next()).isNotSameAs(serving);
			assertThat(echo(socket, "after")).isEqualTo("after");
			assertThat(manager.snapshot(socket.path()).orElseThrow().state()).isEqualTo(SocketSnapshot.State.ACTIVE);
		}
	}

	private static String echo(SocketReference socket, String text) throws IOException {
		try (SocketChannel client = socket.openChannel()) {
			return echo(client, text);
		}
	}

	private static String echo(SocketChannel client, String text) throws IOException {
		client.write(ByteBuffer.wrap(text.getBytes()));
		ByteBuffer reply = ByteBuffer.allocate(text.length());
		while (reply.hasRemaining()) {
			if (client.read(reply) < 0) {
				throw new IOException("closed");
			}
		}
		return new String(reply.array());
	}

}
