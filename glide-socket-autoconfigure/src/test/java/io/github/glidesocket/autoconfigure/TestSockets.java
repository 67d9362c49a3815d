package io.github.glidesocket.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.github.glidesocket.core.SocketConnectionHandler;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Client helpers for tests that talk to real sockets.
 */
public final class TestSockets {

	private TestSockets() {
	}

	/**
	 * A handler that answers each line with the same line.
	 * @return the handler
	 */
	public static SocketConnectionHandler echo() {
		return (connection) -> connection.inputStream().transferTo(connection.outputStream());
	}

	public static AFUNIXSocket connect(String path) throws IOException {
		return AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new File(path)));
	}

	/**
	 * Send a line and read the answer up to its newline.
	 * @return the answer, or {@code null} if the server closed the connection without one
	 */
	public static String roundTrip(String path, String line) throws IOException {
		try (AFUNIXSocket socket = connect(path)) {
			try {
				send(socket, line);
				return readLine(socket.getInputStream());
			}
			catch (java.net.SocketException ex) {
				// Refused connections are closed by the server, possibly before the request is sent.
				return null;
			}
		}
	}

	public static void send(AFUNIXSocket socket, String line) throws IOException {
		OutputStream output = socket.getOutputStream();
		output.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		output.flush();
	}

	/**
	 * Read up to a newline; returns what was read, or {@code null} at end of stream with
	 * nothing read.
	 */
	public static String readLine(InputStream input) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = input.read()) != -1) {
			if (b == '\n') {
				return line.toString(StandardCharsets.UTF_8);
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.UTF_8) : null;
	}

}
