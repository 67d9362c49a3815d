package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RespClientCommands}, run through {@link RespCommands} as connections run
 * them. Expected replies are those of Redis 7.2 for the same requests, with 0 for the fields on
 * Redis's buffers and memory and without its file descriptor.
 */
class RespClientCommandsTests {

	private static final String OK = "+OK\r\n";

	private static final String NIL = "$-1\r\n";

	private final CommandRunner connection = new CommandRunner();

	private final RespSession session = this.connection.session;

	@Test
	void clientShouldNameAndIdentifyConnection() throws Exception {
		assertThat(run("CLIENT", "ID")).isEqualTo(":42\r\n");
		assertThat(run("CLIENT", "GETNAME")).isEqualTo(NIL);
		assertThat(run("CLIENT", "SETNAME", "foo")).isEqualTo(OK);
		assertThat(run("client", "getname")).isEqualTo("$3\r\nfoo\r\n");
		assertThat(run("CLIENT", "SETNAME", "")).isEqualTo(OK);
		assertThat(run("CLIENT", "GETNAME")).isEqualTo(NIL);
		assertThat(run("CLIENT", "SETNAME", "a b"))
			.isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
	}

	@Test
	void clientSetinfoShouldAcceptLibraryNameAndVersion() throws Exception {
		assertThat(run("CLIENT", "SETINFO", "LIB-NAME", "jedis")).isEqualTo(OK);
		assertThat(run("CLIENT", "SETINFO", "lib-ver", "5.2.0")).isEqualTo(OK);
		assertThat(this.session.libraryName()).asString(StandardCharsets.US_ASCII).isEqualTo("jedis");
		assertThat(this.session.libraryVersion()).asString(StandardCharsets.US_ASCII).isEqualTo("5.2.0");
		assertThat(run("CLIENT", "SETINFO", "foo", "x")).isEqualTo("-ERR Unrecognized option 'foo'\r\n");
		assertThat(run("CLIENT", "SETINFO", "lib-name", "a b"))
			.isEqualTo("-ERR lib-name cannot contain spaces, newlines or special characters.\r\n");
	}

	@Test
	void clientWhenSubcommandIsUnknownOrArityWrongShouldReplyError() throws Exception {
		assertThat(run("CLIENT")).isEqualTo("-ERR wrong number of arguments for 'client' command\r\n");
		assertThat(run("CLIENT", "FOO")).isEqualTo("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
		assertThat(run("CLIENT", "SETNAME"))
			.isEqualTo("-ERR wrong number of arguments for 'client|setname' command\r\n");
		assertThat(run("CLIENT", "GETNAME", "x"))
			.isEqualTo("-ERR wrong number of arguments for 'client|getname' command\r\n");
		assertThat(run("CLIENT", "HELP")).startsWith("*23\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. "
				+ "Subcommands are:\r\n+ID\r\n").endsWith("+HELP\r\n+    Print this help.\r\n");
	}

	@Test
	void clientInfoShouldDescribeCallingConnectionInItsProtocol() throws Exception {
		run("CLIENT", "SETINFO", "lib-name", "Lettuce");
		run("CLIENT", "SETINFO", "lib-ver", "7.5.2");
		this.connection.clock.advance(Duration.ofSeconds(3));
		String line = "id=42 addr=/run/app.sock:0 laddr=/run/app.sock:0 name= age=3 idle=0 flags=U db=0 sub=0 "
				+ "psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 "
				+ "tot-mem=0 events=r cmd=client|info user=default redir=-1 resp=2 lib-name=Lettuce lib-ver=7.5.2\n";
		assertThat(run("CLIENT", "INFO")).isEqualTo("$" + line.length() + "\r\n" + line + "\r\n");
		run("HELLO", "3", "SETNAME", "app");
		String named = line.replace(" name= ", " name=app ").replace(" resp=2 ", " resp=3 ");
		assertThat(run("CLIENT", "INFO")).isEqualTo("=" + (named.length() + 4) + "\r\ntxt:" + named + "\r\n");
		assertThat(run("CLIENT", "INFO", "x"))
			.isEqualTo("-ERR wrong number of arguments for 'client|info' command\r\n");
	}

	@Test
	void clientListShouldDescribeEveryConnectionOldestFirst() throws Exception {
		CommandRunner older = this.connection.connect(7);
		this.connection.clock.advance(Duration.ofSeconds(5));
		older.run("PING");
		this.connection.clock.advance(Duration.ofSeconds(2));
		String list = bulkBody(run("CLIENT", "LIST"));
		assertThat(list.split("\n")).hasSize(2)
			.satisfiesExactly(
					(first) -> assertThat(first).startsWith("id=7 addr=/run/app.sock:0 ")
						.contains(" age=7 idle=2 ", " cmd=ping ", " resp=2 "),
					(second) -> assertThat(second).startsWith("id=42 ")
						.contains(" age=7 idle=0 ", " cmd=client|list "));
		older.disconnect();
		assertThat(bulkBody(run("CLIENT", "LIST"))).startsWith("id=42 ").doesNotContain("id=7 ");
	}

	@Test
	void clientListWhenFilteredShouldKeepOnlyTheConnectionsAsked() throws Exception {
		this.connection.connect(7);
		assertThat(bulkBody(run("CLIENT", "LIST", "TYPE", "normal")).split("\n")).hasSize(2);
		assertThat(bulkBody(run("CLIENT", "LIST", "type", "PUBSUB"))).isEmpty();
		assertThat(bulkBody(run("CLIENT", "LIST", "TYPE", "replica"))).isEmpty();
		assertThat(bulkBody(run("CLIENT", "LIST", "ID", "7"))).startsWith("id=7 ").doesNotContain("id=42 ");
		assertThat(bulkBody(run("CLIENT", "LIST", "ID", "7", "42", "999")).split("\n")).hasSize(2);
		assertThat(bulkBody(run("CLIENT", "LIST", "ID", "999"))).isEmpty();
		assertThat(bulkBody(run("CLIENT", "LIST", "ID", "0", "-1"))).isEmpty();
	}

	@Test
	void clientListWhenOptionsAreInvalidShouldReplyRedisErrors() throws Exception {
		assertThat(run("CLIENT", "LIST", "TYPE", "foo")).isEqualTo("-ERR Unknown client type 'foo'\r\n");
		assertThat(run("CLIENT", "LIST", "ID", "abc")).isEqualTo("-ERR Invalid client ID\r\n");
		assertThat(run("CLIENT", "LIST", "ID", "1.5")).isEqualTo("-ERR Invalid client ID\r\n");
		assertThat(run("CLIENT", "LIST", "ID", "0", "abc")).isEqualTo("-ERR Invalid client ID\r\n");
		assertThat(run("CLIENT", "LIST", "FOO")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("CLIENT", "LIST", "TYPE")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("CLIENT", "LIST", "TYPE", "normal", "x")).isEqualTo("-ERR syntax error\r\n");
	}

	@Test
	void clientListWhenProtocolIsThreeShouldReplyVerbatimString() throws Exception {
		run("HELLO", "3");
		assertThat(run("CLIENT", "LIST", "ID", "999")).isEqualTo("=4\r\ntxt:\r\n");
		assertThat(run("CLIENT", "LIST")).startsWith("=")
			.contains("\r\ntxt:id=42 ")
			.endsWith(" resp=3 lib-name= lib-ver=\n\r\n");
	}

	@Test
	void clientMaintNotificationsShouldAcceptOnOrOffWithOptions() throws Exception {
		assertThat(run("CLIENT", "MAINT_NOTIFICATIONS", "on", "moving-endpoint-type", "external-ip")).isEqualTo(OK);
		assertThat(run("CLIENT", "MAINT_NOTIFICATIONS", "ON")).isEqualTo(OK);
		assertThat(run("client", "maint_notifications", "off")).isEqualTo(OK);
		assertThat(run("CLIENT", "MAINT_NOTIFICATIONS", "maybe")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("CLIENT", "MAINT_NOTIFICATIONS", "on", "moving-endpoint-type"))
			.isEqualTo("-ERR syntax error\r\n");
		assertThat(run("CLIENT", "MAINT_NOTIFICATIONS"))
			.isEqualTo("-ERR wrong number of arguments for 'client|maint_notifications' command\r\n");
	}

	private String run(String... arguments) throws Exception {
		return this.connection.run(arguments);
	}

	private static String bulkBody(String reply) {
		int headerEnd = reply.indexOf("\r\n");
		assertThat(reply).startsWith("$");
		int length = Integer.parseInt(reply.substring(1, headerEnd));
		byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
		assertThat(bytes).hasSize(headerEnd + 2 + length + 2);
		return new String(bytes, headerEnd + 2, length, StandardCharsets.UTF_8);
	}

}
