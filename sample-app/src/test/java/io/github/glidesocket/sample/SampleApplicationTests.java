package io.github.glidesocket.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.sample.RespReply.ArrayReply;
import io.github.glidesocket.sample.RespReply.ErrorReply;
import io.github.glidesocket.sample.RespReply.IntegerReply;
import io.github.glidesocket.sample.RespReply.MapReply;
import io.github.glidesocket.sample.RespReply.NullBulkReply;
import io.github.glidesocket.sample.RespReply.NullReply;
import io.github.glidesocket.sample.RespReply.SimpleStringReply;
import io.github.glidesocket.sample.RespReply.VerbatimReply;
import io.github.glidesocket.sample.SampleHttpClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.glidesocket.sample.RespReply.bulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tests for {@link SampleApplication}: the key-value service on a real socket,
 * driven by Jedis, {@code redis-cli} and raw connections in RESP2 and RESP3, and the HTTP
 * endpoints that move the socket's reference count, checked through the actuator. The
 * application listens from startup, so at rest the socket has one reference: the application's
 * own.
 * <p>
 * Run once per connection mode by the subclasses, which set {@code sample.resp.connection-mode}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.resp.max-bulk-length=" + SampleApplicationTests.MAX_BULK_LENGTH,
				"sample.resp.max-multibulk-length=" + SampleApplicationTests.MAX_MULTIBULK_LENGTH,
				"spring.lifecycle.timeout-per-shutdown-phase=5s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
abstract class SampleApplicationTests {

	static final int MAX_BULK_LENGTH = 1024;

	static final int MAX_MULTIBULK_LENGTH = 64;

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path socketDirectory;

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	private SampleHttpClient http;

	@DynamicPropertySource
	static void socketPath(DynamicPropertyRegistry registry) {
		registry.add("glide.socket.path", () -> socketPath().toString());
	}

	private static Path socketPath() {
		return socketDirectory.resolve("kv.sock");
	}

	@BeforeEach
	void createHttpClientAndEmptyStore() {
		this.http = new SampleHttpClient(this.port);
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			assertThat(jedis.flushAll()).isEqualTo("OK");
		}
	}

	@AfterEach
	void deleteClients() throws Exception {
		for (JsonNode client : this.http.get("/clients").json()) {
			this.http.delete("/clients/" + client.path("id").asLong());
		}
	}

	/**
	 * The handler type of the mode under test.
	 * @return {@code SocketEventHandler} or {@code SocketConnectionHandler}
	 */
	abstract Class<?> handlerType();

	@Test
	void socketShouldBeServedByTheHandlerOfTheConfiguredMode() {
		assertThat(this.context.getBeanNamesForType(SocketEventHandler.class))
			.hasSize((handlerType() == SocketEventHandler.class) ? 1 : 0);
		assertThat(this.context.getBeanNamesForType(SocketConnectionHandler.class))
			.hasSize((handlerType() == SocketConnectionHandler.class) ? 1 : 0);
	}

	@Test
	void startupShouldLogRedisCliCommandForSocket(CapturedOutput output) {
		assertThat(output).contains("try: redis-cli -s " + socketPath() + " ping");
	}

	@Test
	void httpApiAndActuatorShouldListenOnLoopbackOnlyAndExposeOnlyTheDocumentedEndpoints() throws Exception {
		// They have no authentication: nothing but this host may reach them.
		String address = this.context.getEnvironment().getProperty("server.address");
		assertThat(address).isNotNull();
		assertThat(InetAddress.getByName(address).isLoopbackAddress()).as("server.address %s", address).isTrue();
		List<InetAddress> listening = listeningAddresses(this.port);
		assertThat(listening).as("addresses listening on port %d", this.port)
			.isNotEmpty()
			.allMatch(InetAddress::isLoopbackAddress);
		// What the guide uses (docs/sample-app.md): health, metrics and the sockets endpoint.
		Set<String> exposed = new TreeSet<>();
		this.http.get("/actuator").json().path("_links").propertyNames().forEach((link) -> {
			if (!link.equals("self")) {
				exposed.add(link.contains("-") ? link.substring(0, link.indexOf('-')) : link);
			}
		});
		assertThat(exposed).containsExactly("glidesockets", "health", "metrics");
	}

	/**
	 * The local addresses of the TCP sockets listening on a port, from the kernel's tables.
	 */
	private static List<InetAddress> listeningAddresses(int port) throws IOException {
		List<InetAddress> addresses = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path file = Path.of(table);
			if (!Files.exists(file)) {
				continue;
			}
			List<String> lines = Files.readAllLines(file);
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.trim().split("\\s+");
				String[] local = fields[1].split(":");
				boolean listen = fields[3].equals("0A");
				if (listen && Integer.parseInt(local[1], 16) == port) {
					addresses.add(InetAddress.getByAddress(kernelAddressBytes(local[0])));
				}
			}
		}
		return addresses;
	}

	/**
	 * The bytes of an address as {@code /proc/net/tcp*} prints it: hex, each 32-bit word in the
	 * host's (little-endian) order.
	 */
	private static byte[] kernelAddressBytes(String hex) {
		byte[] bytes = new byte[hex.length() / 2];
		for (int word = 0; word < bytes.length / 4; word++) {
			for (int i = 0; i < 4; i++) {
				int at = (word * 4 + i) * 2;
				bytes[word * 4 + (3 - i)] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
			}
		}
		return bytes;
	}

	@Test
	void startupShouldHoldOneReferenceAndReportHealthUp() throws Exception {
		assertThat(socketPath()).exists();
		assertThat(this.http.referencesMetric()).isOne();
		JsonNode socket = this.http.defaultSocket();
		assertThat(socket.path("path").asString()).isEqualTo(socketPath().toString());
		assertThat(socket.path("state").asString()).isEqualTo("ACTIVE");
		assertThat(socket.path("references").asInt()).isOne();
		assertThat(socket.path("permissions").asString()).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketPath()))).isEqualTo("rw-------");
		JsonNode health = this.http.get("/actuator/health").json().path("components").path("glideSocket");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("references").asInt()).isOne();
	}

	@Test
	void jedisWhenWritingAndReadingKeysShouldGetRedisReplies() {
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			assertThat(jedis.ping()).isEqualTo("PONG");
			assertThat(jedis.set("jedis:greeting", "hello")).isEqualTo("OK");
			assertThat(jedis.get("jedis:greeting")).isEqualTo("hello");
			assertThat(jedis.get("jedis:absent")).isNull();
			assertThat(jedis.incr("jedis:counter")).isOne();
			assertThat(jedis.incr("jedis:counter")).isEqualTo(2);
			assertThat(jedis.mget("jedis:greeting", "jedis:absent", "jedis:counter")).containsExactly("hello", null,
					"2");
			assertThat(jedis.exists("jedis:greeting", "jedis:counter", "jedis:absent")).isEqualTo(2);
			assertThat(jedis.del("jedis:greeting", "jedis:absent")).isOne();
			assertThat(jedis.exists("jedis:greeting")).isFalse();
			assertThat(jedis.get("jedis:greeting")).isNull();
		}
	}

	@Test
	void jedisWhenSetHasNxShouldOnlySetAbsentKey() {
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			assertThat(jedis.set("nx:key", "first", SetParams.setParams().ex(3600).nx())).isEqualTo("OK");
			assertThat(jedis.set("nx:key", "second", SetParams.setParams().ex(3600).nx())).isNull();
			assertThat(jedis.get("nx:key")).isEqualTo("first");
		}
	}

	@Test
	void jedisWhenKeyExpiresShouldNoLongerFindIt() {
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			assertThat(jedis.set("expiring:key", "soon gone", SetParams.setParams().px(100))).isEqualTo("OK");
			assertThat(jedis.set("lasting:key", "stays", SetParams.setParams().ex(3600))).isEqualTo("OK");
			await().atMost(WAIT).untilAsserted(() -> assertThat(jedis.get("expiring:key")).isNull());
			assertThat(jedis.exists("expiring:key")).isFalse();
			assertThat(jedis.get("lasting:key")).isEqualTo("stays");
		}
	}

	@Test
	void jedisWhenPipeliningThousandCommandsShouldReturnEveryReplyInOrder() {
		List<Object> expected = new ArrayList<>();
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			Pipeline pipeline = jedis.pipelined();
			for (int i = 0; i < 400; i++) {
				pipeline.set("pipelined:" + i, "value:" + i);
				expected.add("OK");
			}
			for (int i = 0; i < 300; i++) {
				pipeline.incr("pipelined:counter");
				expected.add((long) i + 1);
			}
			for (int i = 0; i < 300; i++) {
				pipeline.get("pipelined:" + i);
				expected.add("value:" + i);
			}
			List<Object> replies = pipeline.syncAndReturnAll();
			assertThat(replies).hasSize(1000).containsExactlyElementsOf(expected);
			assertThat(jedis.ping()).isEqualTo("PONG");
		}
	}

	@Test
	void jedisWhenClientsIncrementConcurrentlyShouldCountEveryIncrement() throws Exception {
		int clients = 8;
		int increments = 250;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			List<Future<Long>> results = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				results.add(executor.submit(() -> {
					try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
						start.await();
						long last = 0;
						for (int j = 0; j < increments; j++) {
							last = jedis.incr("concurrent:counter");
						}
						return last;
					}
				}));
			}
			start.countDown();
			for (Future<Long> result : results) {
				assertThat(result.get()).isBetween((long) increments, (long) clients * increments);
			}
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath())) {
			assertThat(jedis.get("concurrent:counter")).isEqualTo(String.valueOf(clients * increments));
		}
	}

	@Test
	void redisCliWhenPingingSocketShouldPrintPong() throws Exception {
		assumeRedisCliInstalled();
		assertThat(redisCli("ping")).isEqualTo("PONG\n");
	}

	@Test
	void redisCliWhenSettingAndGettingKeyShouldPrintReplies() throws Exception {
		assumeRedisCliInstalled();
		assertThat(redisCli("set", "cli:greeting", "hello from redis-cli")).isEqualTo("OK\n");
		assertThat(redisCli("get", "cli:greeting")).isEqualTo("hello from redis-cli\n");
		assertThat(redisCli("incr", "cli:counter")).isEqualTo("1\n");
		assertThat(redisCli("exists", "cli:greeting", "cli:absent")).isEqualTo("1\n");
	}

	@Test
	void redisCliWhenSpeakingRespThreeShouldPrintReplies() throws Exception {
		assumeRedisCliInstalled();
		assertThat(redisCli("-3", "set", "cli3:greeting", "hello")).isEqualTo("OK\n");
		assertThat(redisCli("-3", "incrby", "cli3:counter", "5")).isEqualTo("5\n");
		assertThat(redisCli("-3", "client", "info")).contains(" resp=3 ");
		assertThat(redisCli("client", "info")).contains(" resp=2 ");
	}

	@Test
	void helloThreeShouldSwitchConnectionToTypedRespThreeReplies() throws Exception {
		try (RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(connection.request("GET", "resp3:missing")).isEqualTo(new NullBulkReply());
			RespReply hello = connection.request("HELLO", "3");
			assertThat(hello).isInstanceOf(MapReply.class);
			assertThat(((MapReply) hello).entries()).containsEntry(bulk("server"), bulk("glidesocket"))
				.containsEntry(bulk("proto"), new IntegerReply(3))
				.containsEntry(bulk("mode"), bulk("standalone"))
				.containsEntry(bulk("role"), bulk("master"))
				.containsEntry(bulk("modules"), new ArrayReply(List.of()))
				.containsKeys(bulk("version"), bulk("id"))
				.hasSize(7);
			assertThat(connection.request("GET", "resp3:missing")).isEqualTo(new NullReply());
			assertThat(connection.request("SET", "resp3:counter", "41")).isEqualTo(new SimpleStringReply("OK"));
			assertThat(connection.request("INCR", "resp3:counter")).isEqualTo(new IntegerReply(42));
			assertThat(connection.request("MGET", "resp3:counter", "resp3:missing"))
				.isEqualTo(new ArrayReply(List.of(bulk("42"), new NullReply())));
			assertThat(connection.request("TTL", "resp3:counter")).isEqualTo(new IntegerReply(-1));
			assertThat(connection.request("CONFIG", "GET", "appendonly"))
				.isEqualTo(new MapReply(Map.of(bulk("appendonly"), bulk("no"))));
			RespReply info = connection.request("CLIENT", "INFO");
			assertThat(info).isInstanceOf(VerbatimReply.class);
			assertThat(((VerbatimReply) info).format()).isEqualTo("txt");
			assertThat(((VerbatimReply) info).text()).contains(" resp=3 ").endsWith("\n");
			assertThat(connection.request("FROBNICATE")).isInstanceOf(ErrorReply.class);
			RespReply helloTwo = connection.request("HELLO", "2");
			assertThat(helloTwo).isInstanceOf(ArrayReply.class);
			assertThat(((ArrayReply) helloTwo).elements()).hasSize(14).contains(new IntegerReply(2));
			assertThat(connection.request("GET", "resp3:missing")).isEqualTo(new NullBulkReply());
		}
	}

	@Test
	void helloWhenVersionIsNotSpokenShouldReplyNoprotoAndKeepRespTwo() throws Exception {
		try (RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(connection.request("HELLO", "4"))
				.isEqualTo(new ErrorReply("NOPROTO unsupported protocol version"));
			assertThat(connection.request("GET", "resp3:missing")).isEqualTo(new NullBulkReply());
		}
	}

	@Test
	void postClientsShouldCreateClientHoldingAnotherReference() throws Exception {
		Reply created = this.http.post("/clients");
		assertThat(created.status()).isEqualTo(201);
		JsonNode client = created.json();
		assertThat(client.path("socket").asString()).isEqualTo(socketPath().toString());
		assertThat(client.path("active").asBoolean()).isTrue();
		assertThat(client.path("references").asInt()).isEqualTo(2);
		assertThat(this.http.referencesMetric()).isEqualTo(2);
		assertThat(this.http.defaultSocket().path("references").asInt()).isEqualTo(2);
		assertThat(this.http.get("/actuator/glidesockets").json().path("references").asInt()).isEqualTo(2);
		JsonNode listed = this.http.get("/clients").json();
		assertThat(listed).hasSize(1);
		assertThat(listed.path(0).path("id").asLong()).isEqualTo(client.path("id").asLong());
	}

	@Test
	void pingClientShouldAnswerPongOverSocket() throws Exception {
		long id = this.http.post("/clients").json().path("id").asLong();
		long acceptedBefore = this.http.defaultSocket().path("accepted").asLong();
		Reply ping = this.http.get("/clients/" + id + "/ping");
		assertThat(ping.status()).isEqualTo(200);
		assertThat(ping.json().path("id").asLong()).isEqualTo(id);
		assertThat(ping.json().path("reply").asString()).isEqualTo("+PONG");
		assertThat(this.http.defaultSocket().path("accepted").asLong()).isEqualTo(acceptedBefore + 1);
	}

	@Test
	void deleteClientShouldReturnNoContentAndReleaseItsReference() throws Exception {
		long first = this.http.post("/clients").json().path("id").asLong();
		long second = this.http.post("/clients").json().path("id").asLong();
		assertThat(this.http.referencesMetric()).isEqualTo(3);
		assertThat(this.http.delete("/clients/" + first).status()).isEqualTo(204);
		assertThat(this.http.referencesMetric()).isEqualTo(2);
		assertThat(this.http.get("/clients").json().findValues("id")).extracting(JsonNode::asLong)
			.containsExactly(second);
		assertThat(this.http.delete("/clients/" + second).status()).isEqualTo(204);
		assertThat(this.http.referencesMetric()).isOne();
		assertThat(this.http.get("/actuator/glidesockets").json().path("references").asInt()).isOne();
		assertThat(this.http.get("/clients").json()).isEmpty();
		assertThat(socketPath()).exists();
	}

	@Test
	void clientsWhoseSocketIsStoppedShouldSayItAndReleaseTheirReferences(CapturedOutput output) throws Exception {
		long first = this.http.post("/clients").json().path("id").asLong();
		long second = this.http.post("/clients").json().path("id").asLong();
		assertThat(this.http.get("/clients").json().findValues("state")).extracting(JsonNode::asString)
			.containsOnly("active");
		SocketManager manager = this.context.getBean(SocketManager.class);
		manager.shutdownSocket(socketPath().toString(), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.http.get("/clients").json().findValues("state"))
				.extracting(JsonNode::asString)
				.containsExactly("released", "released"));
		for (long id : List.of(first, second)) {
			assertThat(output).contains("Client " + id + ": socket " + socketPath()
					+ " is shutting down (graceful stop); released its reference");
			assertThat(this.http.get("/clients/" + id + "/ping").json().path("reply").asString())
				.startsWith("error: client " + id + " has released its socket");
		}
		// The application listens again; the released clients hold nothing.
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.http.referencesMetric()).isOne());
		JsonNode created = this.http.post("/clients").json();
		assertThat(created.path("state").asString()).isEqualTo("active");
		assertThat(created.path("references").asInt()).isEqualTo(2);
		assertThat(this.http.get("/clients/" + created.path("id").asLong() + "/ping").json().path("reply").asString())
			.isEqualTo("+PONG");
	}

	@Test
	void pingOrDeleteWhenClientIsUnknownShouldReturnNotFound() throws Exception {
		long id = this.http.post("/clients").json().path("id").asLong();
		assertThat(this.http.delete("/clients/" + id).status()).isEqualTo(204);
		assertThat(this.http.delete("/clients/" + id).status()).isEqualTo(404);
		assertThat(this.http.get("/clients/" + id + "/ping").status()).isEqualTo(404);
		assertThat(this.http.delete("/clients/" + Long.MAX_VALUE).status()).isEqualTo(404);
		assertThat(this.http.referencesMetric()).isOne();
	}

	@Test
	void postAndDeleteClientsWhenConcurrentShouldCountEveryReference() throws Exception {
		int clients = 16;
		List<Reply> created = concurrently(clients, (i) -> this.http.post("/clients"));
		assertThat(created).extracting(Reply::status).containsOnly(201);
		assertThat(this.http.referencesMetric()).isEqualTo(1 + clients);
		assertThat(this.http.defaultSocket().path("references").asInt()).isEqualTo(1 + clients);
		List<Long> ids = created.stream().map((reply) -> reply.json().path("id").asLong()).toList();
		assertThat(ids).doesNotHaveDuplicates();
		List<Reply> deleted = concurrently(clients, (i) -> this.http.delete("/clients/" + ids.get(i)));
		assertThat(deleted).extracting(Reply::status).containsOnly(204);
		assertThat(this.http.referencesMetric()).isOne();
		assertThat(socketPath()).exists();
	}

	@Test
	void infoShouldShowReferencesAndConnectionsOfSocket() throws Exception {
		this.http.post("/clients");
		try (Jedis jedis = UnixSocketJedisFactory.connect(socketPath());
				RespTestConnection other = RespTestConnection.open(socketPath())) {
			assertThat(other.command("PING")).isEqualTo("+PONG");
			await().atMost(WAIT).untilAsserted(() -> {
				String info = jedis.info("glidesocket");
				assertThat(info).startsWith("# Glidesocket\r\n")
					.contains("sockets:1\r\n", "references:2\r\n", "connections:2\r\n")
					.contains("socket0:path=" + socketPath() + ",state=ACTIVE,references=2,connections=2,");
			});
		}
	}

	@Test
	void unknownCommandShouldReplyErrorAndKeepConnectionOpen() throws Exception {
		try (RespTestConnection bystander = RespTestConnection.open(socketPath());
				RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(bystander.command("PING")).isEqualTo("+PONG");
			assertThat(connection.command("FROBNICATE", "a", "b"))
				.isEqualTo("-ERR unknown command 'FROBNICATE', with args beginning with: 'a' 'b' ");
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			assertOtherConnectionsUnaffected(bystander);
		}
	}

	@Test
	void malformedRequestShouldReplyProtocolErrorAndCloseOnlyThatConnection() throws Exception {
		assertProtocolErrorClosesConnection("*abc\r\n", "-ERR Protocol error: invalid multibulk length");
	}

	@Test
	void bulkLengthOverLimitShouldReplyProtocolErrorAndCloseBeforeBulkArrives() throws Exception {
		// Only the header is sent: the server must refuse on the declared length alone.
		assertProtocolErrorClosesConnection("*1\r\n$100000\r\n", "-ERR Protocol error: invalid bulk length");
	}

	@Test
	void bulkLengthAtLimitShouldBeAccepted() throws Exception {
		String value = "x".repeat(MAX_BULK_LENGTH);
		try (RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(connection.command("SET", "limit:bulk", value)).isEqualTo("+OK");
			assertThat(connection.command("GET", "limit:bulk")).isEqualTo(value);
		}
	}

	@Test
	void multibulkLengthOverLimitShouldReplyProtocolErrorAndCloseBeforeArgumentsArrive() throws Exception {
		assertProtocolErrorClosesConnection("*" + (MAX_MULTIBULK_LENGTH + 1) + "\r\n",
				"-ERR Protocol error: invalid multibulk length");
	}

	@Test
	void hugeMultibulkLengthShouldReplyProtocolErrorAndCloseConnection() throws Exception {
		assertProtocolErrorClosesConnection("*2147483647\r\n", "-ERR Protocol error: invalid multibulk length");
	}

	private void assertProtocolErrorClosesConnection(String request, String expectedReply) throws IOException {
		try (RespTestConnection bystander = RespTestConnection.open(socketPath());
				RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(bystander.command("PING")).isEqualTo("+PONG");
			connection.sendRaw(request);
			assertThat(connection.readReply()).isEqualTo(expectedReply);
			assertThat(connection.isClosedByServer()).as("connection closed by the server").isTrue();
			assertOtherConnectionsUnaffected(bystander);
		}
	}

	private void assertOtherConnectionsUnaffected(RespTestConnection bystander) throws IOException {
		assertThat(bystander.command("PING")).isEqualTo("+PONG");
		assertThat(bystander.command("ECHO", "still here")).isEqualTo("still here");
		try (RespTestConnection newcomer = RespTestConnection.open(socketPath())) {
			assertThat(newcomer.command("PING")).isEqualTo("+PONG");
		}
		assertThat(socketPath()).exists();
	}

	private static void assumeRedisCliInstalled() {
		assumeTrue(isRedisCliInstalled(), "redis-cli not installed: apt-get install redis-tools");
	}

	private static boolean isRedisCliInstalled() {
		try {
			Process process = new ProcessBuilder("redis-cli", "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static String redisCli(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-s", socketPath().toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("redis-cli exited").isTrue();
		assertThat(process.exitValue()).as("redis-cli exit status, output: %s", output).isZero();
		return output;
	}

	private static <T> List<T> concurrently(int count, IndexedCall<T> call) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(count);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				Callable<T> task = () -> {
					start.await();
					return call.call(index);
				};
				futures.add(executor.submit(task));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@FunctionalInterface
	private interface IndexedCall<T> {

		T call(int index) throws Exception;

	}

}
