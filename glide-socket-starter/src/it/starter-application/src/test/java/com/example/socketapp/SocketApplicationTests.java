package com.example.socketapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the application as a user would, with its sockets in a temporary directory, talks to
 * them over the JDK's own Unix-domain channels and the actuator, and closes it. Run twice by the
 * build: on the JVM as usual, and on the code Spring AOT generated ({@code consumer.aot=true}).
 */
@Timeout(60)
class SocketApplicationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path directory;

	@Test
	void startsServesItsSocketsAndRemovesTheirFilesOnClose() throws Exception {
		Path socket = this.directory.resolve("app.sock");
		Path admin = this.directory.resolve("admin.sock");
		SpringApplication application = new SpringApplication(SocketApplication.class);
		// As when started from its main method: AOT mode looks for the main class's generated initializer.
		application.setMainApplicationClass(SocketApplication.class);
		ConfigurableApplicationContext context = application.run("--glide.socket.path=" + socket,
				"--glide.socket.sockets.admin.path=" + admin, "--server.port=0");
		AdminClient adminClient;
		StatusProbe probe;
		try {
			assertThatAotIsAsExpected();
			adminClient = context.getBean(AdminClient.class);
			probe = context.getBean(StatusProbe.class);

			assertThat(exchange(socket, "hello, socket")).isEqualTo("hello, socket");
			assertThat(exchange(admin, "")).isEqualTo("admin\n");

			// The admin socket does not listen on startup: it exists for AdminClient's reference.
			assertThat(adminClient.socket().path()).isEqualTo(admin.toString());
			assertThat(adminClient.socket().isActive()).isTrue();
			assertThat(adminClient.socket().referenceCount()).isOne();
			// The default socket: the application's own reference and the probe's.
			assertThat(probe.socket().path()).isEqualTo(socket.toString());
			assertThat(probe.socket().referenceCount()).isEqualTo(2);

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("glide.socket.references").tag("socket", "admin").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get("glide.socket.connections.accepted").tag("socket", "default").functionCounter().count())
				.isEqualTo(1.0);

			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			JsonNode sockets = get(port, "/actuator/glidesockets").path("sockets");
			assertThat(sockets.size()).isEqualTo(2);
			assertThat(sockets.path(0).path("name").asString()).isEqualTo("default");
			assertThat(sockets.path(0).path("references").asInt()).isEqualTo(2);
			assertThat(sockets.path(0).path("accepted").asLong()).isEqualTo(1);
			assertThat(sockets.path(1).path("name").asString()).isEqualTo("admin");
			assertThat(sockets.path(1).path("path").asString()).isEqualTo(admin.toString());
			assertThat(sockets.path(1).path("references").asInt()).isEqualTo(1);
			assertThat(get(port, "/actuator/glidesockets/admin").path("state").asString()).isEqualTo("ACTIVE");
			assertThat(get(port, "/actuator/health").path("status").asString()).isEqualTo("UP");
			HealthIndicator health = context.getBean("glideSocketHealthIndicator", HealthIndicator.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		}
		finally {
			context.close();
		}
		assertThat(socket).doesNotExist();
		assertThat(admin).doesNotExist();
		assertThat(this.directory).isEmptyDirectory();
		assertThat(adminClient.socket().isActive()).isFalse();
		assertThat(probe.socket().isActive()).isFalse();
	}

	private static void assertThatAotIsAsExpected() {
		String expected = System.getProperty("consumer.aot");
		assertThat(expected).as("system property consumer.aot, set by the build").isIn("true", "false");
		assertThat(AotDetector.useGeneratedArtifacts()).isEqualTo(Boolean.parseBoolean(expected));
		assertThat(ClassUtils.isPresent(SocketApplication.class.getName() + "__ApplicationContextInitializer",
				SocketApplication.class.getClassLoader()))
			.isEqualTo(Boolean.parseBoolean(expected));
	}

	/**
	 * Send the text, end the output, and read the reply until the server closes the connection.
	 */
	private static String exchange(Path path, String text) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(path));
			ByteBuffer request = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
			while (request.hasRemaining()) {
				channel.write(request);
			}
			channel.shutdownOutput();
			ByteArrayOutputStream reply = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(1024);
			while (channel.read(buffer) != -1) {
				reply.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			return reply.toString(StandardCharsets.UTF_8);
		}
	}

	private static JsonNode get(int port, String path) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
