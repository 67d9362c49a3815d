package io.github.glidesocket.sample.resp;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

import io.github.glidesocket.core.SocketConnection;

/**
 * A {@link SocketConnection} over in-memory streams.
 */
final class TestSocketConnection extends TestAcceptedConnection implements SocketConnection {

	private final InputStream input;

	private final OutputStream output;

	private volatile boolean shutdownRequested;

	TestSocketConnection(long id, InputStream input, OutputStream output) {
		super(id);
		this.input = input;
		this.output = output;
	}

	@Override
	public InputStream inputStream() {
		return this.input;
	}

	@Override
	public OutputStream outputStream() {
		return this.output;
	}

	@Override
	public boolean isShutdownRequested() {
		return this.shutdownRequested;
	}

	/**
	 * Report from now on that the socket is stopping, as a graceful stop does before it ends the
	 * input.
	 */
	void requestShutdown() {
		this.shutdownRequested = true;
	}

	@Override
	public SocketChannel channel() {
		throw new UnsupportedOperationException("No channel behind an in-memory connection");
	}

}
