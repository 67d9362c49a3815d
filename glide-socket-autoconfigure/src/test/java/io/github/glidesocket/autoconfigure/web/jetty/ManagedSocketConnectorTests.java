package io.github.glidesocket.autoconfigure.web.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.autoconfigure.web.HttpOverUnixSocket;
import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ManagedSocketConnector} on a plain Jetty server and a real socket: what a
 * peer receives, and that each connection's slot goes back to the socket however Jetty ends it.
 */
@Timeout(60)
class ManagedSocketConnectorTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private final AtomicInteger handled = new AtomicInteger();

	/** Counted down by a request to {@code /slow} once it is being handled. */
	private final CountDownLatch inFlight = new CountDownLatch(1);

	/** Released by a test to let a request to {@code /slow} answer. */
	private final CountDownLatch release = new CountDownLatch(1);

	private Server server;

	private SocketManager manager;

	@AfterEach
	void stop() throws Exception {
		this.release.countDown();
		if (this.server != null) {
			this.server.stop();
		}
		if (this.manager != null) {
			this.manager.close();
		}
	}

	@Test
	void whenAConnectionIsAdmittedThenJettyServesItsRequests() throws Exception {
		Path path = start(SocketOptions.builder());
		assertThat(HttpOverUnixSocket.get(path, "/hello")).startsWith("HTTP/1.1 200").endsWith("hello /hello");
		assertThat(this.handled).hasValue(1);
	}

	@Test
	void whenThePeerPolicyRefusesThePeerThenItGetsNoBytesAndJettySeesNothing() throws Exception {
		Path path = start(SocketOptions.builder().peerPolicy(PeerPolicy.allowing(Set.of(), Set.of())));
		assertThat(HttpOverUnixSocket.get(path, "/hello")).isEmpty();
		assertThat(this.handled).hasValue(0);
		// Counted as it is refused, which the client may see first.
		await().atMost(WAIT).until(() -> snapshot(path).rejectedConnections() == 1);
	}

	@Test
	void whenJettyClosesAConnectionThenItsSlotIsGivenBack() throws Exception {
		Path path = start(SocketOptions.builder().maxConnections(1));
		try (SocketChannel first = HttpOverUnixSocket.connect(path)) {
			HttpOverUnixSocket.sendKeepAliveGet(first, "/first");
			assertThat(HttpOverUnixSocket.readResponse(first)).endsWith("hello /first");
			// The one slot is held while Jetty keeps the connection open.
			assertThat(HttpOverUnixSocket.get(path, "/refused")).isEmpty();
			HttpOverUnixSocket.sendGet(first, "/last");
			assertThat(HttpOverUnixSocket.readAll(first)).endsWith("hello /last");
		}
		await().atMost(WAIT).until(() -> snapshot(path).connections() == 0);
		assertThat(HttpOverUnixSocket.get(path, "/next")).endsWith("hello /next");
	}

	@Test
	void whenJettyCannotTakeAChannelThenItsSlotIsGivenBack() throws Exception {
		AtomicBoolean failNext = new AtomicBoolean(true);
		HttpConnectionFactory factory = new HttpConnectionFactory() {

			@Override
			public Connection newConnection(Connector connector, EndPoint endPoint) {
				if (failNext.getAndSet(false)) {
					throw new IllegalStateException("Cannot serve this one");
				}
				return super.newConnection(connector, endPoint);
			}

		};
		Path path = start(SocketOptions.builder().maxConnections(1), factory);
		assertThat(HttpOverUnixSocket.get(path, "/failed")).isEmpty();
		await().atMost(WAIT).until(() -> snapshot(path).connections() == 0);
		assertThat(HttpOverUnixSocket.get(path, "/next")).endsWith("hello /next");
	}

	@Test
	void whenTheConnectorStopsThenItsConnectionsAreClosedAndGivenBackAndTheFileStays() throws Exception {
		Path path = start(SocketOptions.builder());
		Object fileKey = fileKey(path);
		try (SocketReference other = this.manager.getOrCreate(path.toString());
				SocketChannel idle = HttpOverUnixSocket.connect(path)) {
			HttpOverUnixSocket.sendKeepAliveGet(idle, "/idle");
			assertThat(HttpOverUnixSocket.readResponse(idle)).endsWith("hello /idle");
			this.server.stop();
			assertThat(HttpOverUnixSocket.readAll(idle)).isEmpty();
			await().atMost(WAIT).until(() -> snapshot(path).connections() == 0);
			// The server never unlinks the path: the socket is the other reference's now.
			assertThat(fileKey(path)).isEqualTo(fileKey);
			assertThat(other.referenceCount()).isEqualTo(1);
		}
	}

	@Test
	void whenShutdownBeginsThenTheRequestInFlightCompletesAndNewConnectionsAreClosedUnread() throws Exception {
		Path path = start(SocketOptions.builder());
		try (SocketChannel slow = HttpOverUnixSocket.connect(path)) {
			HttpOverUnixSocket.sendKeepAliveGet(slow, "/slow");
			assertThat(this.inFlight.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Void> shutdown = connector().shutdown();
			assertThat(HttpOverUnixSocket.get(path, "/late")).isEmpty();
			this.release.countDown();
			assertThat(HttpOverUnixSocket.readAll(slow)).startsWith("HTTP/1.1 200")
				.contains("Connection: close")
				.endsWith("hello /slow");
			shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(this.handled).hasValue(1);
		await().atMost(WAIT).until(() -> snapshot(path).connections() == 0);
	}

	@Test
	void whenTheSocketCannotBeOpenedThenTheConnectorFailsToStartAndStopsItsSelectors() throws Exception {
		Path regularFile = Files.createFile(this.directory.resolve("taken"));
		WebServerSocket socket = socket(regularFile, SocketOptions.builder());
		this.server = new Server();
		ManagedSocketConnector connector = new ManagedSocketConnector(this.server, socket, 1,
				new HttpConnectionFactory());
		this.server.addConnector(connector);
		this.server.setHandler(new Hello());
		assertThatException().isThrownBy(this.server::start);
		assertThat(connector.isFailed()).isTrue();
		assertThat(connector.getBeans(SelectorManager.class))
			.allSatisfy((selectors) -> assertThat(selectors.getState()).isEqualTo("STOPPED"));
		assertThat(Files.isRegularFile(regularFile, LinkOption.NOFOLLOW_LINKS)).isTrue();
	}

	private Path start(SocketOptions.Builder options) throws Exception {
		return start(options, new HttpConnectionFactory());
	}

	private Path start(SocketOptions.Builder options, HttpConnectionFactory factory) throws Exception {
		Path path = this.directory.resolve("http.sock");
		WebServerSocket socket = socket(path, options);
		this.server = new Server();
		this.server.addConnector(new ManagedSocketConnector(this.server, socket, 1, factory));
		this.server.setHandler(new Hello());
		this.server.start();
		return path;
	}

	/** The web socket on a manager of its own, as the auto-configuration installs it. */
	private WebServerSocket socket(Path path, SocketOptions.Builder options) {
		AtomicReference<WebServerSocket> socket = new AtomicReference<>();
		this.manager = SocketManager.builder()
			.name("jetty-test")
			.shutdownHook(false)
			.socket(path.toString(), options.channelHandler((connection) -> socket.get().handle(connection)).build())
			.build();
		socket.set(new WebServerSocket(this.manager, path.toString(), true));
		return socket.get();
	}

	private SocketSnapshot snapshot(Path path) {
		return this.manager.snapshot(path.toString()).orElseThrow();
	}

	private ManagedSocketConnector connector() {
		return (ManagedSocketConnector) this.server.getConnectors()[0];
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	/** Answers "hello" and the path; {@code /slow} waits for the test's release first. */
	private final class Hello extends Handler.Abstract {

		@Override
		public boolean handle(Request request, Response response, Callback callback) throws Exception {
			ManagedSocketConnectorTests.this.handled.incrementAndGet();
			String target = Request.getPathInContext(request);
			if (target.equals("/slow")) {
				ManagedSocketConnectorTests.this.inFlight.countDown();
				ManagedSocketConnectorTests.this.release.await();
			}
			response.write(true, ByteBuffer.wrap(("hello " + target).getBytes(StandardCharsets.UTF_8)),
					callback);
			return true;
		}

	}

}
