package io.github.glidesocket.autoconfigure.web.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client on a Unix-domain socket, reading raw responses, for tests that
 * check exactly what a peer receives.
 */
final class UnixHttp implements AutoCloseable {

	private final SocketChannel channel;

	private UnixHttp(SocketChannel channel) {
		this.channel = channel;
	}

	static UnixHttp connect(String path) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.connect(UnixDomainSocketAddress.of(path));
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		return new UnixHttp(channel);
	}

	/**
	 * Send one request and read everything until the server closes the connection.
	 */
	static String get(String path, String target) throws IOException {
		try (UnixHttp client = connect(path)) {
			try {
				client.send(target, false);
			}
			catch (IOException ex) {
				// Refused connections may be closed before the request is sent.
			}
			return client.readToEnd();
		}
	}

	void send(String target, boolean keepAlive) throws IOException {
		String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
				+ (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
		ByteBuffer buffer = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
		while (buffer.hasRemaining()) {
			this.channel.write(buffer);
		}
	}

	/**
	 * Read one response that has a {@code Content-Length}, leaving the connection open.
	 */
	String readResponse() throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		while (!isComplete(received.toString(StandardCharsets.US_ASCII))) {
			buffer.clear();
			if (this.channel.read(buffer) < 0) {
				break;
			}
			received.write(buffer.array(), 0, buffer.position());
		}
		return received.toString(StandardCharsets.US_ASCII);
	}

	private static boolean isComplete(String response) {
		int headersEnd = response.indexOf("\r\n\r\n");
		if (headersEnd < 0) {
			return false;
		}
		String headers = response.substring(0, headersEnd).toLowerCase();
		int lengthAt = headers.indexOf("content-length:");
		if (lengthAt < 0) {
			return false;
		}
		int lineEnd = headers.indexOf("\r\n", lengthAt);
		String value = headers.substring(lengthAt + "content-length:".length(), (lineEnd < 0) ? headers.length() : lineEnd);
		return response.length() - headersEnd - 4 >= Integer.parseInt(value.trim());
	}

	/**
	 * Read until the server closes the connection; empty if it sent nothing.
	 */
	String readToEnd() throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		try {
			while (this.channel.read(buffer.clear()) >= 0) {
				received.write(buffer.array(), 0, buffer.position());
			}
		}
		catch (IOException ex) {
			// A reset after the last bytes: what was read is the answer.
		}
		return received.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
