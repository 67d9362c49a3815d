package io.github.glidesocket.sample;

import java.nio.file.Path;
import java.time.Duration;

import io.github.glidesocket.sample.SampleHttpClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link SampleApplication} with
 * {@code glide.socket.listen-on-startup=false}: the application holds no reference of its own,
 * so the socket file exists exactly while HTTP-created clients hold references.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "glide.socket.listen-on-startup=false", "spring.lifecycle.timeout-per-shutdown-phase=5s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SampleApplicationListenOnDemandTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path socketDirectory;

	@LocalServerPort
	private int port;

	private SampleHttpClient http;

	@DynamicPropertySource
	static void socketPath(DynamicPropertyRegistry registry) {
		registry.add("glide.socket.path", () -> socketPath().toString());
	}

	private static Path socketPath() {
		return socketDirectory.resolve("kv.sock");
	}

	@BeforeEach
	void createHttpClient() {
		this.http = new SampleHttpClient(this.port);
	}

	@AfterEach
	void deleteClients() throws Exception {
		for (JsonNode client : this.http.get("/clients").json()) {
			this.http.delete("/clients/" + client.path("id").asLong());
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(socketPath()).doesNotExist());
	}

	@Test
	void startupShouldNotCreateSocketAndShouldLogHowToCreateIt(CapturedOutput output) throws Exception {
		assertThat(socketPath()).doesNotExist();
		assertThat(output).contains("Key-value socket " + socketPath()
				+ " appears with the first client: curl -X POST localhost:" + this.port + "/clients");
		assertThat(output).doesNotContain("try: redis-cli -s " + socketPath());
		JsonNode socket = this.http.defaultSocket();
		assertThat(socket.path("state").asString()).isEqualTo("UNBOUND");
		assertThat(socket.path("references").asInt()).isZero();
		assertThat(this.http.referencesMetric()).isZero();
		JsonNode health = this.http.get("/actuator/health").json().path("components").path("glideSocket");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("sockets").asInt()).isZero();
	}

	@Test
	void postClientsShouldCreateSocketFile() throws Exception {
		Reply created = this.http.post("/clients");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().path("references").asInt()).isOne();
		assertThat(socketPath()).exists();
		JsonNode socket = this.http.defaultSocket();
		assertThat(socket.path("state").asString()).isEqualTo("ACTIVE");
		assertThat(socket.path("references").asInt()).isOne();
		assertThat(socket.path("file").asString()).isEqualTo("INTACT");
		assertThat(this.http.referencesMetric()).isOne();
		JsonNode health = this.http.get("/actuator/health").json().path("components").path("glideSocket");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("sockets").asInt()).isOne();
		assertThat(health.path("details").path("references").asInt()).isOne();
		Reply ping = this.http.get("/clients/" + created.json().path("id").asLong() + "/ping");
		assertThat(ping.json().path("reply").asString()).isEqualTo("+PONG");
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			assertThat(jedis.set("on-demand", "yes")).isEqualTo("OK");
			assertThat(jedis.get("on-demand")).isEqualTo("yes");
		}
	}

	@Test
	void deleteClientWhenOthersRemainShouldKeepSocketFile() throws Exception {
		long first = this.http.post("/clients").json().path("id").asLong();
		long second = this.http.post("/clients").json().path("id").asLong();
		assertThat(this.http.referencesMetric()).isEqualTo(2);
		assertThat(this.http.delete("/clients/" + first).status()).isEqualTo(204);
		assertThat(socketPath()).exists();
		assertThat(this.http.referencesMetric()).isOne();
		assertThat(this.http.get("/clients/" + second + "/ping").json().path("reply").asString()).isEqualTo("+PONG");
	}

	@Test
	void deleteLastClientShouldRemoveSocketFileAndCloseItsConnections() throws Exception {
		long id = this.http.post("/clients").json().path("id").asLong();
		try (RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			assertThat(this.http.delete("/clients/" + id).status()).isEqualTo(204);
			await().atMost(WAIT).untilAsserted(() -> assertThat(socketPath()).doesNotExist());
			assertThat(connection.isClosedByServer()).as("connection closed by the server").isTrue();
		}
		JsonNode socket = this.http.defaultSocket();
		assertThat(socket.path("state").asString()).isEqualTo("UNBOUND");
		assertThat(socket.path("references").asInt()).isZero();
		assertThat(this.http.referencesMetric()).isZero();
		assertThat(this.http.get("/actuator/glidesockets").json().path("activeSockets").asInt()).isZero();
	}

	@Test
	void postClientsAfterLastDeleteShouldBindSocketAgain() throws Exception {
		long first = this.http.post("/clients").json().path("id").asLong();
		long generation = this.http.defaultSocket().path("generation").asLong();
		this.http.delete("/clients/" + first);
		await().atMost(WAIT).untilAsserted(() -> assertThat(socketPath()).doesNotExist());
		long second = this.http.post("/clients").json().path("id").asLong();
		assertThat(socketPath()).exists();
		JsonNode socket = this.http.defaultSocket();
		assertThat(socket.path("state").asString()).isEqualTo("ACTIVE");
		assertThat(socket.path("generation").asLong()).isGreaterThan(generation);
		assertThat(this.http.get("/clients/" + second + "/ping").json().path("reply").asString()).isEqualTo("+PONG");
	}

}
