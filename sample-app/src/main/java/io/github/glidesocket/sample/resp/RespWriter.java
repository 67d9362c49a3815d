package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

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
 * A writer {@link #RespWriter(OutputStream, IntSupplier, int) with a backlog} (event-loop mode,
 * where writes never block and the connection buffers what the peer has not read) writes a long
 * reply in parts: a value of {@value #STREAMED_VALUE_LENGTH} bytes or more goes out only as far
 * as the backlog has room, and a reply of many elements stops between elements while the writer
 * {@link #isBackedUp() is backed up}, leaving the rest with {@link #continueLater}; the
 * connection calls {@link #resume()} once what it sent has been read. Values are held by
 * reference meanwhile, never copied: stored values are never changed in place. A writer without
 * a backlog writes every reply whole, its writes blocking while the peer does not read.
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

	/**
	 * Values at least this long are written in parts when the backlog has no room for them
	 * whole; shorter ones always go out whole, at most this much beyond the backlog's limit.
	 */
	static final int STREAMED_VALUE_LENGTH = 16 * 1024;

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

	/** The bytes written to the output and not yet sent to the peer, or null without a backlog. */
	private final @Nullable IntSupplier unsent;

	private final int maxBacklog;

	/** The value whose rest is still to be written, followed by CRLF, or null. */
	private byte @Nullable [] unwrittenValue;

	private int unwrittenOffset;

	/** What writes the rest of the reply once the value above is written, or null. */
	private @Nullable Continuation continuation;

	private int count;

	private boolean unflushed;

	private RespProtocol protocol = RespProtocol.RESP2;

	private long errors;

	RespWriter(OutputStream output) {
		this(output, DEFAULT_CAPACITY);
	}

	RespWriter(OutputStream output, int capacity) {
		this(output, capacity, null, Integer.MAX_VALUE);
	}

	/**
	 * A writer whose output never blocks but buffers what the peer has not read: long replies
	 * are written in parts so that the backlog stays about {@code maxBacklog}.
	 * @param output where replies go
	 * @param unsent the bytes written to the output and not yet sent to the peer
	 * @param maxBacklog the bytes written and not yet sent, this writer's buffer included, above
	 * which the writer is backed up
	 */
	RespWriter(OutputStream output, IntSupplier unsent, int maxBacklog) {
		this(output, DEFAULT_CAPACITY, unsent, maxBacklog);
	}

	private RespWriter(OutputStream output, int capacity, @Nullable IntSupplier unsent, int maxBacklog) {
		if (capacity < MAX_NUMBER_LENGTH) {
			throw new IllegalArgumentException(
					"'capacity' must be at least " + MAX_NUMBER_LENGTH + ", was " + capacity);
		}
		if (maxBacklog < 1) {
			throw new IllegalArgumentException("'maxBacklog' must be positive, was " + maxBacklog);
		}
		this.output = output;
		this.buffer = new byte[capacity];
		this.unsent = unsent;
		this.maxBacklog = maxBacklog;
	}

	/**
	 * Whether a reply is unfinished or the backlog is full: a command of many elements stops
	 * before the next one and leaves the rest with {@link #continueLater}, and the connection
	 * runs no further request. Always {@code false} without a backlog.
	 * @return whether the writer is backed up
	 */
	boolean isBackedUp() {
		return isReplyUnfinished() || room() <= 0;
	}

	/**
	 * Whether part of the last reply is still to be written, by {@link #resume()}.
	 * @return whether a reply is unfinished
	 */
	boolean isReplyUnfinished() {
		return this.unwrittenValue != null || this.continuation != null;
	}

	/**
	 * Leave the rest of a reply for later, because the writer {@link #isBackedUp() is backed up}.
	 * Nothing else may be written until {@link #resume()} has finished it.
	 * @param continuation what writes the rest, on this writer; it may leave its own rest again
	 */
	void continueLater(Continuation continuation) {
		if (this.continuation != null) {
			throw new IllegalStateException("The reply already continues later");
		}
		this.continuation = continuation;
	}

	/**
	 * Write more of the unfinished reply, as far as the backlog has room.
	 * @return {@code true} once the reply is complete
	 * @throws IOException if writing fails
	 */
	boolean resume() throws IOException {
		while (true) {
			if (this.unwrittenValue != null) {
				writeUnwrittenValue();
				if (this.unwrittenValue != null) {
					return false;
				}
			}
			Continuation continuation = this.continuation;
			if (continuation == null) {
				return true;
			}
			if (room() <= 0) {
				return false;
			}
			this.continuation = null;
			continuation.writeRest(this);
		}
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
		checkNoUnfinishedReply();
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
		checkNoUnfinishedReply();
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
		writeValue(value);
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
		checkNoUnfinishedReply();
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
		checkNoUnfinishedReply();
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
			writeValue(text);
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

	/**
	 * Write a value and the CRLF after it: whole, or with a backlog and no room for it whole, as
	 * much as fits, the rest left for {@link #resume()}.
	 */
	private void writeValue(byte[] value) throws IOException {
		if (value.length >= STREAMED_VALUE_LENGTH && value.length + CRLF.length > room()) {
			this.unwrittenValue = value;
			this.unwrittenOffset = 0;
			writeUnwrittenValue();
			return;
		}
		writeRaw(value, 0, value.length);
		writeRaw(CRLF, 0, CRLF.length);
	}

	private void writeUnwrittenValue() throws IOException {
		byte[] value = this.unwrittenValue;
		if (value == null) {
			return;
		}
		int length = Math.min(room(), value.length - this.unwrittenOffset);
		if (length > 0) {
			writeRaw(value, this.unwrittenOffset, length);
			this.unwrittenOffset += length;
		}
		if (this.unwrittenOffset == value.length) {
			this.unwrittenValue = null;
			writeRaw(CRLF, 0, CRLF.length);
		}
	}

	/**
	 * How many more bytes the backlog takes before the writer is backed up; may be negative.
	 */
	private int room() {
		IntSupplier unsent = this.unsent;
		if (unsent == null) {
			return Integer.MAX_VALUE;
		}
		return this.maxBacklog - unsent.getAsInt() - this.count;
	}

	private void checkNoUnfinishedReply() {
		if (isReplyUnfinished()) {
			throw new IllegalStateException("The last reply is unfinished: resume it before writing another");
		}
	}

	private void writeLine(char type, String text) throws IOException {
		checkNoUnfinishedReply();
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
		checkNoUnfinishedReply();
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

	/**
	 * The rest of a reply, written when the connection has room for it.
	 */
	@FunctionalInterface
	interface Continuation {

		/**
		 * Write the rest of the reply, or as much of it as the writer takes before it is
		 * {@link #isBackedUp() backed up}, leaving the remainder with {@link #continueLater}.
		 * @param writer the writer
		 * @throws IOException if writing fails
		 */
		void writeRest(RespWriter writer) throws IOException;

	}

}
