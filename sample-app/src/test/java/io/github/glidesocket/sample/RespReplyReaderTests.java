package io.github.glidesocket.sample;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.sample.RespReply.ArrayReply;
import io.github.glidesocket.sample.RespReply.BigNumberReply;
import io.github.glidesocket.sample.RespReply.BlobErrorReply;
import io.github.glidesocket.sample.RespReply.BooleanReply;
import io.github.glidesocket.sample.RespReply.DoubleReply;
import io.github.glidesocket.sample.RespReply.ErrorReply;
import io.github.glidesocket.sample.RespReply.IntegerReply;
import io.github.glidesocket.sample.RespReply.MapReply;
import io.github.glidesocket.sample.RespReply.NullArrayReply;
import io.github.glidesocket.sample.RespReply.NullBulkReply;
import io.github.glidesocket.sample.RespReply.NullReply;
import io.github.glidesocket.sample.RespReply.PushReply;
import io.github.glidesocket.sample.RespReply.SetReply;
import io.github.glidesocket.sample.RespReply.SimpleStringReply;
import io.github.glidesocket.sample.RespReply.VerbatimReply;
import org.junit.jupiter.api.Test;

import static io.github.glidesocket.sample.RespReply.bulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link RespReplyReader}, one per type of reply.
 */
class RespReplyReaderTests {

	@Test
	void readWhenSimpleStringOrErrorShouldKeepTheirLine() throws IOException {
		assertThat(read("+OK\r\n")).isEqualTo(new SimpleStringReply("OK"));
		assertThat(read("-ERR oops\r\n")).isEqualTo(new ErrorReply("ERR oops"));
	}

	@Test
	void readWhenIntegerShouldParseIt() throws IOException {
		assertThat(read(":42\r\n")).isEqualTo(new IntegerReply(42));
		assertThat(read(":-9223372036854775808\r\n")).isEqualTo(new IntegerReply(Long.MIN_VALUE));
	}

	@Test
	void readWhenBulkStringShouldReadExactlyItsLength() throws IOException {
		assertThat(read("$5\r\na\r\nbc\r\n")).isEqualTo(bulk("a\r\nbc"));
		assertThat(read("$0\r\n\r\n")).isEqualTo(bulk(""));
	}

	@Test
	void readWhenRespTwoNullsShouldTellThemFromRespThreeNull() throws IOException {
		assertThat(read("$-1\r\n")).isEqualTo(new NullBulkReply());
		assertThat(read("*-1\r\n")).isEqualTo(new NullArrayReply());
		assertThat(read("_\r\n")).isEqualTo(new NullReply());
	}

	@Test
	void readWhenArrayShouldReadNestedElements() throws IOException {
		assertThat(read("*3\r\n:1\r\n*1\r\n$1\r\nx\r\n_\r\n"))
			.isEqualTo(new ArrayReply(
					List.of(new IntegerReply(1), new ArrayReply(List.of(bulk("x"))), new NullReply())));
		assertThat(read("*0\r\n")).isEqualTo(new ArrayReply(List.of()));
	}

	@Test
	void readWhenBooleanShouldReadTrueOrFalse() throws IOException {
		assertThat(read("#t\r\n")).isEqualTo(new BooleanReply(true));
		assertThat(read("#f\r\n")).isEqualTo(new BooleanReply(false));
		assertThatIOException().isThrownBy(() -> read("#x\r\n")).withMessage("Not a boolean: 'x'");
	}

	@Test
	void readWhenDoubleShouldReadNumbersAndSpecialValues() throws IOException {
		assertThat(read(",1.5\r\n")).isEqualTo(new DoubleReply(1.5));
		assertThat(read(",3\r\n")).isEqualTo(new DoubleReply(3));
		assertThat(read(",1.0e300\r\n")).isEqualTo(new DoubleReply(1.0e300));
		assertThat(read(",inf\r\n")).isEqualTo(new DoubleReply(Double.POSITIVE_INFINITY));
		assertThat(read(",-inf\r\n")).isEqualTo(new DoubleReply(Double.NEGATIVE_INFINITY));
		assertThat(read(",nan\r\n")).isEqualTo(new DoubleReply(Double.NaN));
	}

	@Test
	void readWhenBigNumberShouldKeepItsDigits() throws IOException {
		assertThat(read("(3492890328409238509324850943850943825024385\r\n"))
			.isEqualTo(new BigNumberReply("3492890328409238509324850943850943825024385"));
	}

	@Test
	void readWhenBlobErrorShouldReadItsLength() throws IOException {
		assertThat(read("!22\r\nSYNTAX invalid\r\nsyntax\r\n"))
			.isEqualTo(new BlobErrorReply("SYNTAX invalid\r\nsyntax"));
	}

	@Test
	void readWhenVerbatimStringShouldSplitFormatFromText() throws IOException {
		assertThat(read("=15\r\ntxt:Some string\r\n")).isEqualTo(new VerbatimReply("txt", "Some string"));
		assertThat(read("=4\r\ntxt:\r\n")).isEqualTo(new VerbatimReply("txt", ""));
		assertThatIOException().isThrownBy(() -> read("=3\r\ntxt\r\n"));
	}

	@Test
	void readWhenMapShouldKeepEntriesInOrder() throws IOException {
		Map<RespReply, RespReply> entries = new LinkedHashMap<>();
		entries.put(new SimpleStringReply("first"), new IntegerReply(1));
		entries.put(bulk("second"), new NullReply());
		RespReply reply = read("%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n_\r\n");
		assertThat(reply).isEqualTo(new MapReply(entries));
		assertThat(((MapReply) reply).entries().keySet()).containsExactly(new SimpleStringReply("first"),
				bulk("second"));
		assertThatIOException().isThrownBy(() -> read("%2\r\n+k\r\n:1\r\n+k\r\n:2\r\n"));
	}

	@Test
	void readWhenSetOrPushShouldKeepTheirType() throws IOException {
		assertThat(read("~2\r\n+a\r\n+b\r\n"))
			.isEqualTo(new SetReply(List.of(new SimpleStringReply("a"), new SimpleStringReply("b"))));
		assertThat(read(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"))
			.isEqualTo(new PushReply(List.of(bulk("message"), bulk("ch"), bulk("hi"))));
	}

	@Test
	void readWhenRepliesFollowEachOtherShouldReadOneAtATime() throws IOException {
		RespReplyReader reader = reader("+OK\r\n:1\r\n");
		assertThat(reader.read()).isEqualTo(new SimpleStringReply("OK"));
		assertThat(reader.read()).isEqualTo(new IntegerReply(1));
		assertThatExceptionOfType(EOFException.class).isThrownBy(reader::read);
	}

	@Test
	void readWhenReplyIsCutShortOrMalformedShouldFail() {
		assertThatExceptionOfType(EOFException.class).isThrownBy(() -> read("$5\r\nab"));
		assertThatExceptionOfType(EOFException.class).isThrownBy(() -> read("*2\r\n:1\r\n"));
		assertThatExceptionOfType(EOFException.class).isThrownBy(() -> read("+OK"));
		assertThatIOException().isThrownBy(() -> read("$2\r\nabcd\r\n"));
		assertThatIOException().isThrownBy(() -> read("?\r\n")).withMessage("Unknown reply type '?' before ''");
		assertThatIOException().isThrownBy(() -> read("_x\r\n"));
	}

	private static RespReply read(String bytes) throws IOException {
		return reader(bytes).read();
	}

	private static RespReplyReader reader(String bytes) {
		return new RespReplyReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8)));
	}

}
