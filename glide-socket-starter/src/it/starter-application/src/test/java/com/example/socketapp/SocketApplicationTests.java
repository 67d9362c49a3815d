package com.example.socketapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Starts the application as a user would, with its sockets in a temporary directory, talks to
 * them through its injected references and over the JDK's own Unix-domain channels, reads
 * health, meters and the endpoint, and shuts it down while a connection is being served. Uses
 * only what every supported Spring Boot line has: the build runs it on each, on the JVM and again
 * on the code Spring AOT generated ({@code consumer.aot=true}).
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class SocketApplicationTests {

	@TempDir
	Path directory;

	@Test
	void startsServesItsSocketsAndShutsDownGracefully() throws Exception {
		assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("expected.spring-boot.version"));
		Path socket = this.directory.resolve("app.sock");
		Path admin = this.directory.resolve("admin.sock");
		Path drain = this.directory.resolve("drain.sock");
		ConfigurableApplicationContext context = run("--glide.socket.path=" + socket,
				"--glide.socket.sockets.admin.path=" + admin, "--glide.socket.sockets.drain.path=" + drain,
				"--server.port=0",
				"--management.endpoint.health.show-details=always");
		AdminClient adminClient = context.getBean(AdminClient.class);
		StatusProbe probe = context.getBean(StatusProbe.class);
		try {
			assertThatAotIsAsExpected();

			// The files: sockets, owner-only by default.
			for (Path file : List.of(socket, admin, drain)) {
				assertThat(Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS))
					.as("%s is a socket", file)
					.satisfies((mode) -> assertThat((int) mode & 0170000).isEqualTo(0140000));
				assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
			}

			// Connections through the injected references, and over the JDK's own channels.
			try (SocketChannel channel = probe.socket().openChannel()) {
				assertThat(exchange(channel, "hello, socket")).isEqualTo("hello, socket");
			}
			try (InputStream reply = adminClient.socket().connect().getInputStream()) {
				assertThat(new String(reply.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("admin\n");
			}
			try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				channel.connect(UnixDomainSocketAddress.of(socket));
				assertThat(exchange(channel, "hello again")).isEqualTo("hello again");
			}

			// The admin socket does not listen on startup: it exists for AdminClient's reference.
			assertThat(adminClient.socket().path()).isEqualTo(admin.toString());
			assertThat(adminClient.socket().referenceCount()).isOne();
			// The default socket: the application's own reference and the probe's.
			assertThat(probe.socket().path()).isEqualTo(socket.toString());
			assertThat(probe.socket().referenceCount()).isEqualTo(2);

			// Every meter of the operations guide, and what the connections above did.
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			List<String> meters = metersOfTheOperationsGuide();
			assertThat(meters).hasSizeGreaterThan(10);
			for (String meter : meters) {
				assertThat(registry.find(meter).meters()).as("meter %s", meter).isNotEmpty();
			}
			assertThat(registry.get("glide.socket.references").tag("socket", "admin").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get("glide.socket.connections.accepted").tag("socket", "default").functionCounter().count())
				.isEqualTo(2.0);

			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			Map<String, Object> health = get(port, "/actuator/health");
			assertThat(health).containsEntry("status", "UP");
			assertThat(health).extractingByKey("components")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.extractingByKey("glideSocket")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("status", "UP")
				.extractingByKey("details")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("sockets", 3)
				.containsEntry("references", 4);

			List<?> sockets = (List<?>) get(port, "/actuator/glidesockets").get("sockets");
			assertThat(sockets).hasSize(3);
			assertThat(sockets.get(0)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("name", "default")
				.containsEntry("references", 2)
				.containsEntry("accepted", 2);
			assertThat(sockets.get(1)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("name", "admin")
				.containsEntry("path", admin.toString())
				.containsEntry("references", 1);
			assertThat(get(port, "/actuator/glidesockets/admin")).containsEntry("state", "ACTIVE");

			// Graceful shutdown: the files go at once, and a connection being served is served to its end.
			try (SocketChannel inFlight = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				inFlight.connect(UnixDomainSocketAddress.of(drain));
				await().atMost(Duration.ofSeconds(30))
					.until(() -> registry.get("glide.socket.connections.active").tag("socket", "drain").gauge()
						.value() == 1.0);
				CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> Files.notExists(socket, LinkOption.NOFOLLOW_LINKS)
							&& Files.notExists(admin, LinkOption.NOFOLLOW_LINKS)
							&& Files.notExists(drain, LinkOption.NOFOLLOW_LINKS));
				assertThat(readToEnd(inFlight)).isEqualTo("stopping\n");
				closed.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			context.close();
		}
		assertThat(this.directory).isEmptyDirectory();
		assertThat(adminClient.socket().isActive()).isFalse();
		assertThat(probe.socket().isActive()).isFalse();
	}

	@Test
	void anInvalidPropertyStopsStartupWithSpringBootsReportNamingIt(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--glide.socket.path=" + this.directory.resolve("app.sock"),
				"--glide.socket.max-connections=0", "--spring.main.web-application-type=none"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '0' for configuration property 'glide.socket.max-connections'")
			.contains("Must be positive, or -1 for no limit");
		assertThat(this.directory).isEmptyDirectory();
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(SocketApplication.class);
		// As when started from its main method: AOT mode looks for the main class's generated initializer.
		application.setMainApplicationClass(SocketApplication.class);
		return application.run(args);
	}

	private static void assertThatAotIsAsExpected() {
		String expected = System.getProperty("consumer.aot");
		assertThat(expected).as("system property consumer.aot, set by the build").isIn("true", "false");
		assertThat(AotDetector.useGeneratedArtifacts()).isEqualTo(Boolean.parseBoolean(expected));
		// The build generates the AOT code before both runs (unless it skips the AOT run); only the AOT run uses it.
		assertThat(ClassUtils.isPresent(SocketApplication.class.getName() + "__ApplicationContextInitializer",
				SocketApplication.class.getClassLoader()))
			.isNotEqualTo(Boolean.getBoolean("consumer.aot.skipped"));
	}

	/**
	 * The meter names of the operations guide's table, as a reader finds them there.
	 */
	private static List<String> metersOfTheOperationsGuide() throws IOException {
		List<String> meters = new ArrayList<>();
		for (String line : Files.readAllLines(Path.of(System.getProperty("operations.guide")))) {
			if (line.startsWith("| `glide.socket.")) {
				meters.add(line.substring(3, line.indexOf('`', 3)));
			}
		}
		return meters;
	}

	/**
	 * Send the text, end the output, and read the reply until the server closes the connection.
	 */
	private static String exchange(SocketChannel channel, String text) throws IOException {
		write(channel, text);
		channel.shutdownOutput();
		return readToEnd(channel);
	}

	private static void write(SocketChannel channel, String text) throws IOException {
		ByteBuffer request = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (request.hasRemaining()) {
			channel.write(request);
		}
	}

	private static String readToEnd(SocketChannel channel) throws IOException {
		ByteArrayOutputStream reply = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		while (channel.read(buffer) != -1) {
			reply.write(buffer.array(), 0, buffer.position());
			buffer.clear();
		}
		return reply.toString(StandardCharsets.UTF_8);
	}

	private static Map<String, Object> get(int port, String path) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return JsonParserFactory.getJsonParser().parseMap(response.body());
	}

}
