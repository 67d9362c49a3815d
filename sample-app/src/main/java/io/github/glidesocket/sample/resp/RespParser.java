package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads requests from one connection: multibulk requests ({@code *N\r\n$len\r\n...}), as
 * clients send them, and inline requests ({@code PING\r\n}), as people type them.
 * <p>
 * Bytes come into one reusable buffer, either {@link #read() read from a stream}, as many as
 * are available, or {@link #append(ByteBuffer) copied from bytes already received} by an event
 * loop, as many as fit; {@link #next()} then hands out every complete request in it, so that a
 * pipelined batch is parsed from a single read. A request split across reads is resumed where it stopped: the
 * arguments already read are kept, never parsed again.
 * <p>
 * Memory follows the bytes that arrive, not the lengths a peer declares. A declared length over
 * the {@link RespLimits} fails before anything is allocated; an argument of
 * {@value #BIG_ARGUMENT_LENGTH} bytes or more is gathered in an array of its own that grows as its
 * bytes come in; the argument list grows with the arguments read.
 * <p>
 * Everything allocated for a request beyond the fixed read buffer (its arguments, the line
 * buffer grown for a long line) is first reserved from a {@link RespRequestBudget} that all
 * connections of a handler share, in steps of at least {@value #RESERVATION_STEP} bytes, and
 * given back once the caller is {@link #done() done} with the request or {@link #close() closes}
 * the parser. A reservation the budget refuses fails the request with
 * {@link RespProtocolException#requestBuffersFull()}.
 * <p>
 * Not thread-safe: one parser belongs to one connection.
 */
final class RespParser {

	/**
	 * An argument at least this long is gathered in its own array rather than in the buffer.
	 */
	static final int BIG_ARGUMENT_LENGTH = 2 * 1024;

	/**
	 * The size of the read buffer; larger only while an inline request of more than about half
	 * this size is being read.
	 */
	static final int INITIAL_CAPACITY = 4 * 1024;

	/**
	 * The least a parser reserves from the budget at once, so that a request of small arguments
	 * costs one reservation rather than one per argument.
	 */
	static final int RESERVATION_STEP = 4 * 1024;

	/** What an argument costs beyond its bytes: the array's header and its place in the list. */
	static final int ARGUMENT_OVERHEAD = 24;

	private static final int FIRST_BIG_ARGUMENT_CAPACITY = 64 * 1024;

	private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private static final byte[] EMPTY = {};

	private final @Nullable InputStream input;

	private final RespLimits limits;

	private final RespRequestBudget budget;

	private final RespRequest request = new RespRequest();

	private byte[] buffer = new byte[INITIAL_CAPACITY];

	/** The next byte to parse. */
	private int position;

	/** The end of the bytes read. */
	private int limit;

	/** The arguments still to read of the multibulk request in progress; 0 between requests. */
	private int pendingArguments;

	/** The declared length of the argument being read; -1 while its length line is awaited. */
	private int bulkLength = -1;

	private byte @Nullable [] bigArgument;

	private int bigArgumentLength;

	private byte[] scratch = EMPTY;

	/** Bytes held for the request in progress: its arguments and the big argument being gathered. */
	private long requestBytes;

	/** Bytes held in the read buffer and the inline scratch array beyond their fixed size. */
	private long bufferBytes;

	/** Bytes reserved from the budget; at least the two above. */
	private long reserved;

	/**
	 * A parser that reads from a stream with {@link #read()}, with a budget of its own.
	 * @param input the connection's input
	 * @param limits the limits on each request
	 */
	RespParser(InputStream input, RespLimits limits) {
		this(input, limits, new RespRequestBudget(limits.maxBufferedRequestBytes()));
	}

	/**
	 * A parser that reads from a stream with {@link #read()}.
	 * @param input the connection's input
	 * @param limits the limits on each request
	 * @param budget the budget it shares with the other connections
	 */
	RespParser(InputStream input, RespLimits limits, RespRequestBudget budget) {
		this.input = input;
		this.limits = limits;
		this.budget = budget;
	}

	/**
	 * A parser that is given the bytes with {@link #append(ByteBuffer)}, with a budget of its
	 * own.
	 * @param limits the limits on each request
	 */
	RespParser(RespLimits limits) {
		this(limits, new RespRequestBudget(limits.maxBufferedRequestBytes()));
	}

	/**
	 * A parser that is given the bytes with {@link #append(ByteBuffer)}.
	 * @param limits the limits on each request
	 * @param budget the budget it shares with the other connections
	 */
	RespParser(RespLimits limits, RespRequestBudget budget) {
		this.input = null;
		this.limits = limits;
		this.budget = budget;
	}

	/**
	 * Read the bytes that are available, waiting for at least one.
	 * @return {@code false} at end of stream, when no more requests will come
	 * @throws IOException if the read fails
	 */
	boolean read() throws IOException {
		if (this.input == null) {
			throw new IllegalStateException("This parser has no stream: append the bytes instead");
		}
		makeRoom();
		int count = this.input.read(this.buffer, this.limit, this.buffer.length - this.limit);
		if (count < 0) {
			return false;
		}
		this.limit += count;
		return true;
	}

	/**
	 * Take as many of the bytes as the buffer has room for, as a read would: call {@link #next()}
	 * until it returns {@code null}, then append the rest.
	 * @param bytes bytes received; their position moves past the bytes taken
	 */
	void append(ByteBuffer bytes) {
		makeRoom();
		int count = Math.min(bytes.remaining(), this.buffer.length - this.limit);
		bytes.get(this.buffer, this.limit, count);
		this.limit += count;
	}

	/**
	 * Give back the bytes appended after the last request returned by {@link #next()}, so that
	 * the caller can offer them again later. Call only between requests, right after
	 * {@link #next()} returned one.
	 * @param appendedLately how many bytes were appended since the caller last gave bytes back or
	 * consumed everything; the bytes given back are among these
	 * @return how many bytes were given back
	 * @throws IllegalStateException if the unparsed bytes include older ones than that
	 */
	int giveBackUnparsed(int appendedLately) {
		int unparsed = this.limit - this.position;
		if (unparsed > appendedLately || this.pendingArguments != 0) {
			throw new IllegalStateException("Cannot give back " + unparsed + " unparsed bytes, " + appendedLately
					+ " were appended lately and " + this.pendingArguments + " arguments are pending");
		}
		this.limit = this.position;
		return unparsed;
	}

	/**
	 * The next complete request among the bytes read. The request returned is reused: it is
	 * valid until the next call.
	 * @return the request, or {@code null} if more bytes must be {@link #read() read} first
	 * @throws RespProtocolException if the bytes are not a valid request, or the budget has no
	 * room for the request; the parser is unusable afterwards
	 */
	@Nullable RespRequest next() throws RespProtocolException {
		RespRequest request = parse();
		if (request == null && this.position == 0 && this.limit == this.buffer.length) {
			// Only an unfinished line fills the buffer, and lines are bounded by the limits.
			growBuffer();
		}
		return request;
	}

	/**
	 * The caller has answered the request {@link #next()} returned: forget its arguments and give
	 * back what was reserved for them. Until then they stay reserved, also while a long reply
	 * to the request is still being written.
	 */
	void done() {
		this.request.clear();
		this.requestBytes = 0;
		releaseUnused();
	}

	/**
	 * Give back everything reserved; the connection has closed and the parser is not used again.
	 */
	void close() {
		this.request.clear();
		this.bigArgument = null;
		this.requestBytes = 0;
		this.bufferBytes = 0;
		releaseUnused();
	}

	/**
	 * Whether no request is in progress: every byte received has been parsed into requests
	 * already returned.
	 * @return {@code true} between requests
	 */
	boolean isIdle() {
		return this.position == this.limit && this.pendingArguments == 0;
	}

	/**
	 * The bytes this parser has reserved from its budget, for tests.
	 * @return the reserved byte count
	 */
	long reservedBytes() {
		return this.reserved;
	}

	private @Nullable RespRequest parse() throws RespProtocolException {
		while (true) {
			if (this.pendingArguments == 0) {
				if (this.position == this.limit) {
					return null;
				}
				if (this.buffer[this.position] != '*') {
					if (!readInline()) {
						return null;
					}
					if (this.request.size() == 0) {
						continue;
					}
					return this.request;
				}
				if (!readMultibulkLength()) {
					return null;
				}
				if (this.pendingArguments == 0) {
					continue;
				}
			}
			return readArguments() ? this.request : null;
		}
	}

	/**
	 * The bytes this parser holds in buffers, for tests.
	 * @return the allocated buffer capacity
	 */
	int allocatedBytes() {
		byte[] big = this.bigArgument;
		return this.buffer.length + this.scratch.length + ((big != null) ? big.length : 0);
	}

	/**
	 * Make room for more bytes: start over in an empty buffer, or move the unparsed bytes to its
	 * start. A buffer full of one unfinished line is grown by {@link #next()}, which may fail.
	 */
	private void makeRoom() {
		if (this.position == this.limit) {
			this.position = 0;
			this.limit = 0;
			if (this.bufferBytes != 0) {
				if (this.buffer.length > INITIAL_CAPACITY) {
					this.buffer = new byte[INITIAL_CAPACITY];
				}
				this.scratch = EMPTY;
				this.bufferBytes = 0;
				releaseUnused();
			}
			return;
		}
		if (this.position > 0 && this.buffer.length - this.limit < this.buffer.length / 2) {
			int remaining = this.limit - this.position;
			System.arraycopy(this.buffer, this.position, this.buffer, 0, remaining);
			this.position = 0;
			this.limit = remaining;
		}
	}

	private void growBuffer() throws RespProtocolException {
		int capacity = (int) Math.min(this.buffer.length * 2L, MAX_ARRAY_LENGTH);
		reserve(capacity - this.buffer.length);
		this.bufferBytes += capacity - this.buffer.length;
		this.buffer = Arrays.copyOf(this.buffer, capacity);
	}

	/**
	 * Count bytes about to be allocated for the request in progress.
	 */
	private void holdForRequest(long bytes) throws RespProtocolException {
		reserve(bytes);
		this.requestBytes += bytes;
	}

	/**
	 * Make sure that {@code more} bytes beyond those held are reserved from the budget.
	 * @throws RespProtocolException if the budget has no room for them
	 */
	private void reserve(long more) throws RespProtocolException {
		long missing = this.requestBytes + this.bufferBytes + more - this.reserved;
		if (missing <= 0) {
			return;
		}
		long step = Math.max(missing, RESERVATION_STEP);
		if (this.budget.tryReserve(step)) {
			this.reserved += step;
		}
		else if (step > missing && this.budget.tryReserve(missing)) {
			this.reserved += missing;
		}
		else {
			throw RespProtocolException.requestBuffersFull();
		}
	}

	/**
	 * Give back what is reserved beyond what is held: all of it once nothing is held, otherwise
	 * once it exceeds a step, so that a connection keeps at most one step it does not use.
	 */
	private void releaseUnused() {
		long held = this.requestBytes + this.bufferBytes;
		long unused = this.reserved - held;
		if (unused > 0 && (held == 0 || unused > RESERVATION_STEP)) {
			this.budget.release(unused);
			this.reserved = held;
		}
	}

	private boolean readMultibulkLength() throws RespProtocolException {
		int end = lineEnd("too big mbulk count string");
		if (end < 0) {
			return false;
		}
		long count = parseLength(this.position + 1, end, "invalid multibulk length");
		if (count > this.limits.maxMultibulkLength()) {
			throw new RespProtocolException("invalid multibulk length");
		}
		this.position = end + 2;
		done();
		// Like Redis, a count of zero or less is an empty request, skipped without a reply.
		this.pendingArguments = (int) Math.max(count, 0);
		return true;
	}

	private boolean readArguments() throws RespProtocolException {
		while (this.pendingArguments > 0) {
			if (this.bulkLength < 0 && !readBulkLength()) {
				return false;
			}
			byte[] big = this.bigArgument;
			byte[] argument = (big != null) ? readBigBulk(big) : readBulk();
			if (argument == null) {
				return false;
			}
			this.request.add(argument);
			this.bulkLength = -1;
			this.pendingArguments--;
		}
		return true;
	}

	private boolean readBulkLength() throws RespProtocolException {
		if (this.position == this.limit) {
			return false;
		}
		byte first = this.buffer[this.position];
		if (first != '$') {
			throw new RespProtocolException("expected '$', got '" + (char) (first & 0xFF) + "'");
		}
		int end = lineEnd("too big bulk count string");
		if (end < 0) {
			return false;
		}
		long length = parseLength(this.position + 1, end, "invalid bulk length");
		if (length < 0 || length > this.limits.maxBulkLength()) {
			throw new RespProtocolException("invalid bulk length");
		}
		this.position = end + 2;
		this.bulkLength = (int) length;
		if (this.bulkLength >= BIG_ARGUMENT_LENGTH) {
			int capacity = Math.min(this.bulkLength, FIRST_BIG_ARGUMENT_CAPACITY);
			holdForRequest(capacity + ARGUMENT_OVERHEAD);
			this.bigArgument = new byte[capacity];
			this.bigArgumentLength = 0;
		}
		return true;
	}

	private byte @Nullable [] readBulk() throws RespProtocolException {
		int length = this.bulkLength;
		if (this.limit - this.position < length + 2) {
			return null;
		}
		checkLineEnding(this.position + length);
		holdForRequest(length + ARGUMENT_OVERHEAD);
		byte[] argument = (length != 0) ? Arrays.copyOfRange(this.buffer, this.position, this.position + length)
				: EMPTY;
		this.position += length + 2;
		return argument;
	}

	private byte @Nullable [] readBigBulk(byte[] gathered) throws RespProtocolException {
		byte[] argument = gathered;
		int count = Math.min(this.bulkLength - this.bigArgumentLength, this.limit - this.position);
		if (count > 0) {
			if (this.bigArgumentLength + count > argument.length) {
				int grown = (int) Math.min(Math.max(argument.length * 2L, this.bigArgumentLength + count),
						this.bulkLength);
				holdForRequest(grown - argument.length);
				argument = Arrays.copyOf(argument, grown);
				this.bigArgument = argument;
			}
			System.arraycopy(this.buffer, this.position, argument, this.bigArgumentLength, count);
			this.bigArgumentLength += count;
			this.position += count;
		}
		if (this.bigArgumentLength < this.bulkLength || this.limit - this.position < 2) {
			return null;
		}
		checkLineEnding(this.position);
		this.position += 2;
		this.bigArgument = null;
		return argument;
	}

	private boolean readInline() throws RespProtocolException {
		int newline = indexOf((byte) '\n');
		if (newline < 0) {
			if (this.limit - this.position > this.limits.maxInlineLength()) {
				throw new RespProtocolException("too big inline request");
			}
			return false;
		}
		int end = (newline > this.position && this.buffer[newline - 1] == '\r') ? newline - 1 : newline;
		if (end - this.position > this.limits.maxInlineLength()) {
			throw new RespProtocolException("too big inline request");
		}
		done();
		splitInline(this.position, end);
		this.position = newline + 1;
		return true;
	}

	/**
	 * Split an inline request into arguments the way Redis does: blanks separate arguments;
	 * double quotes allow {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \a} and
	 * {@code \xHH} escapes; single quotes allow only {@code \'}; a closing quote must be followed
	 * by a blank or the end of the line.
	 */
	private void splitInline(int from, int to) throws RespProtocolException {
		byte[] line = this.buffer;
		if (this.scratch.length < to - from) {
			int capacity = Math.max(to - from, 64);
			// Up to the read buffer's initial size, the scratch array is part of a connection's fixed cost.
			long beyondFixed = Math.max(capacity - INITIAL_CAPACITY, 0)
					- Math.max(this.scratch.length - INITIAL_CAPACITY, 0);
			reserve(beyondFixed);
			this.bufferBytes += beyondFixed;
			this.scratch = new byte[capacity];
		}
		byte[] token = this.scratch;
		int p = from;
		while (true) {
			while (p < to && isBlank(line[p])) {
				p++;
			}
			if (p == to) {
				return;
			}
			int length = 0;
			boolean inDoubleQuotes = false;
			boolean inSingleQuotes = false;
			boolean done = false;
			while (!done) {
				if (inDoubleQuotes) {
					if (p == to) {
						throw new RespProtocolException("unbalanced quotes in request");
					}
					byte current = line[p];
					if (current == '\\' && p + 3 < to && line[p + 1] == 'x' && isHexDigit(line[p + 2])
							&& isHexDigit(line[p + 3])) {
						token[length++] = (byte) (Character.digit(line[p + 2], 16) * 16
								+ Character.digit(line[p + 3], 16));
						p += 3;
					}
					else if (current == '\\' && p + 1 < to) {
						p++;
						token[length++] = unescape(line[p]);
					}
					else if (current == '"') {
						if (p + 1 < to && !isBlank(line[p + 1])) {
							throw new RespProtocolException("unbalanced quotes in request");
						}
						done = true;
					}
					else {
						token[length++] = current;
					}
				}
				else if (inSingleQuotes) {
					if (p == to) {
						throw new RespProtocolException("unbalanced quotes in request");
					}
					byte current = line[p];
					if (current == '\\' && p + 1 < to && line[p + 1] == '\'') {
						p++;
						token[length++] = '\'';
					}
					else if (current == '\'') {
						if (p + 1 < to && !isBlank(line[p + 1])) {
							throw new RespProtocolException("unbalanced quotes in request");
						}
						done = true;
					}
					else {
						token[length++] = current;
					}
				}
				else if (p == to) {
					done = true;
				}
				else {
					switch (line[p]) {
						case ' ', '\n', '\r', '\t', 0 -> done = true;
						case '"' -> inDoubleQuotes = true;
						case '\'' -> inSingleQuotes = true;
						default -> token[length++] = line[p];
					}
				}
				if (p < to) {
					p++;
				}
			}
			holdForRequest(length + ARGUMENT_OVERHEAD);
			this.request.add((length != 0) ? Arrays.copyOf(token, length) : EMPTY);
		}
	}

	/**
	 * Find the {@code \r\n} that ends the length line at the current position.
	 * @return the index of its {@code \r}, or -1 if the line is not complete yet
	 */
	private int lineEnd(String tooLongDetail) throws RespProtocolException {
		for (int i = this.position; i < this.limit; i++) {
			if (this.buffer[i] == '\r') {
				if (i - this.position > this.limits.maxInlineLength()) {
					throw new RespProtocolException(tooLongDetail);
				}
				if (i + 1 == this.limit) {
					return -1;
				}
				if (this.buffer[i + 1] != '\n') {
					throw new RespProtocolException("expected CRLF after length");
				}
				return i;
			}
		}
		if (this.limit - this.position > this.limits.maxInlineLength()) {
			throw new RespProtocolException(tooLongDetail);
		}
		return -1;
	}

	private long parseLength(int from, int to, String invalidDetail) throws RespProtocolException {
		try {
			return RespNumbers.parseLong(this.buffer, from, to);
		}
		catch (NumberFormatException ex) {
			throw new RespProtocolException(invalidDetail);
		}
	}

	private void checkLineEnding(int index) throws RespProtocolException {
		if (this.buffer[index] != '\r' || this.buffer[index + 1] != '\n') {
			throw new RespProtocolException("expected CRLF after bulk data");
		}
	}

	private int indexOf(byte value) {
		for (int i = this.position; i < this.limit; i++) {
			if (this.buffer[i] == value) {
				return i;
			}
		}
		return -1;
	}

	private static boolean isBlank(byte value) {
		return value == ' ' || value == '\t' || value == '\n' || value == '\r' || value == 0x0B || value == '\f';
	}

	private static boolean isHexDigit(byte value) {
		return Character.digit(value, 16) >= 0;
	}

	private static byte unescape(byte value) {
		return switch (value) {
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			case 'b' -> '\b';
			case 'a' -> 0x07;
			default -> value;
		};
	}

}
