package io.github.glidesocket.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.redis.connection.DataType;
import org.springframework.data.redis.connection.RedisSocketConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;
import org.springframework.data.redis.core.types.RedisClientInfo;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link SampleApplication} with Spring Data Redis on Lettuce, the client
 * Spring Boot configures by default, connected to the socket through Netty's epoll transport,
 * once speaking RESP2 and once RESP3, and once as Lettuce negotiates by default. Each test
 * counts the server's error replies before and after: a client that has to fall back, or whose
 * connection setup is refused in part, shows there.
 * <p>
 * Run once per connection mode by the subclasses, which set {@code sample.resp.connection-mode}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@DirtiesContext
@Timeout(60)
abstract class LettuceSampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path socketDirectory;

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private long errorRepliesBefore;

	@DynamicPropertySource
	static void socketPath(DynamicPropertyRegistry registry) {
		registry.add("glide.socket.path", () -> socketPath().toString());
	}

	private static Path socketPath() {
		return socketDirectory.resolve("kv.sock");
	}

	@BeforeEach
	void emptyStoreAndCountErrorReplies() throws IOException {
		try (RespTestConnection connection = RespTestConnection.open(socketPath())) {
			assertThat(connection.command("FLUSHALL")).isEqualTo("+OK");
		}
		this.errorRepliesBefore = errorReplies();
	}

	@AfterEach
	void destroyConnectionFactories() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void valueOperationsShouldStoreCountAndRemoveValues(ProtocolVersion protocol) throws IOException {
		StringRedisTemplate template = template(protocol);
		ValueOperations<String, String> values = template.opsForValue();
		values.set("greeting", "hello");
		assertThat(values.get("greeting")).isEqualTo("hello");
		assertThat(values.get("absent")).isNull();
		assertThat(values.increment("counter")).isOne();
		assertThat(values.increment("counter", 41)).isEqualTo(42);
		assertThat(values.decrement("counter")).isEqualTo(41);
		assertThat(values.decrement("counter", 40)).isOne();
		assertThat(values.append("greeting", ", world")).isEqualTo(12);
		assertThat(values.size("greeting")).isEqualTo(12);
		assertThat(values.getAndSet("greeting", "bye")).isEqualTo("hello, world");
		assertThat(values.setIfAbsent("greeting", "again")).isFalse();
		assertThat(values.setIfAbsent("lock", "mine", Duration.ofMinutes(1))).isTrue();
		assertThat(values.setIfPresent("absent", "x")).isFalse();
		values.multiSet(Map.of("a", "1", "b", "2"));
		assertThat(values.multiGet(List.of("a", "absent", "b"))).containsExactly("1", null, "2");
		assertThat(template.type("greeting")).isEqualTo(DataType.STRING);
		assertThat(template.type("absent")).isEqualTo(DataType.NONE);
		assertThat(values.getAndDelete("greeting")).isEqualTo("bye");
		assertThat(template.hasKey("greeting")).isFalse();
		assertThat(template.countExistingKeys(List.of("a", "b", "absent"))).isEqualTo(2);
		assertThat(template.delete(List.of("a", "absent"))).isOne();
		assertThat(template.unlink("b")).isTrue();
		assertThat(errorReplies()).isEqualTo(this.errorRepliesBefore);
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void expiryShouldBeSetReportedAndRemoved(ProtocolVersion protocol) throws IOException {
		StringRedisTemplate template = template(protocol);
		template.opsForValue().set("session", "data");
		assertThat(template.getExpire("session")).isEqualTo(-1);
		assertThat(template.getExpire("absent")).isEqualTo(-2);
		assertThat(template.expire("session", Duration.ofSeconds(100))).isTrue();
		assertThat(template.getExpire("session")).isBetween(1L, 100L);
		assertThat(template.getExpire("session", TimeUnit.MILLISECONDS)).isBetween(1L, 100_000L);
		assertThat(template.persist("session")).isTrue();
		assertThat(template.getExpire("session")).isEqualTo(-1);
		assertThat(template.expireAt("session", Instant.now().plus(Duration.ofHours(1)))).isTrue();
		assertThat(template.getExpire("session", TimeUnit.MINUTES)).isBetween(1L, 60L);
		assertThat(template.expire("absent", Duration.ofSeconds(10))).isFalse();
		template.opsForValue().set("short-lived", "soon gone", Duration.ofMillis(100));
		await().atMost(WAIT).untilAsserted(() -> assertThat(template.opsForValue().get("short-lived")).isNull());
		assertThat(template.hasKey("session")).isTrue();
		assertThat(errorReplies()).isEqualTo(this.errorRepliesBefore);
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void keysAndScanShouldFindKeysByPattern(ProtocolVersion protocol) throws IOException {
		StringRedisTemplate template = template(protocol);
		Set<String> users = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			template.opsForValue().set("user:" + i, "u");
			template.opsForValue().set("order:" + i, "o");
			users.add("user:" + i);
		}
		assertThat(template.keys("user:*")).isEqualTo(users);
		assertThat(template.keys("user:1?")).hasSize(10);
		List<String> scanned = new ArrayList<>();
		try (Cursor<String> cursor = template.scan(ScanOptions.scanOptions().match("user:*").count(10).build())) {
			cursor.forEachRemaining(scanned::add);
		}
		assertThat(scanned).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(users);
		assertThat(errorReplies()).isEqualTo(this.errorRepliesBefore);
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void pipelinedCommandsShouldGetEveryReplyInOrder(ProtocolVersion protocol) throws IOException {
		StringRedisTemplate template = template(protocol);
		List<Object> replies = template.executePipelined((RedisCallback<Object>) (connection) -> {
			for (int i = 0; i < 500; i++) {
				connection.stringCommands().incrBy("pipelined".getBytes(), 2);
			}
			return null;
		});
		assertThat(replies).hasSize(500).first().isEqualTo(2L);
		assertThat(replies).last().isEqualTo(1000L);
		assertThat(errorReplies()).isEqualTo(this.errorRepliesBefore);
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void connectionShouldSpeakTheRequestedProtocolAndAnnounceItself(ProtocolVersion protocol) throws IOException {
		StringRedisTemplate template = template(protocol);
		RedisClientInfo client = clientNamed("announced", template);
		assertThat(client.get("resp")).isEqualTo((protocol == ProtocolVersion.RESP3) ? "3" : "2");
		assertThat(client.get("lib-name")).isEqualTo("Lettuce");
		assertThat(client.get("lib-ver")).isNotEmpty();
		assertThat(errorReplies()).isEqualTo(this.errorRepliesBefore);
	}

	@Test
	void defaultClientOptionsShouldNegotiateRespThreeWithoutAFailedRoundTrip() throws IOException {
		LettuceClientConfiguration defaults = LettuceClientConfiguration.defaultConfiguration();
		StringRedisTemplate template = new StringRedisTemplate(factory(defaults));
		template.opsForValue().set("negotiated", "yes");
		assertThat(template.opsForValue().get("negotiated")).isEqualTo("yes");
		assertThat(clientNamed("negotiated", template).get("resp")).isEqualTo("3");
		assertThat(errorReplies()).isEqualTo(this.errorRepliesBefore);
	}

	/**
	 * The server's view of the template's connection, named first so that it can be told from
	 * those of earlier tests that are still closing. Spring Data Redis leaves the client name of
	 * {@link LettuceClientConfiguration} out of a Unix-socket connection, so it is set here.
	 */
	private static RedisClientInfo clientNamed(String name, StringRedisTemplate template) {
		List<RedisClientInfo> clients = template.execute((RedisCallback<List<RedisClientInfo>>) (connection) -> {
			connection.serverCommands().setClientName(name.getBytes(StandardCharsets.US_ASCII));
			return connection.serverCommands().getClientList();
		});
		assertThat(clients).isNotNull();
		return clients.stream()
			.filter((client) -> name.equals(client.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No client named '" + name + "' in " + clients));
	}

	private StringRedisTemplate template(ProtocolVersion protocol) {
		ClientOptions options = ClientOptions.builder().protocolVersion(protocol).build();
		return new StringRedisTemplate(factory(LettuceClientConfiguration.builder().clientOptions(options).build()));
	}

	private LettuceConnectionFactory factory(LettuceClientConfiguration client) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisSocketConfiguration(socketPath().toString()), client);
		this.factories.add(factory);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * The server's count of error replies, from {@code INFO stats}.
	 */
	private static long errorReplies() throws IOException {
		try (RespTestConnection connection = RespTestConnection.open(socketPath())) {
			String stats = connection.command("INFO", "stats");
			for (String line : stats.split("\r\n")) {
				if (line.startsWith("total_error_replies:")) {
					return Long.parseLong(line.substring("total_error_replies:".length()));
				}
			}
			throw new IllegalStateException("No total_error_replies in " + stats);
		}
	}

}
