package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A socket with a {@link SocketChannelHandler} hands each admitted connection's channel over and
 * keeps its guarantees: the limits hold until the server reports a connection closed, a refused
 * peer is never handed over, a failing handler costs its own connection only, and a stop waits
 * for the server to close its connections before it closes them itself.
 */
@Timeout(60)
class ChannelHandlerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final RecordingEvents events = new RecordingEvents();

	private final TestServers servers = new TestServers(this.events, WAIT);

	private final BlockingQueue<ChannelConnection> handed = new LinkedBlockingQueue<>();

	private SocketManager manager;

	@AfterEach
	void cleanUp() throws IOException {
		this.servers.close();
	}

	@Test
	void whenAConnectionIsAdmittedThenItsChannelIsHandedOverToBeServed() throws Exception {
		String path = path();
		SocketReference reference = open(path, SocketOptions.builder().channelHandler(this.handed::add));
		AFUNIXSocket client = this.servers.connect(reference);
		ChannelConnection connection = nextHanded();
		assertThat(connection.socketPath()).isEqualTo(path);
		assertThat(connection.peer().uid()).isEqualTo(ProcessIdentity.uid());
		assertThat(connection.channel().isBlocking()).isTrue();
		answer(connection, "served");
		assertThat(readLine(client.getInputStream())).isEqualTo("served");
		assertThat(activeConnections(reference)).isEqualTo(1);
		connection.closed();
		assertThat(connection.channel().isOpen()).isFalse();
		assertThat(client.getInputStream().read()).isEqualTo(-1);
		assertThat(activeConnections(reference)).isZero();
		connection.closed();
		awaitEvents("connection-closed " + path);
	}

	@Test
	void whenTheConnectionLimitIsReachedThenItHoldsUntilTheServerReportsAConnectionClosed() throws Exception {
		SocketReference reference = open(path(),
				SocketOptions.builder().maxConnections(1).channelHandler(this.handed::add));
		this.servers.connect(reference);
		ChannelConnection first = nextHanded();
		// The server closing the channel itself does not free the slot: only closed() does.
		first.channel().close();
		AFUNIXSocket refused = this.servers.connect(reference);
		assertThat(refused.getInputStream().read()).isEqualTo(-1);
		awaitEvents("rejected " + RejectReason.LIMIT);
		assertThat(this.handed).isEmpty();
		first.closed();
		AFUNIXSocket admitted = this.servers.connect(reference);
		ChannelConnection second = nextHanded();
		answer(second, "admitted");
		assertThat(readLine(admitted.getInputStream())).isEqualTo("admitted");
	}

	@Test
	void whenAPeerHasReachedItsLimitThenItHoldsUntilTheServerReportsAConnectionClosed() throws Exception {
		SocketReference reference = open(path(),
				SocketOptions.builder().maxConnectionsPerPeer(1).channelHandler(this.handed::add));
		this.servers.connect(reference);
		ChannelConnection first = nextHanded();
		AFUNIXSocket refused = this.servers.connect(reference);
		assertThat(refused.getInputStream().read()).isEqualTo(-1);
		awaitEvents("rejected " + RejectReason.PEER_LIMIT);
		first.closed();
		this.servers.connect(reference);
		assertThat(nextHanded()).isNotNull();
	}

	@Test
	void whenThePeerPolicyRefusesAPeerThenItsConnectionIsNeverHandedOver() throws Exception {
		SocketReference reference = open(path(),
				SocketOptions.builder().peerPolicy(PeerPolicy.allowing(Set.of(ProcessIdentity.uid() + 1), Set.of()))
					.channelHandler(this.handed::add));
		AFUNIXSocket refused = this.servers.connect(reference);
		assertThat(refused.getInputStream().read()).isEqualTo(-1);
		awaitEvents("rejected " + RejectReason.PEER);
		assertThat(this.handed).isEmpty();
		assertThat(activeConnections(reference)).isZero();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void whenTheHandlerThrowsThenOnlyItsConnectionIsClosedCountedAndItsSlotGivenBack(boolean error)
			throws Exception {
		String path = path();
		AtomicInteger calls = new AtomicInteger();
		SocketReference reference = open(path, SocketOptions.builder().maxConnections(1).channelHandler((connection) -> {
			if (calls.incrementAndGet() == 1) {
				if (error) {
					throw new AssertionError("handler error on purpose");
				}
				throw new IllegalStateException("handler failure on purpose");
			}
			this.handed.add(connection);
		}));
		AFUNIXSocket failed = this.servers.connect(reference);
		assertThat(failed.getInputStream().read()).isEqualTo(-1);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.events.count("failed " + SocketCallback.CHANNEL_HANDLER + " " + path))
				.isEqualTo(1));
		assertThat(activeConnections(reference)).isZero();
		AFUNIXSocket next = this.servers.connect(reference);
		ChannelConnection connection = nextHanded();
		answer(connection, "next");
		assertThat(readLine(next.getInputStream())).isEqualTo("next");
	}

	@Test
	void whenTheSocketStopsGracefullyThenItWaitsForTheServerToCloseItsConnections() throws Exception {
		String path = path();
		SocketManager manager = this.servers
			.manager(SocketManager.builder().socket(path, SocketOptions.builder().channelHandler(this.handed::add).build()));
		SocketReference reference = manager.getOrCreate(path);
		AFUNIXSocket client = this.servers.connect(reference);
		ChannelConnection connection = nextHanded();
		CompletableFuture<Void> stopped = manager.shutdownSocket(path, Duration.ofMinutes(5));
		// The stop waits for the server; the server still serves the connection meanwhile.
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !stopped.isDone());
		answer(connection, "still served");
		assertThat(readLine(client.getInputStream())).isEqualTo("still served");
		connection.closed();
		stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(client.getInputStream().read()).isEqualTo(-1);
	}

	@Test
	void whenTheServerKeepsAConnectionPastTheStopDeadlineThenTheSocketClosesIt() throws Exception {
		String path = path();
		SocketManager manager = this.servers
			.manager(SocketManager.builder().socket(path, SocketOptions.builder().channelHandler(this.handed::add).build()));
		SocketReference reference = manager.getOrCreate(path);
		AFUNIXSocket client = this.servers.connect(reference);
		ChannelConnection connection = nextHanded();
		manager.shutdownSocket(path, Duration.ofMillis(200)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(connection.channel().isOpen()).isFalse();
		assertThat(client.getInputStream().read()).isEqualTo(-1);
		awaitEvents("connection-closed " + path);
		connection.closed();
		awaitEvents("connection-closed " + path);
	}

	@Test
	void whenAHandlerOfAnotherKindIsSetThenItReplacesTheChannelHandler() {
		SocketChannelHandler channelHandler = this.handed::add;
		SocketOptions options = SocketOptions.builder().channelHandler(channelHandler).build();
		assertThat(options.hasHandler()).isTrue();
		assertThat(options.toBuilder().handler((connection) -> { }).build().channelHandler()).isNull();
		assertThat(SocketOptions.builder().handler((connection) -> { }).channelHandler(channelHandler).build()
			.handler()).isNull();
	}

	private void awaitEvents(String prefix) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.events.count(prefix)).isEqualTo(1));
	}

	private String path() {
		return this.directory.resolve("web.sock").toString();
	}

	private SocketReference open(String path, SocketOptions.Builder options) {
		this.manager = this.servers.manager(SocketManager.builder().socket(path, options.build()));
		return this.manager.getOrCreate(path);
	}

	private ChannelConnection nextHanded() throws InterruptedException {
		ChannelConnection connection = this.handed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(connection).as("a connection handed over").isNotNull();
		return connection;
	}

	private int activeConnections(SocketReference reference) {
		return this.manager.snapshot(reference.path()).orElseThrow().connections();
	}

	private static void answer(ChannelConnection connection, String line) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			connection.channel().write(bytes);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		return SocketPathValidationTests.readLine(in);
	}

}
