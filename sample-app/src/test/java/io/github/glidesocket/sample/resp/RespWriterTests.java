package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RespWriter}.
 */
class RespWriterTests {

	private final RecordingOutputStream output = new RecordingOutputStream();

	private final RespWriter writer = new RespWriter(this.output);

	@Test
	void writeWhenEveryRespTwoTypeShouldUseRespTwoEncoding() throws Exception {
		this.writer.writeOk();
		this.writer.writeSimpleString("PONG");
		this.writer.writeError("ERR oops");
		this.writer.writeInteger(0);
		this.writer.writeInteger(1023);
		this.writer.writeInteger(1024);
		this.writer.writeInteger(-1);
		this.writer.writeInteger(Long.MIN_VALUE);
		this.writer.writeInteger(Long.MAX_VALUE);
		this.writer.writeBulk("hi");
		this.writer.writeBulk(new byte[0]);
		this.writer.writeNull();
		this.writer.writeArrayLength(2);
		this.writer.writeArrayLength(0);
		this.writer.flush();
		assertThat(this.output.text()).isEqualTo("+OK\r\n+PONG\r\n-ERR oops\r\n:0\r\n:1023\r\n:1024\r\n:-1\r\n"
				+ ":-9223372036854775808\r\n:9223372036854775807\r\n$2\r\nhi\r\n$0\r\n\r\n$-1\r\n*2\r\n*0\r\n");
	}

	@Test
	void writeWhenProtocolIsRespTwoShouldWriteRespThreeTypesInTheirRespTwoShape() throws Exception {
		writeEveryRespThreeType();
		assertThat(this.output.text()).isEqualTo("$-1\r\n$-1\r\n*4\r\n$1\r\nk\r\n:1\r\n$1\r\nj\r\n$-1\r\n"
				+ "*2\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n:0\r\n$3\r\n1.5\r\n$4\r\n-inf\r\n$1\r\n3\r\n"
				+ "$11\r\nline\r\nline2\r\n*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
	}

	@Test
	void writeWhenProtocolIsRespThreeShouldWriteEachTypeWithItsOwnPrefix() throws Exception {
		this.writer.protocol(RespProtocol.RESP3);
		writeEveryRespThreeType();
		assertThat(this.output.text()).isEqualTo("_\r\n_\r\n%2\r\n$1\r\nk\r\n:1\r\n$1\r\nj\r\n_\r\n"
				+ "~2\r\n$1\r\na\r\n$1\r\nb\r\n#t\r\n#f\r\n,1.5\r\n,-inf\r\n,3\r\n"
				+ "=15\r\ntxt:line\r\nline2\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
	}

	@Test
	void writeWhenProtocolIsRespThreeShouldKeepRespTwoTypesUnchanged() throws Exception {
		this.writer.protocol(RespProtocol.RESP3);
		this.writer.writeOk();
		this.writer.writeError("ERR oops");
		this.writer.writeInteger(-7);
		this.writer.writeBulk("hi");
		this.writer.writeArrayLength(1);
		this.writer.writeSimpleString("PONG");
		this.writer.flush();
		assertThat(this.output.text()).isEqualTo("+OK\r\n-ERR oops\r\n:-7\r\n$2\r\nhi\r\n*1\r\n+PONG\r\n");
	}

	@Test
	void writeWhenLengthsAreLargeShouldWriteThemDigitByDigitInBothProtocols() throws Exception {
		this.writer.writeMapLength(600);
		this.writer.writeSetLength(2000);
		this.writer.protocol(RespProtocol.RESP3);
		this.writer.writeMapLength(2000);
		this.writer.writeSetLength(2000);
		this.writer.writePushLength(2000);
		this.writer.writeVerbatim(new byte[2000]);
		this.writer.flush();
		assertThat(this.output.text()).startsWith("*1200\r\n*2000\r\n%2000\r\n~2000\r\n>2000\r\n=2004\r\ntxt:\0")
			.endsWith("\0\r\n");
	}

	@Test
	void protocolShouldBeRespTwoUntilChanged() {
		assertThat(this.writer.protocol()).isEqualTo(RespProtocol.RESP2);
		this.writer.protocol(RespProtocol.RESP3);
		assertThat(this.writer.protocol()).isEqualTo(RespProtocol.RESP3);
		this.writer.protocol(RespProtocol.RESP2);
		assertThat(this.writer.protocol()).isEqualTo(RespProtocol.RESP2);
	}

	@Test
	void writeErrorWhenMessageHasLineBreaksShouldReplaceThem() throws Exception {
		this.writer.writeError("ERR a\r\nb\nc");
		this.writer.flush();
		assertThat(this.output.text()).isEqualTo("-ERR a  b c\r\n");
	}

	@Test
	void flushWhenManyRepliesShouldWriteAndFlushOnce() throws Exception {
		for (int i = 0; i < 500; i++) {
			this.writer.writeInteger(i);
		}
		assertThat(this.output.writes()).isZero();
		this.writer.flush();
		assertThat(this.output.writes()).isOne();
		assertThat(this.output.flushes()).isOne();
	}

	@Test
	void flushWhenNothingWrittenShouldNotFlush() throws Exception {
		this.writer.flush();
		assertThat(this.output.flushes()).isZero();
	}

	@Test
	void writeBulkWhenLargerThanBufferShouldSendItWhole() throws Exception {
		RespWriter small = new RespWriter(this.output, 64);
		byte[] value = new byte[1000];
		value[999] = 'x';
		small.writeOk();
		small.writeBulk(value);
		small.writeOk();
		small.flush();
		byte[] expected = concat(ascii("+OK\r\n$1000\r\n"), value, ascii("\r\n+OK\r\n"));
		assertThat(this.output.toByteArray()).isEqualTo(expected);
		assertThat(this.output.flushes()).isOne();
		assertThat(this.output.unflushedBytes()).isZero();
	}

	@Test
	void writeWhenBufferFillsShouldDrainWithoutFlushing() throws Exception {
		RespWriter small = new RespWriter(this.output, 32);
		for (int i = 0; i < 100; i++) {
			small.writeInteger(123_456_789L * i);
			small.writeSimpleString("some text");
		}
		assertThat(this.output.writes()).isGreaterThan(1);
		assertThat(this.output.flushes()).isZero();
		small.flush();
		assertThat(this.output.flushes()).isOne();
		assertThat(this.output.text()).startsWith(":0\r\n+some text\r\n:123456789\r\n+some text\r\n")
			.endsWith(":" + (123_456_789L * 99) + "\r\n+some text\r\n");
	}

	@Test
	void writeBulkWhenBacklogHasNoRoomForLargeValueShouldWriteWhatFitsAndTheRestOnResume() throws Exception {
		int[] unsent = { 0 };
		RespWriter backlogged = new RespWriter(this.output, () -> unsent[0], 100_000);
		byte[] value = new byte[250_000];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) (i % 251);
		}
		backlogged.writeBulk(value);
		backlogged.flush();
		unsent[0] = this.output.toByteArray().length;
		assertThat(unsent[0]).isEqualTo(100_000);
		assertThat(backlogged.isReplyUnfinished()).isTrue();
		assertThat(backlogged.isBackedUp()).isTrue();
		assertThat(backlogged.resume()).as("resumed while nothing was sent").isFalse();
		assertThat(this.output.toByteArray()).hasSize(100_000);
		unsent[0] = 0;
		assertThat(backlogged.resume()).isFalse();
		unsent[0] = 0;
		assertThat(backlogged.resume()).isTrue();
		backlogged.flush();
		assertThat(this.output.toByteArray()).isEqualTo(concat(ascii("$250000\r\n"), value, ascii("\r\n")));
		assertThat(backlogged.isBackedUp()).isFalse();
	}

	@Test
	void writeBulkWhenValueIsShortShouldWriteItWholeEvenPastTheBacklog() throws Exception {
		RespWriter backlogged = new RespWriter(this.output, () -> 1_000_000, 100_000);
		byte[] value = new byte[RespWriter.STREAMED_VALUE_LENGTH - 1];
		backlogged.writeBulk(value);
		backlogged.flush();
		assertThat(this.output.toByteArray()).hasSize(8 + value.length + 2);
		assertThat(backlogged.isReplyUnfinished()).isFalse();
		assertThat(backlogged.isBackedUp()).isTrue();
	}

	@Test
	void resumeWhenReplyContinuesLaterShouldWriteTheRestInOrderAfterTheUnfinishedValue() throws Exception {
		int[] unsent = { 0 };
		RespWriter backlogged = new RespWriter(this.output, () -> unsent[0], 50_000);
		byte[] first = new byte[80_000];
		backlogged.writeArrayLength(3);
		backlogged.writeBulk(first);
		assertThat(backlogged.isBackedUp()).isTrue();
		backlogged.continueLater((later) -> {
			later.writeBulk("second");
			later.continueLater((last) -> last.writeBulk("third"));
		});
		assertThatIllegalStateException().isThrownBy(() -> backlogged.writeBulk("out of order"))
			.withMessage("The last reply is unfinished: resume it before writing another");
		backlogged.flush();
		int sent = this.output.toByteArray().length;
		assertThat(sent).isLessThanOrEqualTo(50_000);
		while (!backlogged.resume()) {
			backlogged.flush();
			assertThat(this.output.toByteArray().length - sent).isLessThanOrEqualTo(50_000);
			sent = this.output.toByteArray().length;
		}
		backlogged.flush();
		assertThat(this.output.toByteArray())
			.isEqualTo(concat(ascii("*3\r\n$80000\r\n"), first, ascii("\r\n$6\r\nsecond\r\n$5\r\nthird\r\n")));
	}

	@Test
	void writeBulkWhenWriterHasNoBacklogShouldNeverBeBackedUp() throws Exception {
		this.writer.writeBulk(new byte[10_000_000]);
		assertThat(this.writer.isBackedUp()).isFalse();
		assertThat(this.writer.isReplyUnfinished()).isFalse();
	}

	@Test
	void createWhenCapacityCannotHoldANumberShouldFail() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RespWriter(this.output, 8))
			.withMessage("'capacity' must be at least 23, was 8");
	}

	private void writeEveryRespThreeType() throws Exception {
		this.writer.writeNull();
		this.writer.writeBulk((byte[]) null);
		this.writer.writeMapLength(2);
		this.writer.writeBulk("k");
		this.writer.writeInteger(1);
		this.writer.writeBulk("j");
		this.writer.writeNull();
		this.writer.writeSetLength(2);
		this.writer.writeBulk("a");
		this.writer.writeBulk("b");
		this.writer.writeBoolean(true);
		this.writer.writeBoolean(false);
		this.writer.writeDouble(1.5);
		this.writer.writeDouble(Double.NEGATIVE_INFINITY);
		this.writer.writeDouble(3);
		this.writer.writeVerbatim(ascii("line\r\nline2"));
		this.writer.writePushLength(3);
		this.writer.writeBulk("message");
		this.writer.writeBulk("ch");
		this.writer.writeBulk("hi");
		this.writer.flush();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] result = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, result, offset, part.length);
			offset += part.length;
		}
		return result;
	}

}
