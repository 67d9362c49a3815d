package io.github.glidesocket.autoconfigure.web.jetty;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.glidesocket.autoconfigure.web.HttpOverUnixSocket;
import io.github.glidesocket.autoconfigure.web.ServletWebApplication;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jetty serves the application's HTTP on the web socket that glide-socket binds: beside its TCP
 * port or alone, holding the socket's limits, without ever removing the file, finishing a request
 * in flight at a graceful stop and leaving no thread or descriptor behind.
 */
@Timeout(120)
class JettyWebSocketTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** Picks Jetty where Tomcat is on the class path too. */
	private static final String WITHOUT_TOMCAT = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration";

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		ServletWebApplication.Hello.release.countDown();
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void servesHttpOnTheSocketBesideItsTcpPort() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket);
		assertThat(HttpOverUnixSocket.get(socket, "/hello")).startsWith("HTTP/1.1 200").endsWith("hello");
		assertThat(port()).isPositive();
		assertThat(connectors()).hasSize(2).hasAtLeastOneElementOfType(ManagedSocketConnector.class);
		assertThat(snapshot(socket).acceptedConnections()).isEqualTo(1);
		await().atMost(WAIT).until(() -> snapshot(socket).connections() == 0);
	}

	@Test
	void whenTcpIsTurnedOffThenOnlyTheSocketServesWhateverTheServerPort() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket, "glide.socket.web.tcp=false", "server.port=-1");
		assertThat(HttpOverUnixSocket.get(socket, "/hello")).startsWith("HTTP/1.1 200").endsWith("hello");
		assertThat(port()).isEqualTo(-1);
		assertThat(connectors()).singleElement().isInstanceOf(ManagedSocketConnector.class);
	}

	@Test
	void jettySettingsForConnectorsReachTheSocketsConnector() {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket, "server.jetty.connection-idle-timeout=7s");
		assertThat(connectors()).allSatisfy((connector) -> assertThat(connector.getIdleTimeout()).isEqualTo(7000));
	}

	@Test
	void theSocketsConnectionLimitHoldsForHttp() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket, "glide.socket.web.max-connections=1");
		try (SocketChannel first = HttpOverUnixSocket.connect(socket)) {
			HttpOverUnixSocket.sendKeepAliveGet(first, "/hello");
			assertThat(HttpOverUnixSocket.readResponse(first)).endsWith("hello");
			try (SocketChannel second = HttpOverUnixSocket.connect(socket)) {
				assertThat(HttpOverUnixSocket.readAll(second)).isEmpty();
			}
		}
		await().atMost(WAIT).until(() -> snapshot(socket).connections() == 0);
		assertThat(HttpOverUnixSocket.get(socket, "/hello")).endsWith("hello");
		await().atMost(WAIT).until(() -> snapshot(socket).rejectedConnections() == 1);
	}

	@Test
	void whenJettyStopsThenItLeavesTheFileToGlideSocket() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket);
		Object fileKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		try (SocketReference held = manager().getOrCreate(socket.toString())) {
			webServer().stop();
			assertThat(held.isActive()).isTrue();
			assertThat(Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())
				.isEqualTo(fileKey);
		}
		// Jetty held the other reference: with both released the socket is gone.
		assertThat(socket).doesNotExist();
	}

	@Test
	void whenARequestIsInFlightAtAGracefulStopThenItCompletes() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		ServletWebApplication.Hello.reset();
		start("glide.socket.web.path=" + socket, "server.shutdown=graceful");
		try (SocketChannel client = HttpOverUnixSocket.connect(socket)) {
			HttpOverUnixSocket.sendKeepAliveGet(client, "/slow");
			assertThat(ServletWebApplication.Hello.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			ConfigurableApplicationContext stopping = this.context;
			CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
			await().atMost(WAIT).until(() -> connectors().stream().allMatch(this::isShutdown));
			assertThat(closed).isNotDone();
			ServletWebApplication.Hello.release.countDown();
			assertThat(HttpOverUnixSocket.readAll(client)).startsWith("HTTP/1.1 200")
				.contains("Connection: close")
				.endsWith("slow");
			closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(socket).doesNotExist();
	}

	@Test
	void whenTheContextClosesThenNoThreadOrDescriptorIsLeft() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		// A first run loads the classes and opens the jars that stay open.
		runOnce(socket);
		Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
		long descriptorsBefore = ioDescriptors();
		runOnce(socket);
		await().pollInSameThread().atMost(WAIT).untilAsserted(() -> {
			Set<String> newThreads = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> !threadsBefore.contains(thread))
				.map(Thread::getName)
				.collect(Collectors.toSet());
			assertThat(newThreads).isEmpty();
			assertThat(ioDescriptors()).isLessThanOrEqualTo(descriptorsBefore);
		});
	}

	private void runOnce(Path socket) throws IOException {
		start("glide.socket.web.path=" + socket, "glide.socket.web.tcp=false");
		try (SocketChannel idle = HttpOverUnixSocket.connect(socket)) {
			HttpOverUnixSocket.sendKeepAliveGet(idle, "/hello");
			assertThat(HttpOverUnixSocket.readResponse(idle)).endsWith("hello");
			assertThat(HttpOverUnixSocket.get(socket, "/hello")).endsWith("hello");
			this.context.close();
			this.context = null;
		}
		assertThat(socket).doesNotExist();
	}

	/** Sockets, pipes, selectors and other anonymous descriptors of this process. */
	private static long ioDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.map((descriptor) -> {
				try {
					return Files.readSymbolicLink(descriptor).toString();
				}
				catch (IOException ex) {
					return "";
				}
			}).filter((target) -> !target.startsWith("/")).count();
		}
	}

	private boolean isShutdown(Connector connector) {
		return ((org.eclipse.jetty.server.AbstractConnector) connector).isShutdown();
	}

	private void start(String... properties) {
		this.context = new SpringApplicationBuilder(ServletWebApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", WITHOUT_TOMCAT)
			.properties(properties)
			.run();
	}

	private JettyWebServer webServer() {
		return (JettyWebServer) ((WebServerApplicationContext) this.context).getWebServer();
	}

	private Set<Connector> connectors() {
		Server server = webServer().getServer();
		return new HashSet<>(Arrays.asList(server.getConnectors()));
	}

	private SocketManager manager() {
		return this.context.getBean(SocketManager.class);
	}

	private SocketSnapshot snapshot(Path socket) {
		return manager().snapshot(socket.toString()).orElseThrow();
	}

	private int port() {
		return webServer().getPort();
	}

}
