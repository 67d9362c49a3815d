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
 * buffer, and one whose peer reads slowly holds only what it could not send. Loop thread only.
 */
final class OutputBuffer {

	/** Bytes a connection keeps for its unsent output after a drain; more is released. */
	private static final int RETAINED_CAPACITY = 16 * 1024;

	private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private final byte[] staging;

	private byte[] array;

	/** The first byte not sent. */
	private int start;

	/** The end of the bytes written. */
	private int end;

	OutputBuffer(byte[] staging) {
		this.staging = staging;
		this.array = staging;
	}

	void write(int b) {
		ensureRoom(1);
		this.array[this.end++] = (byte) b;
	}

	void write(byte[] bytes, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		ensureRoom(length);
		System.arraycopy(bytes, offset, this.array, this.end, length);
		this.end += length;
	}

	void write(ByteBuffer bytes) {
		int length = bytes.remaining();
		ensureRoom(length);
		bytes.get(this.array, this.end, length);
		this.end += length;
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
				this.array = this.staging;
			}
			return true;
		}
		if (this.array == this.staging) {
			moveTo(new byte[Math.max(pending(), 4096)]);
		}
		return false;
	}

	/**
	 * Forget what was not sent; the connection is closing.
	 */
	void discard() {
		this.start = 0;
		this.end = 0;
		this.array = this.staging;
	}

	private void ensureRoom(int length) {
		if (this.array.length - this.end >= length) {
			return;
		}
		long needed = (long) pending() + length;
		if (needed > MAX_ARRAY_LENGTH) {
			throw new IllegalStateException("More than " + MAX_ARRAY_LENGTH + " bytes of output are pending");
		}
		if (this.array != this.staging && needed <= this.array.length) {
			moveTo(this.array);
			return;
		}
		moveTo(new byte[(int) Math.min(Math.max(needed, this.array.length * 2L), MAX_ARRAY_LENGTH)]);
	}

	private void moveTo(byte[] target) {
		int pending = pending();
		System.arraycopy(this.array, this.start, target, 0, pending);
		this.array = target;
		this.start = 0;
		this.end = pending;
	}

	@Override
	public String toString() {
		return "OutputBuffer[pending=" + pending() + "]";
	}

}
