package io.github.glidesocket.autoconfigure.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A minimal HTTP/1.1 client over a Unix-domain socket (the JDK's channels): one request per
 * connection, the whole response read until the server closes.
 */
public final class HttpOverUnixSocket {

	private HttpOverUnixSocket() {
	}

	/**
	 * Connect to the socket.
	 * @param path the socket path
	 * @return the connected channel
	 * @throws IOException if the connection fails
	 */
	public static SocketChannel connect(Path path) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(path));
		return channel;
	}

	/**
	 * Send a GET request that asks the server to close the connection after its response.
	 * @param channel the connection
	 * @param target the request target, such as {@code /hello}
	 * @throws IOException if the write fails
	 */
	public static void sendGet(SocketChannel channel, String target) throws IOException {
		send(channel, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
	}

	/**
	 * Send a GET request that keeps the connection open after its response.
	 * @param channel the connection
	 * @param target the request target, such as {@code /hello}
	 * @throws IOException if the write fails
	 */
	public static void sendKeepAliveGet(SocketChannel channel, String target) throws IOException {
		send(channel, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
	}

	private static void send(SocketChannel channel, String text) throws IOException {
		ByteBuffer request = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
		while (request.hasRemaining()) {
			channel.write(request);
		}
	}

	/**
	 * Read one response that declares its {@code Content-Length}, leaving the connection open.
	 * @param channel the connection
	 * @return the response, or what was read before the server closed the connection
	 * @throws IOException if the read fails
	 */
	public static String readResponse(SocketChannel channel) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(8192);
		while (!isComplete(bytes.toString(StandardCharsets.ISO_8859_1)) && channel.read(buffer) >= 0) {
			bytes.write(buffer.array(), 0, buffer.position());
			buffer.clear();
		}
		return bytes.toString(StandardCharsets.ISO_8859_1);
	}

	private static boolean isComplete(String response) {
		int headersEnd = response.indexOf("\r\n\r\n");
		if (headersEnd < 0) {
			return false;
		}
		for (String header : response.substring(0, headersEnd).split("\r\n")) {
			if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
				return response.length() - headersEnd - 4 >= Integer.parseInt(header.substring(15).trim());
			}
		}
		return false;
	}

	/**
	 * Read everything the server sends until it closes the connection.
	 * @param channel the connection
	 * @return the bytes, as text
	 * @throws IOException if the read fails
	 */
	public static String readAll(SocketChannel channel) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(8192);
		try {
			while (channel.read(buffer) >= 0) {
				bytes.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
		}
		catch (IOException ex) {
			// A reset after the bytes already read ends the response too.
			if (bytes.size() == 0 && !String.valueOf(ex.getMessage()).contains("reset")) {
				throw ex;
			}
		}
		return bytes.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * One GET request on a connection of its own.
	 * @param path the socket path
	 * @param target the request target
	 * @return the response, status line, headers and body
	 * @throws IOException if the exchange fails
	 */
	public static String get(Path path, String target) throws IOException {
		try (SocketChannel channel = connect(path)) {
			try {
				sendGet(channel, target);
			}
			catch (IOException ex) {
				// A refused connection may be closed before the request is written: the answer
				// is then what can be read, nothing.
			}
			return readAll(channel);
		}
	}

}
