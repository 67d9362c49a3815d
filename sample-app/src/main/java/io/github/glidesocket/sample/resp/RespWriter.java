package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Writes RESP2 replies into one reusable buffer and sends them to the peer on {@link #flush()}.
 * A connection flushes once per batch of requests read, so that a pipelined batch costs one
 * write and one flush however many replies it has. A reply larger than the buffer goes out as it
 * is written, but is still flushed only once.
 * <p>
 * Small integers and length prefixes come from shared, precomputed replies; other numbers are
 * written digit by digit into the buffer. Nothing is allocated per reply.
 * <p>
 * Not thread-safe: one writer belongs to one connection thread.
 */
final class RespWriter {

	static final int DEFAULT_CAPACITY = 4 * 1024;

	/** Numbers from 0 up to this one, exclusive, have precomputed replies. */
	static final int CACHED_NUMBERS = 1024;

	private static final byte[] OK = ascii("+OK\r\n");

	private static final byte[] NULL_BULK = ascii("$-1\r\n");

	private static final byte[] CRLF = ascii("\r\n");

	private static final byte[][] INTEGERS = cache(':');

	private static final byte[][] BULK_LENGTHS = cache('$');

	private static final byte[][] ARRAY_LENGTHS = cache('*');

	/** The longest prefixed number: type, sign, 19 digits, CRLF. */
	private static final int MAX_NUMBER_LENGTH = 23;

	private final OutputStream output;

	private final byte[] buffer;

	private int count;

	private boolean unflushed;

	RespWriter(OutputStream output) {
		this(output, DEFAULT_CAPACITY);
	}

	RespWriter(OutputStream output, int capacity) {
		if (capacity < MAX_NUMBER_LENGTH) {
			throw new IllegalArgumentException(
					"'capacity' must be at least " + MAX_NUMBER_LENGTH + ", was " + capacity);
		}
		this.output = output;
		this.buffer = new byte[capacity];
	}

	void writeOk() throws IOException {
		writeRaw(OK, 0, OK.length);
	}

	/**
	 * Write a simple string reply, {@code +text}.
	 * @param text the text, on one line
	 * @throws IOException if sending part of the reply fails
	 */
	void writeSimpleString(String text) throws IOException {
		writeLine('+', text);
	}

	/**
	 * Write an error reply, {@code -CODE message}. Line breaks in the message become spaces so
	 * that text from the peer cannot end the reply early.
	 * @param message the message, starting with its code ({@code ERR}, {@code NOPROTO}, ...)
	 * @throws IOException if sending part of the reply fails
	 */
	void writeError(String message) throws IOException {
		writeLine('-', message);
	}

	void writeInteger(long value) throws IOException {
		writeNumber(':', value, INTEGERS);
	}

	void writeArrayLength(int length) throws IOException {
		writeNumber('*', length, ARRAY_LENGTHS);
	}

	/**
	 * Write a bulk string reply, or the null bulk reply {@code $-1} for {@code null}.
	 * @param value the value or {@code null}
	 * @throws IOException if sending part of the reply fails
	 */
	void writeBulk(byte @Nullable [] value) throws IOException {
		if (value == null) {
			writeRaw(NULL_BULK, 0, NULL_BULK.length);
			return;
		}
		writeNumber('$', value.length, BULK_LENGTHS);
		writeRaw(value, 0, value.length);
		writeRaw(CRLF, 0, CRLF.length);
	}

	/**
	 * Write a bulk string reply of text, one byte per character.
	 * @param text the text, of characters up to {@code \u00FF}
	 * @throws IOException if sending part of the reply fails
	 */
	void writeBulk(String text) throws IOException {
		writeBulk(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	void writeNull() throws IOException {
		writeBulk((byte[]) null);
	}

	/**
	 * Send everything written since the last flush and flush the stream. Does nothing if
	 * nothing was written.
	 * @throws IOException if sending fails
	 */
	void flush() throws IOException {
		if (!this.unflushed) {
			return;
		}
		drain();
		this.output.flush();
		this.unflushed = false;
	}

	private void writeLine(char type, String text) throws IOException {
		ensure(1);
		this.buffer[this.count++] = (byte) type;
		this.unflushed = true;
		for (int i = 0; i < text.length(); i++) {
			char character = text.charAt(i);
			ensure(1);
			this.buffer[this.count++] = (character == '\r' || character == '\n') ? (byte) ' ' : (byte) character;
		}
		writeRaw(CRLF, 0, CRLF.length);
	}

	private void writeNumber(char type, long value, byte[][] cache) throws IOException {
		if (value >= 0 && value < CACHED_NUMBERS) {
			byte[] reply = cache[(int) value];
			writeRaw(reply, 0, reply.length);
			return;
		}
		ensure(MAX_NUMBER_LENGTH);
		this.buffer[this.count++] = (byte) type;
		this.count = RespNumbers.write(value, this.buffer, this.count);
		this.buffer[this.count++] = '\r';
		this.buffer[this.count++] = '\n';
		this.unflushed = true;
	}

	private void writeRaw(byte[] bytes, int offset, int length) throws IOException {
		this.unflushed = true;
		if (length > this.buffer.length - this.count) {
			drain();
			if (length >= this.buffer.length) {
				this.output.write(bytes, offset, length);
				return;
			}
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	private void ensure(int length) throws IOException {
		if (this.buffer.length - this.count < length) {
			drain();
		}
	}

	private void drain() throws IOException {
		if (this.count > 0) {
			this.output.write(this.buffer, 0, this.count);
			this.count = 0;
		}
	}

	private static byte[][] cache(char type) {
		byte[][] replies = new byte[CACHED_NUMBERS][];
		for (int i = 0; i < CACHED_NUMBERS; i++) {
			replies[i] = ascii(type + Integer.toString(i) + "\r\n");
		}
		return replies;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
