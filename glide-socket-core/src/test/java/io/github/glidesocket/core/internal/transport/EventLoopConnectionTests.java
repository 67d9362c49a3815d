package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSession;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session hears of a graceful stop exactly once, however the stop's signals reach its
 * connection: twice (from the admission of a connection during a drain and from the drain
 * itself), or before the connection has reached its loop.
 */
@Timeout(60)
class EventLoopConnectionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final EventLoops loops = new EventLoops("connection-test", 1);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final SocketEventHandler handler = (connection) -> {
		this.calls.add("open");
		return new SocketSession() {

			@Override
			public void received(ByteBuffer input) {
				input.position(input.limit());
			}

			@Override
			public void shutdownRequested() {
				EventLoopConnectionTests.this.calls.add("shutdown");
			}

		};
	};

	private UnixSocketListener listener;

	private ServerSocketChannel pairServer;

	private SocketChannel client;

	@BeforeEach
	void openListener() throws IOException {
		ListenerContext context = new ListenerContext("connection-test", Runnable::run, this.loops, this.scheduler,
				new ConnectionTimeouts(this.scheduler), new BufferBudget(-1), new SocketEventListener() {
				}, new AtomicLong()::incrementAndGet);
		this.listener = UnixSocketListener.open(this.directory.resolve("s.sock").toString(), 1,
				SocketOptions.builder().eventHandler(this.handler).build(), context);
		this.pairServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.pairServer.bind(UnixDomainSocketAddress.of(this.directory.resolve("pair.sock")));
	}

	@AfterEach
	void cleanUp() {
		this.listener.stopAccepting();
		this.listener.closeConnections();
		UnixSocketBinder.closeQuietly(this.client);
		UnixSocketBinder.closeQuietly(this.pairServer);
		this.loops.close();
		this.scheduler.shutdownNow();
	}

	private EventLoopConnection newConnection(EventLoop loop) throws IOException {
		this.client = SocketChannel.open(this.pairServer.getLocalAddress());
		SocketChannel accepted = this.pairServer.accept();
		return new EventLoopConnection(1, "pair.sock", accepted, new PeerCredentials(-1, 0, 0, new long[] { 0 }),
				this.handler, this.listener, 0, 0, loop, new BufferBudget(-1), 1 << 20);
	}

	@Test
	void aStopSignalledTwiceIsNoticedOnce() throws Exception {
		EventLoop loop = this.loops.next();
		EventLoopConnection connection = newConnection(loop);
		loop.register(connection, LoopWakeUps.IMMEDIATE);
		await().atMost(WAIT).until(() -> this.calls.contains("open"));
		connection.signalShutdown();
		connection.signalShutdown();
		await().atMost(WAIT).until(() -> this.calls.contains("shutdown"));
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> this.calls.equals(List.of("open", "shutdown")));
	}

	@Test
	void aStopSignalledBeforeTheConnectionReachedItsLoopIsNoticedOnceItsSessionIsOpen() throws Exception {
		EventLoop loop = this.loops.next();
		EventLoopConnection connection = newConnection(loop);
		connection.signalShutdown();
		loop.register(connection, LoopWakeUps.IMMEDIATE);
		await().atMost(WAIT).until(() -> this.calls.contains("shutdown"));
		assertThat(this.calls).containsExactly("open", "shutdown");
	}

}
