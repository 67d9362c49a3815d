package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * The bytes one event-loop connection has written and not yet sent.
 * <p>
 * Replies are written into the loop's staging array, which all its connections share, and
 * normally sent before the loop serves the next connection; only bytes the socket does not take
 * at once move to an array of the connection's own. So an idle connection holds no output
 * buffer, and one whose peer reads slowly holds only what it could not send. An array of its own
 * is reserved from the manager's {@link BufferBudget}, and the bytes waiting are capped per
 * connection: a write beyond either is dropped and the buffer marks itself overflowed, for the
 * connection to close. Loop thread only.
 */
final class OutputBuffer {

	/** Bytes a connection keeps for its unsent output after a drain; more is released. */
	private static final int RETAINED_CAPACITY = 16 * 1024;

	private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private final byte[] staging;

	private final BufferBudget budget;

	/** The most bytes that may wait, or {@code -1} for no limit. */
	private final long limit;

	private byte[] array;

	private boolean overflowed;

	/** The first byte not sent. */
	private int start;

	/** The end of the bytes written. */
	private int end;

	OutputBuffer(byte[] staging, BufferBudget budget, long limit) {
		this.staging = staging;
		this.array = staging;
		this.budget = budget;
		this.limit = limit;
	}

	void write(int b) {
		if (ensureRoom(1)) {
			this.array[this.end++] = (byte) b;
		}
	}

	void write(byte[] bytes, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (ensureRoom(length)) {
			System.arraycopy(bytes, offset, this.array, this.end, length);
			this.end += length;
		}
	}

	void write(ByteBuffer bytes) {
		int length = bytes.remaining();
		if (ensureRoom(length)) {
			bytes.get(this.array, this.end, length);
			this.end += length;
		}
		else {
			bytes.position(bytes.limit());
		}
	}

	/**
	 * Whether a write was dropped because the connection's limit or the manager's budget was
	 * reached; the connection must close.
	 * @return whether the buffer overflowed
	 */
	boolean overflowed() {
		return this.overflowed;
	}

	int pending() {
		return this.end - this.start;
	}

	/**
	 * Send as much as the channel takes without blocking. Bytes left over move out of the shared
	 * staging array, so the next connection finds it empty.
	 * @param channel a non-blocking channel
	 * @return whether everything was sent
	 * @throws IOException if the write fails
	 */
	boolean sendTo(WritableByteChannel channel) throws IOException {
		if (this.start < this.end) {
			this.start += channel.write(ByteBuffer.wrap(this.array, this.start, this.end - this.start));
		}
		if (this.start == this.end) {
			this.start = 0;
			this.end = 0;
			if (this.array != this.staging && this.array.length > RETAINED_CAPACITY) {
				useStaging();
			}
			return true;
		}
		if (this.array == this.staging && !moveToOwn(Math.max(pending(), 4096))) {
			this.overflowed = true;
		}
		return false;
	}

	/**
	 * Forget what was not sent and give back what was reserved; the connection is closing.
	 */
	void discard() {
		this.start = 0;
		this.end = 0;
		useStaging();
	}

	private void useStaging() {
		if (this.array != this.staging) {
			this.budget.release(this.array.length);
			this.array = this.staging;
		}
	}

	/**
	 * Make room for more bytes, within the limit and the budget.
	 * @return whether there is room; if not, the buffer has overflowed
	 */
	private boolean ensureRoom(int length) {
		if (this.overflowed) {
			return false;
		}
		long needed = (long) pending() + length;
		if ((this.limit != -1 && needed > this.limit) || needed > MAX_ARRAY_LENGTH) {
			this.overflowed = true;
			return false;
		}
		if (this.array.length - this.end >= length) {
			return true;
		}
		if (this.array != this.staging && needed <= this.array.length) {
			compact();
			return true;
		}
		long capacity = Math.min(Math.max(needed, this.array.length * 2L), MAX_ARRAY_LENGTH);
		if (this.limit != -1) {
			capacity = Math.max(needed, Math.min(capacity, this.limit));
		}
		if (!moveToOwn((int) capacity)) {
			this.overflowed = true;
			return false;
		}
		return true;
	}

	/**
	 * Move the pending bytes to a new array of the connection's own, reserved from the budget.
	 */
	private boolean moveToOwn(int capacity) {
		if (!this.budget.tryReserve(capacity)) {
			return false;
		}
		byte[] target = new byte[capacity];
		int pending = pending();
		System.arraycopy(this.array, this.start, target, 0, pending);
		if (this.array != this.staging) {
			this.budget.release(this.array.length);
		}
		this.array = target;
		this.start = 0;
		this.end = pending;
		return true;
	}

	private void compact() {
		int pending = pending();
		System.arraycopy(this.array, this.start, this.array, 0, pending);
		this.start = 0;
		this.end = pending;
	}

	@Override
	public String toString() {
		return "OutputBuffer[pending=" + pending() + "]";
	}

}
