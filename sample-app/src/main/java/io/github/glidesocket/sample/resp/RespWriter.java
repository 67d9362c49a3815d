package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Writes replies into one reusable buffer and sends them to the peer on {@link #flush()}.
 * A connection flushes once per batch of requests read, so that a pipelined batch costs one
 * write and one flush however many replies it has. A reply larger than the buffer goes out as it
 * is written, but is still flushed only once.
 * <p>
 * Small integers and length prefixes come from shared, precomputed replies; other numbers are
 * written digit by digit into the buffer. Nothing is allocated per reply, except for doubles.
 * <p>
 * Replies are encoded in the {@link #protocol() protocol} the connection speaks. A command
 * writes a null, a map, a set, a boolean, a double or a verbatim string as such, and the writer
 * falls back to the RESP2 shape Redis uses for it while the connection speaks RESP2: a null bulk
 * string, a flat array, an array, {@code :1} or {@code :0}, a bulk string.
 * <p>
 * Not thread-safe: one writer belongs to one connection thread.
 */
final class RespWriter {

	static final int DEFAULT_CAPACITY = 4 * 1024;

	/** Numbers from 0 up to this one, exclusive, have precomputed replies. */
	static final int CACHED_NUMBERS = 1024;

	private static final byte[] OK = ascii("+OK\r\n");

	private static final byte[] NULL_BULK = ascii("$-1\r\n");

	private static final byte[] NULL = ascii("_\r\n");

	private static final byte[] TRUE = ascii("#t\r\n");

	private static final byte[] FALSE = ascii("#f\r\n");

	private static final byte[] TEXT_FORMAT = ascii("txt:");

	private static final byte[] CRLF = ascii("\r\n");

	private static final byte[][] INTEGERS = cache(':');

	private static final byte[][] BULK_LENGTHS = cache('$');

	private static final byte[][] ARRAY_LENGTHS = cache('*');

	private static final byte[][] MAP_LENGTHS = cache('%');

	/** The longest prefixed number: type, sign, 19 digits, CRLF. */
	private static final int MAX_NUMBER_LENGTH = 23;

	private final OutputStream output;

	private final byte[] buffer;

	private int count;

	private boolean unflushed;

	private RespProtocol protocol = RespProtocol.RESP2;

	private long errors;

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

	/**
	 * The protocol replies are encoded in; {@link RespProtocol#RESP2} until changed.
	 * @return the protocol
	 */
	RespProtocol protocol() {
		return this.protocol;
	}

	/**
	 * Encode the replies written from now on in another protocol.
	 * @param protocol the protocol
	 */
	void protocol(RespProtocol protocol) {
		this.protocol = protocol;
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
		this.errors++;
		writeLine('-', message);
	}

	/**
	 * The number of error replies written, for the server's statistics.
	 * @return how many times {@link #writeError} was called
	 */
	long errors() {
		return this.errors;
	}

	void writeInteger(long value) throws IOException {
		writeNumber(':', value, INTEGERS);
	}

	void writeArrayLength(int length) throws IOException {
		writeNumber('*', length, ARRAY_LENGTHS);
	}

	/**
	 * Write a bulk string reply, or a {@link #writeNull() null} for {@code null}.
	 * @param value the value or {@code null}
	 * @throws IOException if sending part of the reply fails
	 */
	void writeBulk(byte @Nullable [] value) throws IOException {
		if (value == null) {
			writeNull();
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

	/**
	 * Write a null: {@code _} in RESP3, the null bulk string {@code $-1} in RESP2.
	 * @throws IOException if sending part of the reply fails
	 */
	void writeNull() throws IOException {
		if (this.protocol == RespProtocol.RESP3) {
			writeRaw(NULL, 0, NULL.length);
		}
		else {
			writeRaw(NULL_BULK, 0, NULL_BULK.length);
		}
	}

	/**
	 * Start a map of {@code entries} keys and values, which the caller writes next, each key
	 * followed by its value: {@code %entries} in RESP3, an array of twice as many elements in
	 * RESP2.
	 * @param entries the number of entries
	 * @throws IOException if sending part of the reply fails
	 */
	void writeMapLength(int entries) throws IOException {
		if (this.protocol == RespProtocol.RESP3) {
			writeNumber('%', entries, MAP_LENGTHS);
		}
		else {
			writeArrayLength(entries * 2);
		}
	}

	/**
	 * Start a set of {@code length} elements: {@code ~length} in RESP3, an array in RESP2.
	 * @param length the number of elements
	 * @throws IOException if sending part of the reply fails
	 */
	void writeSetLength(int length) throws IOException {
		if (this.protocol == RespProtocol.RESP3) {
			writeNumber('~', length, null);
		}
		else {
			writeArrayLength(length);
		}
	}

	/**
	 * Start a push message of {@code length} elements, the first its kind, which the peer reads
	 * apart from the replies to its requests: {@code >length} in RESP3, an array in RESP2, where
	 * only a connection that does nothing else may receive one.
	 * @param length the number of elements
	 * @throws IOException if sending part of the reply fails
	 */
	void writePushLength(int length) throws IOException {
		if (this.protocol == RespProtocol.RESP3) {
			writeNumber('>', length, null);
		}
		else {
			writeArrayLength(length);
		}
	}

	/**
	 * Write a boolean: {@code #t} or {@code #f} in RESP3, {@code :1} or {@code :0} in RESP2.
	 * @param value the value
	 * @throws IOException if sending part of the reply fails
	 */
	void writeBoolean(boolean value) throws IOException {
		if (this.protocol == RespProtocol.RESP3) {
			byte[] reply = value ? TRUE : FALSE;
			writeRaw(reply, 0, reply.length);
		}
		else {
			writeInteger(value ? 1 : 0);
		}
	}

	/**
	 * Write a double: {@code ,value} in RESP3, a bulk string in RESP2. Whole numbers have no
	 * decimal point ({@code 3}, {@code -0}); the infinities and NaN are {@code inf},
	 * {@code -inf} and {@code nan}.
	 * @param value the value
	 * @throws IOException if sending part of the reply fails
	 */
	void writeDouble(double value) throws IOException {
		String text = RespNumbers.toString(value);
		if (this.protocol == RespProtocol.RESP3) {
			writeLine(',', text);
		}
		else {
			writeBulk(text);
		}
	}

	/**
	 * Write text meant to be shown as it is, such as {@code INFO}'s: a verbatim string of format
	 * {@code txt} in RESP3, a bulk string in RESP2.
	 * @param text the text
	 * @throws IOException if sending part of the reply fails
	 */
	void writeVerbatim(byte[] text) throws IOException {
		if (this.protocol == RespProtocol.RESP3) {
			writeNumber('=', TEXT_FORMAT.length + (long) text.length, null);
			writeRaw(TEXT_FORMAT, 0, TEXT_FORMAT.length);
			writeRaw(text, 0, text.length);
			writeRaw(CRLF, 0, CRLF.length);
		}
		else {
			writeBulk(text);
		}
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

	private void writeNumber(char type, long value, byte @Nullable [][] cache) throws IOException {
		if (cache != null && value >= 0 && value < CACHED_NUMBERS) {
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
