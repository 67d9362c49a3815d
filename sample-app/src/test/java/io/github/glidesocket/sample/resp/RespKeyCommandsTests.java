package io.github.glidesocket.sample.resp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RespKeyCommands}, run through {@link RespCommands} as a connection runs them.
 * Expected replies are those of Redis 7 for the same requests.
 */
class RespKeyCommandsTests {

	private static final String OK = "+OK\r\n";

	private static final String NIL = "$-1\r\n";

	private static final String NOT_AN_INTEGER = "-ERR value is not an integer or out of range\r\n";

	private final CommandRunner connection = new CommandRunner();

	private final MutableClock clock = this.connection.clock;

	@Test
	void setAndGetShouldStoreValue() throws Exception {
		assertThat(run("SET", "k", "v")).isEqualTo(OK);
		assertThat(run("GET", "k")).isEqualTo("$1\r\nv\r\n");
		assertThat(run("GET", "missing")).isEqualTo(NIL);
	}

	@Test
	void setWhenNxOrXxIsNotSatisfiedShouldReplyNil() throws Exception {
		assertThat(run("SET", "k", "v", "NX")).isEqualTo(OK);
		assertThat(run("SET", "k", "w", "nx")).isEqualTo(NIL);
		assertThat(run("SET", "k", "w", "XX")).isEqualTo(OK);
		assertThat(run("GET", "k")).isEqualTo("$1\r\nw\r\n");
		assertThat(run("SET", "other", "v", "xx")).isEqualTo(NIL);
		assertThat(run("GET", "other")).isEqualTo(NIL);
	}

	@Test
	void setWhenExpiryGivenShouldExpireKeyAfterIt() throws Exception {
		assertThat(run("SET", "seconds", "v", "EX", "10")).isEqualTo(OK);
		assertThat(run("SET", "millis", "v", "px", "1500", "nx")).isEqualTo(OK);
		this.clock.advance(Duration.ofMillis(1501));
		assertThat(run("GET", "millis")).isEqualTo(NIL);
		assertThat(run("GET", "seconds")).isEqualTo("$1\r\nv\r\n");
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(run("GET", "seconds")).isEqualTo(NIL);
	}

	@Test
	void setWhenOptionsAreInvalidShouldReplySyntaxError() throws Exception {
		String syntaxError = "-ERR syntax error\r\n";
		assertThat(run("SET", "k", "v", "NX", "XX")).isEqualTo(syntaxError);
		assertThat(run("SET", "k", "v", "XX", "NX")).isEqualTo(syntaxError);
		assertThat(run("SET", "k", "v", "EX")).isEqualTo(syntaxError);
		assertThat(run("SET", "k", "v", "EX", "10", "PX", "10")).isEqualTo(syntaxError);
		assertThat(run("SET", "k", "v", "FOO")).isEqualTo(syntaxError);
		assertThat(run("SET", "k", "v", "EX", "abc", "NX", "XX")).isEqualTo(syntaxError);
		assertThat(run("SET", "k")).isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
		assertThat(run("GET", "k")).isEqualTo(NIL);
	}

	@Test
	void setWhenExpiryIsInvalidShouldReplyError() throws Exception {
		String invalidExpiry = "-ERR invalid expire time in 'set' command\r\n";
		assertThat(run("SET", "k", "v", "EX", "0")).isEqualTo(invalidExpiry);
		assertThat(run("SET", "k", "v", "PX", "-1")).isEqualTo(invalidExpiry);
		assertThat(run("SET", "k", "v", "EX", "9223372036854775807")).isEqualTo(invalidExpiry);
		assertThat(run("SET", "k", "v", "EX", "9223372036854775")).isEqualTo(invalidExpiry);
		assertThat(run("SET", "k", "v", "PX", "9223372036854775807")).isEqualTo(invalidExpiry);
		assertThat(run("SET", "k", "v", "PX", "abc")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("SET", "k", "v", "EX", "1.5")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("GET", "k")).isEqualTo(NIL);
	}

	@Test
	void getWhenArityIsWrongShouldReplyError() throws Exception {
		assertThat(run("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
		assertThat(run("GET", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
	}

	@Test
	void delShouldCountRemovedKeys() throws Exception {
		run("MSET", "a", "1", "b", "2");
		assertThat(run("DEL", "a", "b", "c", "a")).isEqualTo(":2\r\n");
		assertThat(run("DEL", "a")).isEqualTo(":0\r\n");
		assertThat(run("DEL")).isEqualTo("-ERR wrong number of arguments for 'del' command\r\n");
	}

	@Test
	void existsShouldCountEachKeyAsOftenAsGiven() throws Exception {
		run("SET", "a", "1");
		assertThat(run("EXISTS", "a", "a", "b")).isEqualTo(":2\r\n");
		assertThat(run("EXISTS")).isEqualTo("-ERR wrong number of arguments for 'exists' command\r\n");
	}

	@Test
	void incrAndDecrShouldChangeValueByOne() throws Exception {
		run("SET", "n", "10");
		assertThat(run("INCR", "n")).isEqualTo(":11\r\n");
		assertThat(run("DECR", "n")).isEqualTo(":10\r\n");
		assertThat(run("INCR", "missing")).isEqualTo(":1\r\n");
		assertThat(run("DECR", "missing2")).isEqualTo(":-1\r\n");
		assertThat(run("GET", "n")).isEqualTo("$2\r\n10\r\n");
	}

	@Test
	void incrWhenValueIsNotAnIntegerShouldReplyError() throws Exception {
		for (String value : new String[] { "abc", "007", " 1", "+1", "-0", "1.0", "" }) {
			run("SET", "s", value);
			assertThat(run("INCR", "s")).as(value).isEqualTo(NOT_AN_INTEGER);
			assertThat(run("DECR", "s")).as(value).isEqualTo(NOT_AN_INTEGER);
		}
	}

	@Test
	void incrWhenValueWouldOverflowShouldReplyError() throws Exception {
		run("SET", "max", "9223372036854775807");
		assertThat(run("INCR", "max")).isEqualTo("-ERR increment or decrement would overflow\r\n");
		run("SET", "min", "-9223372036854775808");
		assertThat(run("DECR", "min")).isEqualTo("-ERR increment or decrement would overflow\r\n");
		assertThat(run("GET", "max")).isEqualTo("$19\r\n9223372036854775807\r\n");
	}

	@Test
	void msetAndMgetShouldHandleSeveralKeys() throws Exception {
		assertThat(run("MSET", "a", "1", "b", "2")).isEqualTo(OK);
		assertThat(run("MGET", "a", "b", "c")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
		assertThat(run("MSET", "a")).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
		assertThat(run("MSET", "a", "1", "b")).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
		assertThat(run("MGET")).isEqualTo("-ERR wrong number of arguments for 'mget' command\r\n");
	}

	@Test
	void msetShouldClearExpiry() throws Exception {
		run("SET", "a", "1", "PX", "10");
		run("MSET", "a", "2");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(run("GET", "a")).isEqualTo("$1\r\n2\r\n");
	}

	@Test
	void dbsizeAndFlushallShouldCountAndRemoveKeys() throws Exception {
		run("MSET", "a", "1", "b", "2");
		run("SET", "c", "3", "PX", "5");
		this.clock.advance(Duration.ofMillis(6));
		assertThat(run("DBSIZE")).isEqualTo(":2\r\n");
		assertThat(run("FLUSHALL")).isEqualTo(OK);
		assertThat(run("DBSIZE")).isEqualTo(":0\r\n");
		assertThat(run("FLUSHALL", "ASYNC")).isEqualTo(OK);
		assertThat(run("FLUSHALL", "sync")).isEqualTo(OK);
		assertThat(run("FLUSHALL", "foo")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("FLUSHALL", "a", "b")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("DBSIZE", "x")).isEqualTo("-ERR wrong number of arguments for 'dbsize' command\r\n");
	}

	@Test
	void incrbyAndDecrbyShouldAddAndSubtractGivenAmount() throws Exception {
		run("SET", "n", "10");
		assertThat(run("INCRBY", "n", "5")).isEqualTo(":15\r\n");
		assertThat(run("DECRBY", "n", "20")).isEqualTo(":-5\r\n");
		assertThat(run("INCRBY", "n", "-5")).isEqualTo(":-10\r\n");
		assertThat(run("INCRBY", "new", "3")).isEqualTo(":3\r\n");
		assertThat(run("DECRBY", "other", "3")).isEqualTo(":-3\r\n");
		assertThat(run("GET", "n")).isEqualTo("$3\r\n-10\r\n");
	}

	@Test
	void incrbyAndDecrbyWhenAmountOrValueIsNotAnIntegerShouldReplyError() throws Exception {
		run("SET", "n", "10");
		run("SET", "s", "abc");
		for (String amount : new String[] { "x", "1.5", "", "+1", "99999999999999999999" }) {
			assertThat(run("INCRBY", "n", amount)).as(amount).isEqualTo(NOT_AN_INTEGER);
			assertThat(run("DECRBY", "n", amount)).as(amount).isEqualTo(NOT_AN_INTEGER);
		}
		assertThat(run("INCRBY", "s", "1")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("GET", "n")).isEqualTo("$2\r\n10\r\n");
	}

	@Test
	void incrbyAndDecrbyWhenResultWouldOverflowShouldReplyError() throws Exception {
		run("SET", "n", "1");
		assertThat(run("INCRBY", "n", "9223372036854775807"))
			.isEqualTo("-ERR increment or decrement would overflow\r\n");
		assertThat(run("DECRBY", "n", "-9223372036854775808")).isEqualTo("-ERR decrement would overflow\r\n");
		assertThat(run("INCRBY", "n", "-9223372036854775808")).isEqualTo(":-9223372036854775807\r\n");
		assertThat(run("DECRBY", "n", "2")).isEqualTo("-ERR increment or decrement would overflow\r\n");
	}

	@Test
	void incrbyAndDecrbyWhenArityIsWrongShouldReplyError() throws Exception {
		assertThat(run("INCRBY", "n")).isEqualTo("-ERR wrong number of arguments for 'incrby' command\r\n");
		assertThat(run("INCRBY", "n", "1", "2"))
			.isEqualTo("-ERR wrong number of arguments for 'incrby' command\r\n");
		assertThat(run("DECRBY", "n")).isEqualTo("-ERR wrong number of arguments for 'decrby' command\r\n");
	}

	@Test
	void setnxShouldSetOnlyAnAbsentKeyAndReplyWhetherItDid() throws Exception {
		assertThat(run("SETNX", "k", "first")).isEqualTo(":1\r\n");
		assertThat(run("SETNX", "k", "second")).isEqualTo(":0\r\n");
		assertThat(run("GET", "k")).isEqualTo("$5\r\nfirst\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
		assertThat(run("SETNX", "k")).isEqualTo("-ERR wrong number of arguments for 'setnx' command\r\n");
	}

	@Test
	void getsetShouldReplyOldValueAndClearExpiry() throws Exception {
		assertThat(run("GETSET", "k", "first")).isEqualTo(NIL);
		run("EXPIRE", "k", "100");
		assertThat(run("GETSET", "k", "second")).isEqualTo("$5\r\nfirst\r\n");
		assertThat(run("GET", "k")).isEqualTo("$6\r\nsecond\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
		assertThat(run("GETSET", "k")).isEqualTo("-ERR wrong number of arguments for 'getset' command\r\n");
	}

	@Test
	void getdelShouldReplyValueAndRemoveKey() throws Exception {
		run("SET", "k", "v");
		assertThat(run("GETDEL", "k")).isEqualTo("$1\r\nv\r\n");
		assertThat(run("GETDEL", "k")).isEqualTo(NIL);
		assertThat(run("EXISTS", "k")).isEqualTo(":0\r\n");
		assertThat(run("GETDEL")).isEqualTo("-ERR wrong number of arguments for 'getdel' command\r\n");
	}

	@Test
	void appendAndStrlenShouldBuildValueAndMeasureIt() throws Exception {
		assertThat(run("APPEND", "k", "Hello")).isEqualTo(":5\r\n");
		assertThat(run("APPEND", "k", " World")).isEqualTo(":11\r\n");
		assertThat(run("GET", "k")).isEqualTo("$11\r\nHello World\r\n");
		assertThat(run("STRLEN", "k")).isEqualTo(":11\r\n");
		assertThat(run("STRLEN", "missing")).isEqualTo(":0\r\n");
		assertThat(run("APPEND", "k")).isEqualTo("-ERR wrong number of arguments for 'append' command\r\n");
		assertThat(run("STRLEN")).isEqualTo("-ERR wrong number of arguments for 'strlen' command\r\n");
	}

	@Test
	void appendShouldKeepExpiry() throws Exception {
		run("SET", "k", "a", "EX", "100");
		assertThat(run("APPEND", "k", "b")).isEqualTo(":2\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":100\r\n");
	}

	@Test
	void appendWhenValueWouldOutgrowLongestRequestValueShouldReplyError() throws Exception {
		CommandRunner strict = new CommandRunner(new RespLimits(8, 64, 64));
		assertThat(strict.run("APPEND", "k", "12345")).isEqualTo(":5\r\n");
		assertThat(strict.run("APPEND", "k", "6789"))
			.isEqualTo("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
		assertThat(strict.run("APPEND", "k", "678")).isEqualTo(":8\r\n");
		assertThat(strict.run("GET", "k")).isEqualTo("$8\r\n12345678\r\n");
	}

	@Test
	void typeShouldReplyStringOrNone() throws Exception {
		run("SET", "k", "v");
		assertThat(run("TYPE", "k")).isEqualTo("+string\r\n");
		assertThat(run("TYPE", "missing")).isEqualTo("+none\r\n");
		assertThat(run("TYPE")).isEqualTo("-ERR wrong number of arguments for 'type' command\r\n");
	}

	@Test
	void unlinkShouldRemoveKeysLikeDel() throws Exception {
		run("MSET", "a", "1", "b", "2");
		assertThat(run("UNLINK", "a", "b", "c")).isEqualTo(":2\r\n");
		assertThat(run("EXISTS", "a", "b")).isEqualTo(":0\r\n");
	}

	@Test
	void expireAndTtlShouldSetAndReportTimeLeft() throws Exception {
		run("SET", "k", "v");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
		assertThat(run("PTTL", "k")).isEqualTo(":-1\r\n");
		assertThat(run("EXPIRE", "k", "100")).isEqualTo(":1\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":100\r\n");
		assertThat(run("PTTL", "k")).isEqualTo(":100000\r\n");
		this.clock.advance(Duration.ofMillis(1499));
		assertThat(run("TTL", "k")).isEqualTo(":99\r\n");
		assertThat(run("PTTL", "k")).isEqualTo(":98501\r\n");
		this.clock.advance(Duration.ofMillis(98_501));
		assertThat(run("TTL", "k")).isEqualTo(":0\r\n");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(run("GET", "k")).isEqualTo(NIL);
		assertThat(run("TTL", "k")).isEqualTo(":-2\r\n");
		assertThat(run("PTTL", "k")).isEqualTo(":-2\r\n");
		assertThat(run("EXPIRE", "k", "100")).isEqualTo(":0\r\n");
	}

	@Test
	void pexpireExpireatAndPexpireatShouldSetExpiryInTheirUnits() throws Exception {
		long nowMillis = this.connection.store.currentTimeMillis();
		run("MSET", "a", "1", "b", "2", "c", "3");
		assertThat(run("PEXPIRE", "a", "1500")).isEqualTo(":1\r\n");
		assertThat(run("PTTL", "a")).isEqualTo(":1500\r\n");
		assertThat(run("TTL", "a")).isEqualTo(":2\r\n");
		assertThat(run("EXPIREAT", "b", Long.toString(nowMillis / 1000 + 10))).isEqualTo(":1\r\n");
		assertThat(run("TTL", "b")).isEqualTo(":10\r\n");
		assertThat(run("PEXPIREAT", "c", Long.toString(nowMillis + 250))).isEqualTo(":1\r\n");
		assertThat(run("PTTL", "c")).isEqualTo(":250\r\n");
		assertThat(run("PEXPIREAT", "missing", Long.toString(nowMillis + 250))).isEqualTo(":0\r\n");
	}

	@Test
	void expireWhenTimeIsNotInTheFutureShouldRemoveKey() throws Exception {
		run("MSET", "a", "1", "b", "2", "c", "3");
		assertThat(run("EXPIRE", "a", "0")).isEqualTo(":1\r\n");
		assertThat(run("PEXPIRE", "b", "-5")).isEqualTo(":1\r\n");
		assertThat(run("EXPIREAT", "c", "1")).isEqualTo(":1\r\n");
		assertThat(run("EXISTS", "a", "b", "c")).isEqualTo(":0\r\n");
		assertThat(run("DBSIZE")).isEqualTo(":0\r\n");
	}

	@Test
	void expireWhenOptionsGivenShouldChangeExpiryOnlyWhenTheyHold() throws Exception {
		run("SET", "k", "v");
		assertThat(run("EXPIRE", "k", "10", "XX")).isEqualTo(":0\r\n");
		assertThat(run("EXPIRE", "k", "10", "GT")).isEqualTo(":0\r\n");
		assertThat(run("EXPIRE", "k", "100", "NX")).isEqualTo(":1\r\n");
		assertThat(run("EXPIRE", "k", "50", "NX")).isEqualTo(":0\r\n");
		assertThat(run("EXPIRE", "k", "200", "GT")).isEqualTo(":1\r\n");
		assertThat(run("EXPIRE", "k", "150", "gt")).isEqualTo(":0\r\n");
		assertThat(run("EXPIRE", "k", "10", "LT")).isEqualTo(":1\r\n");
		assertThat(run("EXPIRE", "k", "20", "xx", "lt")).isEqualTo(":0\r\n");
		assertThat(run("EXPIRE", "k", "5", "XX", "LT")).isEqualTo(":1\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":5\r\n");
		assertThat(run("PERSIST", "k")).isEqualTo(":1\r\n");
		assertThat(run("EXPIRE", "k", "1000", "LT")).isEqualTo(":1\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":1000\r\n");
	}

	@Test
	void expireWhenOptionsAreInvalidShouldReplyErrorBeforeLookingAtTime() throws Exception {
		run("SET", "k", "v");
		assertThat(run("EXPIRE", "k", "10", "FOO")).isEqualTo("-ERR Unsupported option FOO\r\n");
		assertThat(run("EXPIRE", "k", "abc", "FOO")).isEqualTo("-ERR Unsupported option FOO\r\n");
		assertThat(run("EXPIRE", "k", "10", "NX", "XX"))
			.isEqualTo("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
		assertThat(run("PEXPIRE", "k", "10", "NX", "GT"))
			.isEqualTo("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
		assertThat(run("EXPIRE", "k", "10", "GT", "LT"))
			.isEqualTo("-ERR GT and LT options at the same time are not compatible\r\n");
		assertThat(run("EXPIRE", "k", "abc")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("EXPIRE", "k", "1.5")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("EXPIRE", "k")).isEqualTo("-ERR wrong number of arguments for 'expire' command\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
	}

	@Test
	void expireWhenTimeIsOutOfRangeShouldReplyInvalidExpireTime() throws Exception {
		run("SET", "k", "v");
		assertThat(run("EXPIRE", "k", "9223372036854775807"))
			.isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
		assertThat(run("EXPIRE", "k", "922337203685477580"))
			.isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
		assertThat(run("EXPIRE", "k", "-9223372036854775808"))
			.isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
		assertThat(run("PEXPIRE", "k", "9223372036854775807"))
			.isEqualTo("-ERR invalid expire time in 'pexpire' command\r\n");
		assertThat(run("EXPIREAT", "k", "9223372036854775807"))
			.isEqualTo("-ERR invalid expire time in 'expireat' command\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
		assertThat(run("PEXPIREAT", "k", "9223372036854775807")).isEqualTo(":1\r\n");
		assertThat(run("TTL", "k")).isNotEqualTo(":-1\r\n");
		assertThat(run("EXISTS", "k")).isEqualTo(":1\r\n");
	}

	@Test
	void persistShouldRemoveExpiry() throws Exception {
		run("SET", "k", "v", "EX", "10");
		assertThat(run("PERSIST", "k")).isEqualTo(":1\r\n");
		assertThat(run("PERSIST", "k")).isEqualTo(":0\r\n");
		assertThat(run("PERSIST", "missing")).isEqualTo(":0\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
	}

	@Test
	void keysShouldReplyKeysMatchingPattern() throws Exception {
		run("MSET", "user:1", "a", "user:2", "b", "order:1", "c");
		assertThat(arrayOfBulks(run("KEYS", "user:*"))).containsExactlyInAnyOrder("user:1", "user:2");
		assertThat(arrayOfBulks(run("KEYS", "*:1"))).containsExactlyInAnyOrder("user:1", "order:1");
		assertThat(arrayOfBulks(run("KEYS", "user:[^1]"))).containsExactly("user:2");
		assertThat(run("KEYS", "nothing*")).isEqualTo("*0\r\n");
		assertThat(run("KEYS")).isEqualTo("-ERR wrong number of arguments for 'keys' command\r\n");
	}

	@Test
	void scanWhenFollowedToCursorZeroShouldReplyEveryMatchingKeyOnce() throws Exception {
		Set<String> expected = new HashSet<>();
		for (int i = 0; i < 300; i++) {
			run("SET", "user:" + i, "v");
			run("SET", "order:" + i, "v");
			expected.add("user:" + i);
		}
		List<String> returned = new ArrayList<>();
		String cursor = "0";
		int steps = 0;
		do {
			String reply = run("SCAN", cursor, "MATCH", "user:*", "COUNT", "20");
			assertThat(reply).startsWith("*2\r\n$");
			List<String> parts = List.of(reply.split("\r\n", 4));
			cursor = parts.get(2);
			returned.addAll(arrayOfBulks(parts.get(3)));
			steps++;
		}
		while (!cursor.equals("0"));
		assertThat(returned).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
		assertThat(steps).isGreaterThan(1);
	}

	@Test
	void scanWhenCountIsLargeShouldReplyEveryKeyAndCursorZero() throws Exception {
		run("MSET", "a", "1", "b", "2");
		String reply = run("SCAN", "0", "COUNT", "1000", "TYPE", "STRING");
		assertThat(reply).startsWith("*2\r\n$1\r\n0\r\n*2\r\n");
		assertThat(arrayOfBulks(reply.substring("*2\r\n$1\r\n0\r\n".length()))).containsExactlyInAnyOrder("a", "b");
		assertThat(run("SCAN", "0", "COUNT", "1000", "TYPE", "hash")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
		assertThat(run("SCAN", "0", "MATCH", "x", "MATCH", "a", "COUNT", "1000"))
			.isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
	}

	@Test
	void scanWhenCursorWasNeverReturnedShouldEndIteration() throws Exception {
		run("SET", "k", "v");
		assertThat(run("SCAN", "18446744073709551615")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
		assertThat(run("SCAN", Integer.toString(RespStore.SHARDS))).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
	}

	@Test
	void scanWhenArgumentsAreInvalidShouldReplyRedisErrors() throws Exception {
		assertThat(run("SCAN", "abc")).isEqualTo("-ERR invalid cursor\r\n");
		assertThat(run("SCAN", "18446744073709551616")).isEqualTo("-ERR invalid cursor\r\n");
		assertThat(run("SCAN", "0", "COUNT", "0")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("SCAN", "0", "COUNT", "-1")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("SCAN", "0", "COUNT", "abc")).isEqualTo(NOT_AN_INTEGER);
		assertThat(run("SCAN", "0", "MATCH")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("SCAN", "0", "FOO", "bar")).isEqualTo("-ERR syntax error\r\n");
		assertThat(run("SCAN")).isEqualTo("-ERR wrong number of arguments for 'scan' command\r\n");
	}

	@Test
	void repliesWhenProtocolIsThreeShouldUseNullForMissingValues() throws Exception {
		run("HELLO", "3");
		assertThat(run("GETSET", "k", "v")).isEqualTo("_\r\n");
		assertThat(run("GETDEL", "missing")).isEqualTo("_\r\n");
		assertThat(run("SCAN", "0", "COUNT", "1000")).isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n");
		assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
	}

	private String run(String... arguments) throws Exception {
		return this.connection.run(arguments);
	}

	/**
	 * The bulk strings of an array reply, in order.
	 */
	private static List<String> arrayOfBulks(String reply) {
		String[] lines = reply.split("\r\n");
		assertThat(lines[0]).startsWith("*");
		int count = Integer.parseInt(lines[0].substring(1));
		List<String> elements = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			assertThat(lines[1 + 2 * i]).startsWith("$");
			elements.add(lines[2 + 2 * i]);
		}
		return elements;
	}

}
