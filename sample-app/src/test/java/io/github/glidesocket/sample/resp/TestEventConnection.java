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

	TestEventConnection(long id, OutputStream output) {
		super(id);
		this.output = output;
	}

	boolean isClosing() {
		return this.closing;
	}

	@Override
	public void write(ByteBuffer bytes) {
		byte[] copy = new byte[bytes.remaining()];
		bytes.get(copy);
		write(copy, 0, copy.length);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		try {
			this.output.write(bytes, offset, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public OutputStream outputStream() {
		return this.output;
	}

	@Override
	public int pendingOutputBytes() {
		return 0;
	}

	@Override
	public void close() {
		this.closing = true;
	}

}
