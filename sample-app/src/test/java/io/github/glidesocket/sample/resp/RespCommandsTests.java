package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RespCommands}. Expected replies are those of Redis 7 for the same requests.
 */
class RespCommandsTests {

	private static final String OK = "+OK\r\n";

	private static final String NIL = "$-1\r\n";

	private static final String NOT_AN_INTEGER = "-ERR value is not an integer or out of range\r\n";

	private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

	private static final String HELLO_FIELDS = "$6\r\nserver\r\n$11\r\nglidesocket\r\n$7\r\nversion\r\n$5\r\n7.2.0\r\n"
			+ "$5\r\nproto\r\n:%d\r\n$2\r\nid\r\n:42\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
			+ "$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";

	private static final String HELLO_2 = "*14\r\n" + HELLO_FIELDS.formatted(2);

	private static final String HELLO_3 = "%7\r\n" + HELLO_FIELDS.formatted(3);

	private final CommandRunner connection = new CommandRunner();

	private final MutableClock clock = this.connection.clock;

	private final Map<String, String> info = this.connection.info;

	private final RespSession session = this.connection.session;

	@Test
	void pingShouldReplyPongOrEchoItsArgument() throws Exception {
		assertThat(run("PING")).isEqualTo("+PONG\r\n");
		assertThat(run("ping", "hello")).isEqualTo("$5\r\nhello\r\n");
		assertThat(run("PING", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'ping' command\r\n");
	}

	@Test
	void echoShouldReplyItsArgumentAsBulk() throws Exception {
		assertThat(run("ECHO", "x y")).isEqualTo("$3\r\nx y\r\n");
		assertThat(run("ECHO", "")).isEqualTo("$0\r\n\r\n");
		assertThat(run("ECHO")).isEqualTo("-ERR wrong number of arguments for 'echo' command\r\n");
	}

	@Test
	void commandNameShouldBeMatchedIgnoringCase() throws Exception {
		assertThat(run("pInG")).isEqualTo("+PONG\r\n");
		assertThat(run("SeT", "k", "v")).isEqualTo(OK);
		assertThat(run("gEt", "k")).isEqualTo("$1\r\nv\r\n");
	}

	@Test
	void unknownCommandShouldReplyErrorWithItsFirstArguments() throws Exception {
		assertThat(run("FOO")).isEqualTo("-ERR unknown command 'FOO', with args beginning with: \r\n");
		assertThat(run("foo", "bar", "baz"))
			.isEqualTo("-ERR unknown command 'foo', with args beginning with: 'bar' 'baz' \r\n");
	}

	@Test
	void unknownCommandWhenArgumentsAreLongShouldTruncateLikeRedis() throws Exception {
		String[] request = new String[12];
		request[0] = "foo";
		for (int i = 1; i < 10; i++) {
			request[i] = "abcdefghij";
		}
		request[10] = "abcdefghijklmnop";
		request[11] = "x";
		assertThat(run(request)).isEqualTo("-ERR unknown command 'foo', with args beginning with: "
				+ "'abcdefghij' ".repeat(9) + "'abcdefghijk' \r\n");
		assertThat(run("f".repeat(200), "x")).isEqualTo(
				"-ERR unknown command '" + "f".repeat(128) + "', with args beginning with: 'x' \r\n");
		assertThat(run("foo", "a".repeat(200)))
			.isEqualTo("-ERR unknown command 'foo', with args beginning with: '" + "a".repeat(128) + "' \r\n");
	}

	@Test
	void unknownCommandWhenNameHasLineBreaksShouldKeepReplyOnOneLine() throws Exception {
		assertThat(run("a\r\nb")).isEqualTo("-ERR unknown command 'a  b', with args beginning with: \r\n");
	}

	@Test
	void quitShouldReplyOkAndCloseSession() throws Exception {
		assertThat(run("QUIT")).isEqualTo(OK);
		assertThat(this.session.isClosing()).isTrue();
	}

	@Test
	void selectShouldAcceptOnlyDatabaseZero() throws Exception {
		assertThat(run("SELECT", "0")).isEqualTo(OK);
		assertThat(run("SELECT", "1")).isEqualTo("-ERR DB index is out of range\r\n");
		assertThat(run("SELECT", "-1")).isEqualTo("-ERR DB index is out of range\r\n");
		assertThat(run("SELECT", "x")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("SELECT", "99999999999"))
			.isEqualTo("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n");
		assertThat(run("SELECT")).isEqualTo("-ERR wrong number of arguments for 'select' command\r\n");
	}

	@Test
	void helloWhenProtocolTwoShouldReplyServerMapAsFlatArray() throws Exception {
		assertThat(run("HELLO")).isEqualTo(HELLO_2);
		assertThat(run("HELLO", "2")).isEqualTo(HELLO_2);
		assertThat(run("HELLO", "2", "AUTH", "default", "secret")).isEqualTo(HELLO_2);
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP2);
	}

	@Test
	void helloWhenProtocolThreeShouldReplyMapAndSwitchConnectionToRespThree() throws Exception {
		assertThat(run("HELLO", "3")).isEqualTo(HELLO_3);
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP3);
		assertThat(run("GET", "missing")).isEqualTo("_\r\n");
		assertThat(run("HELLO")).isEqualTo(HELLO_3);
		assertThat(run("HELLO", "2")).isEqualTo(HELLO_2);
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP2);
		assertThat(run("GET", "missing")).isEqualTo(NIL);
	}

	@Test
	void helloWhenAuthIsForDefaultUserShouldAcceptAnyPassword() throws Exception {
		assertThat(run("HELLO", "3", "AUTH", "default", "anything", "SETNAME", "app")).isEqualTo(HELLO_3);
		assertThat(run("CLIENT", "GETNAME")).isEqualTo("$3\r\napp\r\n");
		assertThat(run("HELLO", "2", "auth", "default", "")).isEqualTo(HELLO_2);
	}

	@Test
	void helloWhenAuthIsForAnotherUserShouldReplyWrongpassAndKeepProtocolAndName() throws Exception {
		assertThat(run("HELLO", "3", "AUTH", "admin", "secret", "SETNAME", "app")).isEqualTo(WRONGPASS);
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP2);
		assertThat(run("CLIENT", "GETNAME")).isEqualTo(NIL);
	}

	@Test
	void helloWhenSetnameShouldNameConnection() throws Exception {
		assertThat(run("HELLO", "2", "SETNAME", "app")).isEqualTo(HELLO_2);
		assertThat(run("CLIENT", "GETNAME")).isEqualTo("$3\r\napp\r\n");
		assertThat(run("HELLO", "3", "SETNAME", "a b"))
			.isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP2);
		assertThat(run("HELLO", "3", "SETNAME", "first", "SETNAME", "second")).isEqualTo(HELLO_3);
		assertThat(run("CLIENT", "GETNAME")).isEqualTo("$6\r\nsecond\r\n");
	}

	@Test
	void helloWhenProtocolIsNotSpokenShouldReplyNoprotoAndKeepProtocol() throws Exception {
		run("HELLO", "3");
		for (String version : new String[] { "1", "4", "0", "-1", "9223372036854775807" }) {
			assertThat(run("HELLO", version)).as(version).isEqualTo("-NOPROTO unsupported protocol version\r\n");
		}
		assertThat(run("HELLO", "x")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
		assertThat(run("HELLO", "3.0")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
		assertThat(run("HELLO", "AUTH", "default", "x"))
			.isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP3);
	}

	@Test
	void helloWhenOptionIsInvalidShouldReplySyntaxError() throws Exception {
		assertThat(run("HELLO", "2", "FOO")).isEqualTo("-ERR Syntax error in HELLO option 'FOO'\r\n");
		assertThat(run("HELLO", "2", "SETNAME")).isEqualTo("-ERR Syntax error in HELLO option 'SETNAME'\r\n");
		assertThat(run("HELLO", "3", "AUTH", "default")).isEqualTo("-ERR Syntax error in HELLO option 'AUTH'\r\n");
		assertThat(this.session.protocol()).isEqualTo(RespProtocol.RESP2);
	}

	@Test
	void authShouldAcceptOnlyTheDefaultUserLikeRedisWithoutPassword() throws Exception {
		assertThat(run("AUTH", "default", "anything")).isEqualTo(OK);
		assertThat(run("AUTH", "admin", "secret")).isEqualTo(WRONGPASS);
		assertThat(run("AUTH", "secret")).isEqualTo("-ERR AUTH <password> called without any password configured "
				+ "for the default user. Are you sure your configuration is correct?\r\n");
		assertThat(run("AUTH", "default", "x", "y")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("AUTH")).isEqualTo("-ERR wrong number of arguments for 'auth' command\r\n");
	}

	@Test
	void repliesWhenProtocolIsThreeShouldUseNullsMapsAndVerbatimStringsLikeRedis() throws Exception {
		run("HELLO", "3");
		run("SET", "a", "1");
		assertThat(run("MGET", "a", "missing")).isEqualTo("*2\r\n$1\r\n1\r\n_\r\n");
		assertThat(run("SET", "a", "2", "NX")).isEqualTo("_\r\n");
		assertThat(run("CLIENT", "GETNAME")).isEqualTo("_\r\n");
		assertThat(run("CONFIG", "GET", "save", "appendonly"))
			.isEqualTo("%2\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
		assertThat(run("COMMAND", "DOCS")).isEqualTo("%0\r\n");
		this.info.put("connections", "3");
		assertThat(run("INFO", "glidesocket")).isEqualTo("=34\r\ntxt:# Glidesocket\r\nconnections:3\r\n\r\n");
		assertThat(run("INCR", "a")).isEqualTo(":2\r\n");
		assertThat(run("PING")).isEqualTo("+PONG\r\n");
	}

	@Test
	void configGetShouldReplyNameValuePairs() throws Exception {
		assertThat(run("CONFIG", "GET", "save")).isEqualTo("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
		assertThat(run("CONFIG", "GET", "appendonly")).isEqualTo("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
		assertThat(run("CONFIG", "GET", "save", "appendonly"))
			.isEqualTo("*4\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
		assertThat(run("CONFIG", "GET", "SAVE")).isEqualTo("*2\r\n$4\r\nSAVE\r\n$0\r\n\r\n");
		assertThat(run("CONFIG", "GET", "save", "SAVE", "sa*")).isEqualTo("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
		assertThat(run("CONFIG", "GET", "*")).isEqualTo(
				"*6\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$2\r\nno\r\n$9\r\ndatabases\r\n$1\r\n1\r\n");
		assertThat(run("CONFIG", "GET", "append?nly")).isEqualTo("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
		assertThat(run("CONFIG", "GET", "nosuch")).isEqualTo("*0\r\n");
	}

	@Test
	void configWhenSubcommandIsUnknownOrArityWrongShouldReplyError() throws Exception {
		assertThat(run("CONFIG")).isEqualTo("-ERR wrong number of arguments for 'config' command\r\n");
		assertThat(run("CONFIG", "GET")).isEqualTo("-ERR wrong number of arguments for 'config|get' command\r\n");
		assertThat(run("CONFIG", "SET", "save", "")).isEqualTo("-ERR unknown subcommand 'SET'. Try CONFIG HELP.\r\n");
	}

	@Test
	void commandShouldReplyEmptyTablesForClients() throws Exception {
		assertThat(run("COMMAND")).isEqualTo("*0\r\n");
		assertThat(run("COMMAND", "DOCS")).isEqualTo("*0\r\n");
		assertThat(run("COMMAND", "DOCS", "get", "set")).isEqualTo("*0\r\n");
		assertThat(run("COMMAND", "COUNT")).isEqualTo(":38\r\n");
		assertThat(run("COMMAND", "COUNT", "x"))
			.isEqualTo("-ERR wrong number of arguments for 'command|count' command\r\n");
		assertThat(run("COMMAND", "FOO")).isEqualTo("-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
	}

	@Test
	void infoShouldReplyServerGlidesocketAndKeyspaceSections() throws Exception {
		this.info.put("socket_path", "/run/app.sock");
		this.info.put("references", "2");
		run("SET", "a", "1", "EX", "100");
		run("SET", "b", "2");
		this.clock.advance(Duration.ofSeconds(90_000));
		String reply = run("INFO");
		assertThat(reply).startsWith("$");
		String body = bulkBody(reply);
		assertThat(body).startsWith("# Server\r\nredis_version:7.2.0\r\nredis_mode:standalone\r\n")
			.contains("\r\nprocess_id:" + ProcessHandle.current().pid() + "\r\n")
			.contains("\r\nuptime_in_seconds:90000\r\nuptime_in_days:1\r\n")
			.contains("\r\n\r\n# Glidesocket\r\nsocket_path:/run/app.sock\r\nreferences:2\r\n\r\n")
			.endsWith("\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
	}

	@Test
	void infoStatsShouldCountCommandsRunAndErrorReplies() throws Exception {
		run("PING");
		run("SET", "s", "abc");
		run("FOO");
		run("GET");
		run("INCR", "s");
		run("CLIENT", "NOSUCH");
		assertThat(bulkBody(run("INFO", "stats")))
			.isEqualTo("# Stats\r\ntotal_commands_processed:4\r\ntotal_error_replies:4\r\n");
		assertThat(bulkBody(run("INFO", "stats")))
			.isEqualTo("# Stats\r\ntotal_commands_processed:5\r\ntotal_error_replies:4\r\n");
	}

	@Test
	void infoClientsShouldCountOpenConnections() throws Exception {
		assertThat(bulkBody(run("INFO", "clients"))).isEqualTo("# Clients\r\nconnected_clients:1\r\n");
		CommandRunner other = this.connection.connect(7);
		assertThat(bulkBody(run("INFO", "clients"))).isEqualTo("# Clients\r\nconnected_clients:2\r\n");
		other.disconnect();
		assertThat(bulkBody(run("INFO", "clients"))).isEqualTo("# Clients\r\nconnected_clients:1\r\n");
	}

	@Test
	void infoWhenSectionGivenShouldReplyOnlyThatSection() throws Exception {
		this.info.put("connections", "3");
		assertThat(bulkBody(run("INFO", "glidesocket"))).isEqualTo("# Glidesocket\r\nconnections:3\r\n");
		assertThat(bulkBody(run("INFO", "KEYSPACE"))).isEqualTo("# Keyspace\r\n");
		assertThat(bulkBody(run("INFO", "keyspace", "glidesocket")))
			.isEqualTo("# Glidesocket\r\nconnections:3\r\n\r\n# Keyspace\r\n");
		assertThat(run("INFO", "nosuch")).isEqualTo("$0\r\n\r\n");
		assertThat(bulkBody(run("INFO", "all"))).startsWith("# Server\r\n");
	}

	@Test
	void infoWhenSuppliedFieldsHaveLineBreaksOrColonsShouldKeepOneFieldPerLine() throws Exception {
		this.info.put("a:b", "x\r\ny");
		this.info.put("unicode", "caf\u00e9 \u2713");
		assertThat(bulkBody(run("INFO", "glidesocket")))
			.isEqualTo("# Glidesocket\r\na_b:x  y\r\nunicode:caf\u00e9 \u2713\r\n");
	}

	@Test
	void infoWhenNoInfoSuppliedShouldReplyEmptyGlidesocketSection() throws Exception {
		assertThat(bulkBody(run("INFO", "glidesocket"))).isEqualTo("# Glidesocket\r\n");
	}

	private String run(String... arguments) throws Exception {
		return this.connection.run(arguments);
	}

	private static String bulkBody(String reply) {
		int headerEnd = reply.indexOf("\r\n");
		int length = Integer.parseInt(reply.substring(1, headerEnd));
		byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
		assertThat(bytes).hasSize(headerEnd + 2 + length + 2);
		return new String(bytes, headerEnd + 2, length, StandardCharsets.UTF_8);
	}

}
