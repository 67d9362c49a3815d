package io.github.glidesocket.sample.resp;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Instant;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketConnection;

/**
 * A {@link SocketConnection} over in-memory streams.
 */
final class TestSocketConnection implements SocketConnection {

	private final long id;

	private final InputStream input;

	private final OutputStream output;

	TestSocketConnection(long id, InputStream input, OutputStream output) {
		this.id = id;
		this.input = input;
		this.output = output;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public String socketPath() {
		return "/tmp/test.sock";
	}

	@Override
	public PeerCredentials peer() {
		return new PeerCredentials(ProcessHandle.current().pid(), 1000, 1000, new long[] { 1000 });
	}

	@Override
	public Instant connectedAt() {
		return Instant.EPOCH;
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
	public Socket socket() {
		throw new UnsupportedOperationException("No socket behind an in-memory connection");
	}

}
