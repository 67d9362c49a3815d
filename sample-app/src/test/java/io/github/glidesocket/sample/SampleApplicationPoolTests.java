package io.github.glidesocket.sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

/**
 * Integration tests for {@link SampleApplication} with {@code glide.socket.pool-size=2}: the
 * key-value service listens on two sockets, {@code kv-0.sock} and {@code kv-1.sock}, that share
 * one store, and HTTP-created clients spread over them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "glide.socket.pool-size=2", "spring.lifecycle.timeout-per-shutdown-phase=5s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SampleApplicationPoolTests {

	@TempDir
	static Path socketDirectory;

	@LocalServerPort
	private int port;

	private SampleHttpClient http;

	@DynamicPropertySource
	static void socketPath(DynamicPropertyRegistry registry) {
		registry.add("glide.socket.path", () -> socketDirectory.resolve("kv.sock").toString());
	}

	private static Path member(int index) {
		return socketDirectory.resolve("kv-" + index + ".sock");
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
	}

	@Test
	void startupShouldListenOnEveryMemberAndSayWhere(CapturedOutput output) throws Exception {
		assertThat(socketDirectory.resolve("kv.sock")).doesNotExist();
		assertThat(member(0)).exists();
		assertThat(member(1)).exists();
		assertThat(output).contains("Key-value service listening on a pool of 2: " + member(0) + " " + member(1)
				+ " ; try: redis-cli -s " + member(0) + " ping");
		JsonNode sockets = this.http.get("/actuator/glidesockets").json().path("sockets");
		assertThat(sockets.findValues("name")).extracting(JsonNode::asString).containsExactly("default-0", "default-1");
		assertThat(sockets.findValues("references")).extracting(JsonNode::asInt).containsExactly(1, 1);
		JsonNode health = this.http.get("/actuator/health").json().path("components").path("glideSocket");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("sockets").asInt()).isEqualTo(2);
	}

	@Test
	void membersShouldServeOneStore() {
		try (Jedis first = UnixSocketJedisFactory.connect(member(0));
				Jedis second = UnixSocketJedisFactory.connect(member(1))) {
			assertThat(first.set("pool:key", "from member 0")).isEqualTo("OK");
			assertThat(second.get("pool:key")).isEqualTo("from member 0");
		}
	}

	@Test
	void clientsShouldSpreadOverTheMembersAndReachTheirOwn() throws Exception {
		List<String> sockets = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			JsonNode client = this.http.post("/clients").json();
			sockets.add(client.path("socket").asString());
			assertThat(this.http.get("/clients/" + client.path("id").asLong() + "/ping").json().path("reply").asString())
				.isEqualTo("+PONG");
		}
		assertThat(sockets).containsExactlyInAnyOrder(member(0).toString(), member(0).toString(), member(1).toString(),
				member(1).toString());
		for (String member : List.of("default-0", "default-1")) {
			JsonNode socket = this.http.get("/actuator/glidesockets/" + member).json();
			// The application's own reference and two clients'; each client's ping reached its member.
			assertThat(socket.path("references").asInt()).isEqualTo(3);
			assertThat(socket.path("accepted").asLong()).isGreaterThanOrEqualTo(2);
			assertThat(this.http.metric("glide.socket.references", "socket:" + member)).isEqualTo(3);
		}
	}

}
