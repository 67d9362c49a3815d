package io.github.glidesocket.autoconfigure.web.netty;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.autoconfigure.web.HttpOverUnixSocket;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Sinks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Reactor Netty serves a WebFlux application's HTTP on the web socket that glide-socket binds:
 * beside its TCP port or alone, with the socket's peer policy and connection limit, without
 * ever removing the file, and finishing a request in flight at a graceful stop.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class NettyWebSocketTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Picks Reactor Netty where Jetty is on the class path too. */
	private static final String WITHOUT_JETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration";

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void servesHttpOnTheSocketBesideItsTcpPort() throws Exception {
		start();
		assertThat(HttpOverUnixSocket.get(socket(), "/hello")).startsWith("HTTP/1.1 200").endsWith("hello");
		HttpResponse<String> overTcp = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port() + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(overTcp.body()).isEqualTo("hello");
	}

	@Test
	void theServerBesideTheTcpPortHasTheSettingsOfTheTcpServer() throws Exception {
		start("server.compression.enabled=true", "server.compression.min-response-size=1");
		try (SocketChannel client = HttpOverUnixSocket.connect(socket())) {
			ByteBuffer request = ByteBuffer.wrap(("GET /hello HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n"
					+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			while (request.hasRemaining()) {
				client.write(request);
			}
			assertThat(HttpOverUnixSocket.readAll(client)).startsWith("HTTP/1.1 200")
				.containsIgnoringCase("content-encoding: gzip");
		}
	}

	@Test
	void manyClientsAtOnceAreAllServed() throws Exception {
		start("glide.socket.web.tcp=false");
		int clients = 16;
		int requests = 200;
		List<CompletableFuture<Integer>> served = new ArrayList<>();
		for (int client = 0; client < clients; client++) {
			served.add(CompletableFuture.supplyAsync(() -> {
				int answered = 0;
				for (int request = 0; request < requests; request++) {
					if (exchange(socket(), "/hello").endsWith("hello")) {
						answered++;
					}
				}
				return answered;
			}, (task) -> new Thread(task).start()));
		}
		for (CompletableFuture<Integer> client : served) {
			assertThat(client.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(requests);
		}
	}

	@Test
	void burstsOfConnectionsAreAllServed() throws Exception {
		// More connections at once than the server channel reads in one go (16): every burst ends
		// a read with wake-ups still to come.
		start("glide.socket.web.tcp=false");
		for (int burst = 0; burst < 30; burst++) {
			List<SocketChannel> clients = new ArrayList<>();
			try {
				for (int client = 0; client < 40; client++) {
					clients.add(HttpOverUnixSocket.connect(socket()));
				}
				List<CompletableFuture<String>> answers = new ArrayList<>();
				for (SocketChannel client : clients) {
					HttpOverUnixSocket.sendGet(client, "/hello");
					answers.add(CompletableFuture.supplyAsync(() -> {
						try {
							return HttpOverUnixSocket.readAll(client);
						}
						catch (IOException ex) {
							return ex.toString();
						}
					}, (task) -> new Thread(task).start()));
				}
				for (CompletableFuture<String> answer : answers) {
					assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).endsWith("hello");
				}
			}
			finally {
				for (SocketChannel client : clients) {
					client.close();
				}
			}
		}
	}

	@Test
	void whenTcpIsTurnedOffThenOnlyTheSocketServes() throws Exception {
		start("glide.socket.web.tcp=false");
		assertThat(HttpOverUnixSocket.get(socket(), "/hello")).startsWith("HTTP/1.1 200").endsWith("hello");
		assertThat(port()).isEqualTo(-1);
	}

	@Test
	void aPeerThePolicyRefusesGetsNoHttpBytes() throws Exception {
		start("glide.socket.web.peers.policy=allow-list", "glide.socket.web.peers.uids=4242424");
		try (SocketChannel client = HttpOverUnixSocket.connect(socket())) {
			assertThat(sendAndReadAll(client, "/hello")).isEmpty();
		}
		await().atMost(WAIT).until(() -> manager().snapshot(socket().toString()).orElseThrow().rejectedConnections() == 1);
	}

	@Test
	void whenMaxConnectionsAreOpenThenTheNextIsRefusedUntilOneCloses() throws Exception {
		start("glide.socket.web.max-connections=1");
		try (SocketChannel first = HttpOverUnixSocket.connect(socket())) {
			await().atMost(WAIT).until(() -> manager().snapshot(socket().toString()).orElseThrow().connections() == 1);
			try (SocketChannel second = HttpOverUnixSocket.connect(socket())) {
				assertThat(sendAndReadAll(second, "/hello")).isEmpty();
			}
		}
		// The first connection's slot comes back once Reactor Netty has closed its end too.
		await().atMost(WAIT).until(() -> exchange(socket(), "/hello"), (answer) -> answer.endsWith("hello"));
	}

	@ParameterizedTest(name = "glide.socket.web.tcp={0}")
	@ValueSource(booleans = { false, true })
	void whenALiveSocketHoldsThePathThenTheStartupFailsAndLeavesItAlone(boolean tcp, CapturedOutput output)
			throws Exception {
		try (SocketManager other = SocketManager.create();
				SocketReference live = other.getOrCreate(socket().toString())) {
			Object fileKey = fileKey(socket());
			assertThatException().isThrownBy(() -> start("glide.socket.web.tcp=" + tcp))
				.satisfies((ex) -> assertThat(causes(ex)).hasAtLeastOneElementOfType(SocketInUseException.class));
			assertThat(output).contains("APPLICATION FAILED TO START");
			assertThat(live.isActive()).isTrue();
			assertThat(fileKey(socket())).isEqualTo(fileKey);
		}
	}

	@Test
	void whenReactorNettyStopsThenItLeavesTheFileToGlideSocket() throws Exception {
		// Stopped by hand here: a graceful shutdown would wait for a server that is gone.
		start("glide.socket.web.tcp=false", "server.shutdown=immediate");
		Object fileKey = fileKey(socket());
		try (SocketReference held = manager().getOrCreate(socket().toString())) {
			((WebServerApplicationContext) this.context).getWebServer().stop();
			assertThat(held.isActive()).isTrue();
			assertThat(fileKey(socket())).isEqualTo(fileKey);
		}
		// The server held the other reference: with both released the socket is gone.
		assertThat(socket()).doesNotExist();
	}

	@ParameterizedTest(name = "glide.socket.web.tcp={0}")
	@ValueSource(booleans = { false, true })
	void whenARequestIsInFlightAtAGracefulStopThenItCompletes(boolean tcp) throws Exception {
		start("glide.socket.web.tcp=" + tcp, "server.shutdown=graceful");
		Gate gate = this.context.getBean(Gate.class);
		try (SocketChannel client = HttpOverUnixSocket.connect(socket())) {
			HttpOverUnixSocket.sendGet(client, "/slow");
			assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			ConfigurableApplicationContext stopping = this.context;
			CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
			// Once the server has begun to stop it serves no new connection.
			await().atMost(WAIT).until(() -> notServed(socket()));
			assertThat(closed).isNotDone();
			gate.release.tryEmitEmpty();
			assertThat(HttpOverUnixSocket.readAll(client)).startsWith("HTTP/1.1 200").endsWith("slow");
			closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(socket()).doesNotExist();
	}

	@Test
	void whenTheApplicationStopsThenNoThreadOrDescriptorIsLeft() throws Exception {
		serveOnceAndStop();
		int descriptors = openDescriptors();
		serveOnceAndStop();
		await().atMost(WAIT).until(() -> openDescriptors() <= descriptors);
		await().atMost(WAIT)
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().startsWith("glide-socket-web")));
	}

	private void serveOnceAndStop() throws Exception {
		start("server.shutdown=graceful");
		assertThat(HttpOverUnixSocket.get(socket(), "/hello")).endsWith("hello");
		this.context.close();
		this.context = null;
	}

	private static String sendAndReadAll(SocketChannel client, String target) throws IOException {
		try {
			HttpOverUnixSocket.sendGet(client, target);
		}
		catch (IOException ex) {
			// Closed before the request was written: refused all the same.
		}
		return HttpOverUnixSocket.readAll(client);
	}

	private static boolean notServed(Path socket) {
		return exchange(socket, "/hello").isEmpty();
	}

	/**
	 * One request on a connection of its own.
	 * @return the response, or an empty string if the connection was refused or closed unserved
	 */
	private static String exchange(Path socket, String target) {
		try (SocketChannel client = HttpOverUnixSocket.connect(socket)) {
			return sendAndReadAll(client, target);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static int openDescriptors() {
		String[] descriptors = new File("/proc/self/fd").list();
		return (descriptors != null) ? descriptors.length : 0;
	}

	private static Object fileKey(Path file) throws IOException {
		return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	private Path socket() {
		return this.directory.resolve("http.sock");
	}

	private void start(String... properties) {
		this.context = new SpringApplicationBuilder(WebApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "glide.socket.web.path=" + socket(),
					WITHOUT_JETTY)
			.properties(properties)
			.run();
		assertThat(((WebServerApplicationContext) this.context).getWebServer()).isInstanceOf(NettyWebServer.class);
	}

	private SocketManager manager() {
		return this.context.getBean(SocketManager.class);
	}

	private int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WebApplication {

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		RouterFunction<ServerResponse> routes(Gate gate) {
			return RouterFunctions.route()
				.GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello"))
				.GET("/slow", (request) -> {
					gate.entered.countDown();
					return gate.release.asMono().then(ServerResponse.ok().bodyValue("slow"));
				})
				.build();
		}

	}

	/**
	 * Holds a request in flight until released.
	 */
	static final class Gate {

		final CountDownLatch entered = new CountDownLatch(1);

		final Sinks.Empty<Void> release = Sinks.empty();

	}

}
