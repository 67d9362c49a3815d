package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link RespParser}.
 */
class RespParserTests {

	@Test
	void nextWhenMultibulkRequestShouldReturnArguments() throws Exception {
		assertThat(parseAll("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")).containsExactly("[SET, key, value]");
	}

	@Test
	void nextWhenArgumentIsBinaryShouldKeepEveryByte() throws Exception {
		RespParser parser = parser("*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\0\u00ff\r\n");
		assertThat(parser.read()).isTrue();
		RespRequest request = parser.next();
		assertThat(request).isNotNull();
		assertThat(request.argument(1)).containsExactly('\r', '\n', 0, 0xFF);
	}

	@Test
	void nextWhenArgumentIsEmptyShouldReturnEmptyArgument() throws Exception {
		assertThat(parseAll("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")).containsExactly("[ECHO, ]");
	}

	@Test
	void nextWhenInlineRequestShouldSplitOnBlanks() throws Exception {
		assertThat(parseAll("SET  key\tvalue \r\n", "PING\n")).containsExactly("[SET, key, value]", "[PING]");
	}

	@Test
	void nextWhenInlineRequestHasQuotesShouldUnquoteLikeRedis() throws Exception {
		assertThat(parseAll("SET \"a b\" 'c d'\r\n", "ECHO \"\\x41\\n\\t\\q\"\r\n", "ECHO 'it\\'s'\r\n",
				"ECHO \"\"\r\n"))
			.containsExactly("[SET, a b, c d]", "[ECHO, A\n\tq]", "[ECHO, it's]", "[ECHO, ]");
	}

	@Test
	void nextWhenEmptyRequestsShouldSkipThem() throws Exception {
		assertThat(parseAll("\r\n   \r\n*0\r\n*-1\r\nPING\r\n")).containsExactly("[PING]");
	}

	@Test
	void giveBackUnparsedAfterRequestShouldReturnTheRestForLater() throws Exception {
		RespParser parser = new RespParser(RespLimits.defaults());
		ByteBuffer bytes = ByteBuffer.wrap("PING\r\n*1\r\n$4\r\nPI".getBytes(StandardCharsets.US_ASCII));
		parser.append(bytes);
		assertThat(parser.next()).hasToString("[PING]");
		assertThat(parser.giveBackUnparsed(bytes.position())).isEqualTo(10);
		assertThat(parser.next()).isNull();
		parser.append(ByteBuffer.wrap("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII)));
		assertThat(parser.next()).hasToString("[PING]");
	}

	@Test
	void giveBackUnparsedWhenOlderBytesAreUnparsedShouldFail() throws Exception {
		RespParser parser = new RespParser(RespLimits.defaults());
		parser.append(ByteBuffer.wrap("PING\r\nPI".getBytes(StandardCharsets.US_ASCII)));
		assertThat(parser.next()).hasToString("[PING]");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> parser.giveBackUnparsed(1));
	}

	@Test
	void nextWhenBatchHoldsPipelinedRequestsShouldReturnAllFromOneRead() throws Exception {
		ScriptedInputStream input = ScriptedInputStream
			.of("*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
		RespParser parser = new RespParser(input, RespLimits.defaults());
		assertThat(parser.read()).isTrue();
		List<String> requests = new ArrayList<>();
		for (RespRequest request = parser.next(); request != null; request = parser.next()) {
			requests.add(request.toString());
		}
		assertThat(requests).containsExactly("[PING]", "[PING]", "[GET, k]");
		assertThat(input.reads()).isOne();
	}

	@Test
	void nextWhenRequestIsSplitAtAnyByteShouldReturnTheSameRequests() throws Exception {
		String batch = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\nECHO \"x y\"\r\n*1\r\n$4\r\nPING\r\n";
		for (int split = 1; split < batch.length(); split++) {
			assertThat(parseAll(batch.substring(0, split), batch.substring(split))).as("split at %d", split)
				.containsExactly("[SET, key, value]", "[ECHO, x y]", "[PING]");
		}
	}

	@Test
	void nextWhenRequestArrivesByteByByteShouldReturnIt() throws Exception {
		String request = "*2\r\n$4\r\nECHO\r\n$11\r\nhello world\r\n";
		assertThat(parseAll(request.split(""))).containsExactly("[ECHO, hello world]");
	}

	@Test
	void nextWhenIncompleteShouldReturnNullUntilTheRestArrives() throws Exception {
		RespParser parser = parser("*2\r\n$3\r\nGET\r\n$1\r", "\nk\r\n");
		assertThat(parser.read()).isTrue();
		assertThat(parser.next()).isNull();
		assertThat(parser.read()).isTrue();
		assertThat(parser.next()).hasToString("[GET, k]");
		assertThat(parser.next()).isNull();
		assertThat(parser.read()).isFalse();
	}

	@Test
	void nextWhenBigArgumentArrivesInPiecesShouldGatherItExactly() throws Exception {
		byte[] value = new byte[1_000_000];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) i;
		}
		List<byte[]> chunks = new ArrayList<>();
		chunks.add(ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length + "\r\n"));
		for (int offset = 0; offset < value.length; offset += 10_000) {
			chunks.add(Arrays.copyOfRange(value, offset, Math.min(offset + 10_000, value.length)));
		}
		chunks.add(ascii("\r\nPING\r\n"));
		RespParser parser = new RespParser(new ScriptedInputStream(chunks.toArray(byte[][]::new)),
				RespLimits.defaults());
		List<byte[]> arguments = new ArrayList<>();
		while (parser.read()) {
			RespRequest request = parser.next();
			while (request != null) {
				arguments.add(request.argument(request.size() - 1));
				request = parser.next();
			}
		}
		assertThat(arguments).hasSize(2);
		assertThat(arguments.get(0)).isEqualTo(value);
		assertThat(arguments.get(1)).asString(StandardCharsets.US_ASCII).isEqualTo("PING");
	}

	@Test
	void nextWhenDeclaredBulkLengthIsOverLimitShouldFailWithoutAllocating() throws Exception {
		RespParser parser = parser("*2\r\n$3\r\nGET\r\n$2147483647\r\n");
		int allocated = parser.allocatedBytes();
		assertThat(parser.read()).isTrue();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: invalid bulk length");
		assertThat(parser.allocatedBytes()).isEqualTo(allocated);
	}

	@Test
	void nextWhenDeclaredBulkLengthIsJustOverConfiguredLimitShouldFail() throws Exception {
		RespParser parser = new RespParser(ScriptedInputStream.of("*1\r\n$11\r\n"), new RespLimits(10, 10, 100));
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: invalid bulk length");
	}

	@Test
	void nextWhenDeclaredBulkLengthIsHugeButAllowedShouldAllocateOnlyWhatArrives() throws Exception {
		RespLimits limits = new RespLimits(RespLimits.MAX_LIMIT, 10, 100);
		RespParser parser = new RespParser(
				new ScriptedInputStream(ascii("*1\r\n$2000000000\r\n"), new byte[100_000], new byte[100_000]), limits);
		while (parser.read()) {
			assertThat(parser.next()).isNull();
		}
		assertThat(parser.allocatedBytes()).isLessThan(1_000_000);
	}

	@Test
	void nextWhenDeclaredMultibulkLengthIsHugeButAllowedShouldNotAllocateForIt() throws Exception {
		RespParser parser = parser("*1048576\r\n$4\r\nPING\r\n");
		int allocated = parser.allocatedBytes();
		parser.read();
		assertThat(parser.next()).isNull();
		assertThat(parser.allocatedBytes()).isEqualTo(allocated);
	}

	@Test
	void nextWhenDeclaredMultibulkLengthIsOverLimitShouldFail() throws Exception {
		RespParser parser = new RespParser(ScriptedInputStream.of("*11\r\n"), new RespLimits(10, 10, 100));
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: invalid multibulk length");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedRequests")
	void nextWhenProtocolIsMalformedShouldFail(String input, String detail) throws Exception {
		RespParser parser = parser(input);
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: " + detail);
	}

	static Stream<Arguments> malformedRequests() {
		return Stream.of(arguments("*abc\r\n", "invalid multibulk length"),
				arguments("*\r\n", "invalid multibulk length"), arguments("*+1\r\n", "invalid multibulk length"),
				arguments("*01\r\n", "invalid multibulk length"), arguments("* 1\r\n", "invalid multibulk length"),
				arguments("*1\n$4\r\n", "invalid multibulk length"),
				arguments("*2147483648\r\n", "invalid multibulk length"),
				arguments("*99999999999999999999999\r\n", "invalid multibulk length"),
				arguments("*1\rx", "expected CRLF after length"),
				arguments("*1\r\nPING\r\n", "expected '$', got 'P'"),
				arguments("*1\r\n$abc\r\n", "invalid bulk length"),
				arguments("*1\r\n$-1\r\n", "invalid bulk length"), arguments("*1\r\n$\r\n", "invalid bulk length"),
				arguments("*1\r\n$04\r\nPING\r\n", "invalid bulk length"),
				arguments("*1\r\n$2147483648\r\n", "invalid bulk length"),
				arguments("*1\r\n$3\rx", "expected CRLF after length"),
				arguments("*1\r\n$4\r\nPINGxx", "expected CRLF after bulk data"),
				arguments("*1\r\n$4\r\nPING\n\n", "expected CRLF after bulk data"),
				arguments("\"unbalanced\r\n", "unbalanced quotes in request"),
				arguments("'unbalanced\r\n", "unbalanced quotes in request"),
				arguments("ECHO \"trailing\\\r\n", "unbalanced quotes in request"),
				arguments("SET \"a\"b c\r\n", "unbalanced quotes in request"),
				arguments("SET 'a'b c\r\n", "unbalanced quotes in request"));
	}

	@Test
	void nextWhenBigArgumentIsNotFollowedByCrlfShouldFail() throws Exception {
		RespParser parser = new RespParser(new ScriptedInputStream(ascii("*1\r\n$10000\r\n"), new byte[10_000],
				ascii("xx")), RespLimits.defaults());
		// However many reads the data takes, no request completes and the bad ending is reported.
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(() -> {
			for (int i = 0; i < 20 && parser.read(); i++) {
				assertThat(parser.next()).isNull();
			}
		}).withMessage("Protocol error: expected CRLF after bulk data");
	}

	@Test
	void nextWhenInlineRequestIsTooLongShouldFail() throws Exception {
		RespParser parser = new RespParser(ScriptedInputStream.of("PING " + "x".repeat(100)),
				new RespLimits(10, 10, 100));
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: too big inline request");
	}

	@Test
	void nextWhenCompleteInlineRequestIsTooLongShouldFail() throws Exception {
		RespParser parser = new RespParser(ScriptedInputStream.of("PING " + "x".repeat(100) + "\r\n"),
				new RespLimits(10, 10, 100));
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: too big inline request");
	}

	@Test
	void nextWhenInlineRequestIsAtLimitShouldReturnIt() throws Exception {
		String line = "ECHO " + "x".repeat(95);
		RespParser parser = new RespParser(ScriptedInputStream.of(line + "\r\n"), new RespLimits(10, 10, 100));
		parser.read();
		assertThat(parser.next()).hasToString("[ECHO, " + "x".repeat(95) + "]");
	}

	@Test
	void nextWhenLengthLineIsTooLongShouldFail() throws Exception {
		RespParser parser = new RespParser(ScriptedInputStream.of("*" + "1".repeat(101)), new RespLimits(10, 10, 100));
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: too big mbulk count string");
		parser = new RespParser(ScriptedInputStream.of("*1\r\n$" + "1".repeat(101)), new RespLimits(10, 10, 100));
		parser.read();
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: too big bulk count string");
	}

	@Test
	void readWhenManyLongInlineRequestsArriveShouldKeepTheBufferBounded() throws Exception {
		String line = "ECHO " + "x".repeat(60_000) + "\r\n";
		byte[][] chunks = new byte[50][];
		for (int i = 0; i < chunks.length; i++) {
			chunks[i] = ascii(line.substring(0, 30_000));
			chunks[++i] = ascii(line.substring(30_000));
		}
		RespParser parser = new RespParser(new ScriptedInputStream(chunks), RespLimits.defaults());
		int requests = 0;
		while (parser.read()) {
			for (RespRequest request = parser.next(); request != null; request = parser.next()) {
				requests++;
			}
			assertThat(parser.allocatedBytes()).isLessThanOrEqualTo(4 * RespLimits.DEFAULT_MAX_INLINE_LENGTH);
		}
		assertThat(requests).isEqualTo(25);
	}

	@Test
	void appendWhenPipelinedBatchIsSplitAtEveryByteBoundaryShouldParseTheSameRequests() throws Exception {
		String batch = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
				+ "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n";
		List<String> whole = appendAll(batch);
		assertThat(whole).containsExactly("[SET, k, hello]", "[PING]", "[GET, k]", "[ECHO, ]");
		for (int split = 1; split < batch.length(); split++) {
			assertThat(appendAll(batch.substring(0, split), batch.substring(split))).as("split at %d", split)
				.isEqualTo(whole);
		}
	}

	@Test
	void appendWhenBytesOutgrowTheBufferShouldTakeWhatFitsAndLeaveTheRest() throws Exception {
		String request = "*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n";
		ByteBuffer input = ByteBuffer.wrap(ascii(request.repeat(1000)));
		RespParser parser = new RespParser(RespLimits.defaults());
		int requests = 0;
		while (input.hasRemaining()) {
			int before = input.remaining();
			parser.append(input);
			assertThat(before - input.remaining()).isPositive().isLessThanOrEqualTo(RespParser.INITIAL_CAPACITY);
			for (RespRequest next = parser.next(); next != null; next = parser.next()) {
				requests++;
			}
		}
		assertThat(requests).isEqualTo(1000);
		assertThat(parser.allocatedBytes()).isEqualTo(RespParser.INITIAL_CAPACITY);
	}

	@Test
	void nextWhenBigArgumentArrivesShouldReserveAboutWhatArrivedFromTheSharedBudget() throws Exception {
		RespRequestBudget budget = new RespRequestBudget(-1);
		RespParser parser = new RespParser(RespLimits.defaults(), budget);
		appendAndParse(parser, ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10000000\r\n"));
		appendAndParse(parser, new byte[1_000_000]);
		assertThat(parser.reservedBytes()).isEqualTo(budget.reserved())
			.isBetween(1_000_000L, 2_100_000L + RespParser.RESERVATION_STEP);
		appendAndParse(parser, new byte[3_000_000]);
		assertThat(budget.reserved()).isBetween(4_000_000L, 8_400_000L + RespParser.RESERVATION_STEP);
	}

	@Test
	void nextWhenSharedBudgetIsFullShouldRefuseTheRequestThatWouldExceedIt() throws Exception {
		RespRequestBudget budget = new RespRequestBudget(3_000_000);
		RespParser first = new RespParser(RespLimits.defaults(), budget);
		RespParser second = new RespParser(RespLimits.defaults(), budget);
		byte[] header = ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n");
		appendAndParse(first, header);
		appendAndParse(first, new byte[1_500_000]);
		appendAndParse(second, header);
		assertThatExceptionOfType(RespProtocolException.class)
			.isThrownBy(() -> appendAndParse(second, new byte[1_500_000]))
			.withMessage("max buffered request bytes reached");
		assertThat(budget.reserved()).isLessThanOrEqualTo(3_000_000);
		second.close();
		assertThat(budget.reserved()).isEqualTo(first.reservedBytes());
		assertThat(appendAndParse(first, new byte[500_000], ascii("\r\n"))).containsExactly("[SET, k, ...]");
	}

	@Test
	void doneAndCloseShouldGiveBackEverythingReserved() throws Exception {
		RespRequestBudget budget = new RespRequestBudget(-1);
		RespParser parser = new RespParser(RespLimits.defaults(), budget);
		String small = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n";
		ByteBuffer input = ByteBuffer.wrap(ascii(small + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n"));
		parser.append(input);
		RespRequest request = parser.next();
		assertThat(request).hasToString("[SET, k, hello]");
		assertThat(budget.reserved()).isEqualTo(RespParser.RESERVATION_STEP);
		parser.done();
		assertThat(budget.reserved()).isZero();
		assertThat(parser.next()).isNull();
		assertThat(budget.reserved()).isPositive();
		parser.close();
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void nextWhenLongInlineLineGrowsTheBufferShouldReserveItUntilTheBufferIsEmpty() throws Exception {
		RespRequestBudget budget = new RespRequestBudget(-1);
		RespParser parser = new RespParser(RespLimits.defaults(), budget);
		String line = "ECHO " + "x".repeat(20_000) + "\r\n";
		assertThat(appendAndParse(parser, ascii(line))).hasSize(1);
		assertThat(budget.reserved()).isPositive();
		parser.done();
		assertThat(appendAndParse(parser, ascii("PING\r\n"))).containsExactly("[PING]");
		parser.done();
		assertThat(budget.reserved()).isZero();
		assertThat(parser.allocatedBytes()).isEqualTo(RespParser.INITIAL_CAPACITY + 64);
	}

	@Test
	void nextWhenLongLineDoesNotFitInTheBudgetShouldRefuseIt() throws Exception {
		RespParser parser = new RespParser(RespLimits.defaults(), new RespRequestBudget(5_000));
		assertThatExceptionOfType(RespProtocolException.class)
			.isThrownBy(() -> appendAndParse(parser, ascii("ECHO " + "x".repeat(10_000))))
			.withMessage("max buffered request bytes reached");
	}

	/**
	 * Append all the bytes as an event loop would and parse every request they complete.
	 */
	private static List<String> appendAndParse(RespParser parser, byte[]... chunks) throws RespProtocolException {
		List<String> requests = new ArrayList<>();
		for (byte[] chunk : chunks) {
			ByteBuffer input = ByteBuffer.wrap(chunk);
			do {
				parser.append(input);
				for (RespRequest request = parser.next(); request != null; request = parser.next()) {
					requests.add(describe(request));
				}
			}
			while (input.hasRemaining());
		}
		return requests;
	}

	private static String describe(RespRequest request) {
		StringBuilder text = new StringBuilder("[");
		for (int i = 0; i < request.size(); i++) {
			String argument = request.text(i);
			text.append((i > 0) ? ", " : "").append((argument.length() > 100) ? "..." : argument);
		}
		return text.append(']').toString();
	}

	private static List<String> appendAll(String... chunks) throws RespProtocolException {
		RespParser parser = new RespParser(RespLimits.defaults());
		List<String> requests = new ArrayList<>();
		for (String chunk : chunks) {
			ByteBuffer input = ByteBuffer.wrap(ascii(chunk));
			while (input.hasRemaining()) {
				parser.append(input);
				for (RespRequest request = parser.next(); request != null; request = parser.next()) {
					requests.add(request.toString());
				}
			}
		}
		return requests;
	}

	private static RespParser parser(String... chunks) {
		return new RespParser(ScriptedInputStream.of(chunks), RespLimits.defaults());
	}

	private static List<String> parseAll(String... chunks) throws IOException, RespProtocolException {
		RespParser parser = parser(chunks);
		List<String> requests = new ArrayList<>();
		while (parser.read()) {
			for (RespRequest request = parser.next(); request != null; request = parser.next()) {
				requests.add(request.toString());
			}
		}
		return requests;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
