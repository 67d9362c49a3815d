package io.github.glidesocket.autoconfigure.web.tomcat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.autoconfigure.web.HttpOverUnixSocket;
import io.github.glidesocket.autoconfigure.web.ServletWebApplication;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tomcat serves HTTP on the web socket that glide-socket binds: beside its TCP port or alone,
 * with the socket's peer policy and mode, without ever removing the file, and finishing a
 * request in flight at a graceful stop.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class TomcatWebSocketTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** Picks Tomcat where Jetty is on the class path too. */
	private static final String WITHOUT_JETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration";

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
		ServletWebApplication.Hello.release.countDown();
	}

	@Test
	void servesHttpOnTheSocketBesideItsTcpPort() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket);
		assertThat(HttpOverUnixSocket.get(socket, "/hello")).startsWith("HTTP/1.1 200").endsWith("hello");
		assertThat(port()).isPositive();
		SocketSnapshot snapshot = manager().snapshot(socket.toString()).orElseThrow();
		assertThat(snapshot.acceptedConnections()).isEqualTo(1);
		await().atMost(WAIT).until(() -> manager().snapshot(socket.toString()).orElseThrow().connections() == 0);
	}

	@Test
	void aWebOnlyApplicationBindsOnlyItsWebSocketAndNothingWarns(CapturedOutput output) throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket);
		assertThat(manager().snapshots()).extracting(SocketSnapshot::path).containsExactly(socket.toString());
		assertThat(output).doesNotContain("has no SocketConnectionHandler").doesNotContain("WARN");
	}

	@Test
	void whenTcpIsTurnedOffThenOnlyTheSocketServes() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket, "glide.socket.web.tcp=false");
		assertThat(HttpOverUnixSocket.get(socket, "/hello")).startsWith("HTTP/1.1 200").endsWith("hello");
		assertThat(port()).isEqualTo(-1);
	}

	@Test
	void aPeerThePolicyRefusesGetsNoHttpBytes() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket, "glide.socket.web.peers.policy=allow-list",
				"glide.socket.web.peers.uids=4242424");
		try (SocketChannel client = HttpOverUnixSocket.connect(socket)) {
			try {
				HttpOverUnixSocket.sendGet(client, "/hello");
			}
			catch (IOException ex) {
				// Closed before the request was written: refused all the same.
			}
			assertThat(HttpOverUnixSocket.readAll(client)).isEmpty();
		}
		await().atMost(WAIT)
			.until(() -> manager().snapshot(socket.toString()).orElseThrow().rejectedConnections() == 1);
	}

	@Test
	void theFileIsNeverSeenWithAWiderModeThanConfigured() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		Set<PosixFilePermission> seen = ConcurrentHashMap.newKeySet();
		AtomicBoolean watching = new AtomicBoolean(true);
		Thread watcher = new Thread(() -> {
			while (watching.get()) {
				try {
					seen.addAll(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
				}
				catch (IOException ex) {
					// Not there yet.
				}
			}
		}, "mode-watcher");
		watcher.start();
		start("glide.socket.web.path=" + socket, "glide.socket.web.permissions=rw-rw----");
		assertThat(HttpOverUnixSocket.get(socket, "/hello")).startsWith("HTTP/1.1 200");
		await().atMost(WAIT).until(() -> !seen.isEmpty());
		watching.set(false);
		watcher.join();
		assertThat(seen).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
	}

	@Test
	void whenTomcatStopsThenItLeavesTheFileToGlideSocket() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		start("glide.socket.web.path=" + socket);
		Object fileKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		try (SocketReference held = manager().getOrCreate(socket.toString())) {
			((WebServerApplicationContext) this.context).getWebServer().stop();
			assertThat(held.isActive()).isTrue();
			assertThat(Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())
				.isEqualTo(fileKey);
		}
		// The server held the other reference: with both released the socket is gone.
		assertThat(socket).doesNotExist();
	}

	@Test
	void whenARequestIsInFlightAtAGracefulStopThenItCompletes() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		ServletWebApplication.Hello.reset();
		start("glide.socket.web.path=" + socket, "server.shutdown=graceful");
		SocketChannel client = HttpOverUnixSocket.connect(socket);
		HttpOverUnixSocket.sendGet(client, "/slow");
		assertThat(ServletWebApplication.Hello.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		ConfigurableApplicationContext stopping = this.context;
		CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !closed.isDone());
		assertThat(socket).as("the socket while Tomcat finishes its request").exists();
		ServletWebApplication.Hello.release.countDown();
		assertThat(HttpOverUnixSocket.readAll(client)).startsWith("HTTP/1.1 200").endsWith("slow");
		closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(socket).doesNotExist();
	}

	private void start(String... properties) {
		this.context = new SpringApplicationBuilder(ServletWebApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", WITHOUT_JETTY)
			.properties(properties)
			.run();
	}

	private SocketManager manager() {
		return this.context.getBean(SocketManager.class);
	}

	private int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

}
