package io.github.glidesocket.autoconfigure.web.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.core.PeerPolicy;
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
import static org.assertj.core.api.Assertions.assertThatIOException;
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

	private TestWebServerSocket socket;

	@AfterEach
	void stop() throws Exception {
		this.release.countDown();
		if (this.server != null) {
			this.server.stop();
		}
		if (this.socket != null) {
			this.socket.manager().close();
		}
	}

	@Test
	void whenAConnectionIsAdmittedThenJettyServesItsRequests() throws Exception {
		String path = start(SocketOptions.builder());
		String response = UnixHttp.get(path, "/hello");
		assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello /hello");
		assertThat(this.handled).hasValue(1);
	}

	@Test
	void whenThePeerPolicyRefusesThePeerThenItGetsNoBytesAndJettySeesNothing() throws Exception {
		String path = start(SocketOptions.builder().peerPolicy(PeerPolicy.allowing(Set.of(), Set.of())));
		assertThat(UnixHttp.get(path, "/hello")).isEmpty();
		assertThat(this.handled).hasValue(0);
		assertThat(this.socket.manager().snapshot(path)).get()
			.extracting(SocketSnapshot::rejectedConnections)
			.isEqualTo(1L);
	}

	@Test
	void whenJettyClosesAConnectionThenItsSlotIsGivenBack() throws Exception {
		String path = start(SocketOptions.builder().maxConnections(1));
		try (UnixHttp first = UnixHttp.connect(path)) {
			first.send("/first", true);
			assertThat(first.readResponse()).endsWith("hello /first");
			// The one slot is held while Jetty keeps the connection open.
			assertThat(UnixHttp.get(path, "/refused")).isEmpty();
			first.send("/last", false);
			assertThat(first.readToEnd()).endsWith("hello /last");
		}
		await().atMost(WAIT).until(() -> connections(path) == 0);
		assertThat(UnixHttp.get(path, "/next")).endsWith("hello /next");
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
		String path = start(SocketOptions.builder().maxConnections(1), factory);
		assertThat(UnixHttp.get(path, "/failed")).isEmpty();
		await().atMost(WAIT).until(() -> connections(path) == 0);
		assertThat(UnixHttp.get(path, "/next")).endsWith("hello /next");
	}

	@Test
	void whenTheConnectorStopsThenItsConnectionsAreClosedAndGivenBackAndTheFileStays() throws Exception {
		String path = start(SocketOptions.builder());
		Object fileKey = fileKey(path);
		try (SocketReference other = this.socket.manager().getOrCreate(path);
				UnixHttp idle = UnixHttp.connect(path)) {
			idle.send("/idle", true);
			assertThat(idle.readResponse()).endsWith("hello /idle");
			this.server.stop();
			assertThat(idle.readToEnd()).isEmpty();
			await().atMost(WAIT).until(() -> connections(path) == 0);
			// The server never unlinks the path: the socket is another reference's now.
			assertThat(fileKey(path)).isEqualTo(fileKey);
			assertThat(this.socket.manager().isSocketActive(path)).isTrue();
			assertThat(other.referenceCount()).isEqualTo(1);
		}
	}

	@Test
	void whenShutdownBeginsThenTheRequestInFlightCompletesAndNoNewConnectionIsTaken() throws Exception {
		String path = start(SocketOptions.builder());
		try (UnixHttp slow = UnixHttp.connect(path)) {
			slow.send("/slow", true);
			assertThat(this.inFlight.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Void> shutdown = connector().shutdown();
			await().atMost(WAIT).until(() -> !Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS));
			assertThatIOException().isThrownBy(() -> UnixHttp.connect(path));
			this.release.countDown();
			String response = slow.readToEnd();
			assertThat(response).startsWith("HTTP/1.1 200").contains("Connection: close").endsWith("hello /slow");
			shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		await().atMost(WAIT).until(() -> !this.socket.manager().isSocketActive(path));
	}

	@Test
	void whenTheSocketCannotBeOpenedThenTheConnectorFailsToStartAndStopsItsSelectors() throws Exception {
		Path regularFile = Files.createFile(this.directory.resolve("taken"));
		this.socket = new TestWebServerSocket(regularFile.toString(), SocketOptions.builder());
		this.server = new Server();
		ManagedSocketConnector connector = new ManagedSocketConnector(this.server, this.socket, 1,
				new HttpConnectionFactory());
		this.server.addConnector(connector);
		this.server.setHandler(new Hello());
		assertThatException().isThrownBy(this.server::start);
		assertThat(connector.isFailed()).isTrue();
		assertThat(connector.getBeans(SelectorManager.class))
			.allSatisfy((selectors) -> assertThat(selectors.getState()).isEqualTo("STOPPED"));
		assertThat(Files.isRegularFile(regularFile, LinkOption.NOFOLLOW_LINKS)).isTrue();
	}

	private String start(SocketOptions.Builder options) throws Exception {
		return start(options, new HttpConnectionFactory());
	}

	private String start(SocketOptions.Builder options, HttpConnectionFactory factory) throws Exception {
		String path = this.directory.resolve("http.sock").toString();
		this.socket = new TestWebServerSocket(path, options);
		this.server = new Server();
		this.server.addConnector(new ManagedSocketConnector(this.server, this.socket, 1, factory));
		this.server.setHandler(new Hello());
		this.server.start();
		return path;
	}

	private ManagedSocketConnector connector() {
		return (ManagedSocketConnector) this.server.getConnectors()[0];
	}

	private int connections(String path) {
		return this.socket.manager().snapshot(path).map(SocketSnapshot::connections).orElse(0);
	}

	private static Object fileKey(String path) throws IOException {
		return Files.readAttributes(Path.of(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
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
