package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.glidesocket.websample.SlowRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each web server Spring Boot ships, on a managed web socket behind a real nginx
 * ({@code proxy_pass http://unix:PATH}), as a separate JVM: what a deployment behind nginx sees
 * at a takeover, a stop, a crash and from a user the socket does not let in.
 */
@Tag("process")
class WebServerBehindNginxProcessTests {

	private static final Map<String, String> TAKEOVER = Map.of("glide.socket.takeover", "true",
			"glide.socket.exit-after-takeover", "true");

	private static final String CONFIGURED_MODE = "rw-rw----";

	/**
	 * Starts the application with nobody's group as a supplementary group, so that it may give
	 * the socket that group.
	 */
	private static final List<String> IN_NOGROUP = List.of("setpriv", "--groups=0,65534");

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource
	void takeoverUnderLoadFailsNoRequestAndKeepsTheFileThenAStopFinishesTheRequestInFlight(WebServer server)
			throws Exception {
		Path socket = this.directory.resolve("http.sock");
		try (Nginx nginx = Nginx.proxyingTo(this.directory, socket);
				WebSampleProcess first = WebSampleProcess.start(server, socket, TAKEOVER)) {
			awaitServedBy(nginx, first);
			try (RequestLoop loop = RequestLoop.start(nginx.port(), 2);
					WebSampleProcess second = WebSampleProcess.start(server, socket, TAKEOVER)) {
				await().atMost(Duration.ofMinutes(2)).until(() -> loop.answered() >= 20);
				await().atMost(Duration.ofMinutes(2)).until(() -> loop.answeredBy(second.pid()));
				Object secondsFile = fileKey(socket);
				assertThat(first.awaitExit()).as("exit code of the instance taken over").isZero();
				long answeredAtExit = loop.answered();
				await().atMost(Duration.ofMinutes(2)).until(() -> loop.answered() >= answeredAtExit + 50);
				loop.close();
				assertThat(loop.failedRequests()).as("failed requests; nginx logged:\n%s", nginx.errors()).isEmpty();
				assertThat(loop.failedConnects()).as("failed connects").isEmpty();
				assertThat(fileKey(socket)).as("the socket file after the handover").isEqualTo(secondsFile);

				CompletableFuture<HttpGet.Reply> slow = CompletableFuture
					.supplyAsync(() -> getUnchecked(nginx, "/slow?ms=5000"));
				second.awaitOutput(SlowRequest.STARTED);
				second.terminate();
				HttpGet.Reply reply = slow.join();
				assertThat(reply.status()).as("status of the request in flight at SIGTERM").isEqualTo(200);
				assertThat(reply.body()).contains("slept 5000 ms");
				assertThat(second.awaitExit()).isEqualTo(WebSampleProcess.EXIT_ON_SIGTERM);
				String output = second.output();
				assertThat(output.indexOf("Commencing graceful shutdown"))
					.as("the stop began while the request was in flight:\n%s", output)
					.isNotNegative()
					.isLessThan(output.indexOf(SlowRequest.ANSWERED));
				assertThat(socket).as("the socket file after a stop that is no handover").doesNotExist();
			}
		}
	}

	@ParameterizedTest
	@EnumSource
	void refusedPeerGetsNoHttpAndAKilledInstanceIsReplacedByOneThatServesABurst(WebServer server) throws Exception {
		// nobody may pass the directory and, through the socket's group, connect: the peer
		// policy (this user only) is what keeps it out.
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwx--x--x"));
		Path socket = this.directory.resolve("http.sock");
		Map<String, String> properties = Map.of("glide.socket.web.permissions", CONFIGURED_MODE,
				"glide.socket.web.group", "nogroup");
		try (SocketFileWatch watch = SocketFileWatch.start(socket);
				Nginx nginx = Nginx.proxyingTo(this.directory, socket)) {
			Object killedFile;
			try (WebSampleProcess first = WebSampleProcess.start(server, socket, properties, IN_NOGROUP)) {
				awaitServedBy(nginx, first);
				assertThat(NobodyHttpClient.get(socket)).isEqualTo("RECEIVED 0");
				killedFile = fileKey(socket);
				first.kill();
			}
			assertThat(socket).as("the file a killed instance left").exists();
			try (WebSampleProcess second = WebSampleProcess.start(server, socket, properties, IN_NOGROUP)) {
				awaitServedBy(nginx, second);
				assertThat(fileKey(socket)).as("the socket file bound in place of the stale one")
					.isNotEqualTo(killedFile);
				// Many connections at once, for a while: a lost wake-up of a server's event loop
				// leaves connections unserved.
				assertThat(concurrently(nginx, 32, 100)).as("statuses of a burst; nginx logged:\n%s", nginx.errors())
					.containsOnly(200)
					.hasSize(3200);
				assertThat(NobodyHttpClient.get(socket)).isEqualTo("RECEIVED 0");
			}
			watch.close();
			assertThat(watch.seen()).as("modes seen at the path").isNotEmpty();
			assertThat(watch.sawWiderThan(CONFIGURED_MODE)).as("a mode wider than %s among %s", CONFIGURED_MODE,
					watch.seen()).isFalse();
		}
	}

	@ParameterizedTest
	@EnumSource
	void anInheritedSocketServesAndItsFileStaysAfterTheStop(WebServer server) throws Exception {
		Path socket = this.directory.resolve("http.sock");
		try (Nginx nginx = Nginx.proxyingTo(this.directory, socket);
				WebSampleProcess process = WebSampleProcess.start(server, socket, Map.of(),
						SocketActivation.listeningOn(socket))) {
			awaitServedBy(nginx, process);
			Object inherited = fileKey(socket);
			process.terminate();
			assertThat(process.awaitExit()).isEqualTo(WebSampleProcess.EXIT_ON_SIGTERM);
			assertThat(process.output()).contains("inherited on standard input (socket activation)");
			assertThat(fileKey(socket)).as("the inherited socket's file after the stop").isEqualTo(inherited);
		}
	}

	/**
	 * Wait until the application is ready (its health is UP through nginx) and nginx reaches it.
	 */
	private static void awaitServedBy(Nginx nginx, WebSampleProcess process) {
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("The application exited:\n" + process.output());
			}
			return HttpGet.answers(nginx.port(), "/actuator/health", "\"status\":\"UP\"")
					&& HttpGet.answers(nginx.port(), "/hello", "hello from " + process.pid());
		});
	}

	/**
	 * Send {@code GET /hello} from many clients at once, each a number of times in turn.
	 * @return the status of each request
	 */
	private static List<Integer> concurrently(Nginx nginx, int clients, int requestsEach) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			List<Future<List<Integer>>> results = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				results.add(executor.submit(() -> {
					List<Integer> statuses = new ArrayList<>();
					for (int j = 0; j < requestsEach; j++) {
						statuses.add(HttpGet.get(nginx.port(), "/hello").status());
					}
					return statuses;
				}));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<List<Integer>> result : results) {
				statuses.addAll(result.get());
			}
			return statuses;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static HttpGet.Reply getUnchecked(Nginx nginx, String path) {
		try {
			return HttpGet.get(nginx.port(), path);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

}
