package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import io.github.glidesocket.core.EventConnection;

/**
 * An {@link EventConnection} whose output goes to an in-memory stream.
 */
final class TestEventConnection extends TestAcceptedConnection implements EventConnection {

	private final OutputStream output;

	private boolean closing;

	private boolean holdingOutput;

	private int pendingOutput;

	private boolean written;

	TestEventConnection(long id, OutputStream output) {
		super(id);
		this.output = output;
	}

	/**
	 * Count what is written as pending until {@link #sendPendingOutput()}, as a loop does while
	 * the peer does not read.
	 * @return this connection
	 */
	TestEventConnection holdingOutput() {
		this.holdingOutput = true;
		return this;
	}

	void sendPendingOutput() {
		this.pendingOutput = 0;
	}

	boolean isClosing() {
		return this.closing;
	}

	/**
	 * Whether anything was written since the last call.
	 * @return {@code true} if bytes were written
	 */
	boolean wroteSinceLastAsked() {
		boolean written = this.written;
		this.written = false;
		return written;
	}

	@Override
	public void write(ByteBuffer bytes) {
		byte[] copy = new byte[bytes.remaining()];
		bytes.get(copy);
		write(copy, 0, copy.length);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		this.written |= length > 0;
		if (this.holdingOutput) {
			this.pendingOutput += length;
		}
		try {
			this.output.write(bytes, offset, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public OutputStream outputStream() {
		return new OutputStream() {

			@Override
			public void write(int b) {
				TestEventConnection.this.write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				TestEventConnection.this.write(bytes, offset, length);
			}

			@Override
			public void flush() throws IOException {
				TestEventConnection.this.output.flush();
			}

		};
	}

	@Override
	public int pendingOutputBytes() {
		return this.pendingOutput;
	}

	@Override
	public void close() {
		this.closing = true;
	}

}
