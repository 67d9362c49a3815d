package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One {@code GET} on a connection of its own to a loopback port (nginx), so that every request
 * also counts as a connect: a refused connect and a failed request are told apart.
 */
final class HttpGet {

	private HttpGet() {
	}

	/**
	 * Send {@code GET path} and read the whole reply.
	 * @param port the loopback port
	 * @param path the path and query
	 * @return the reply
	 * @throws ConnectException if the connection could not be made
	 * @throws IOException if the request failed after the connection was made
	 */
	static Reply get(int port, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
			socket.setSoTimeout(120_000);
			OutputStream output = socket.getOutputStream();
			output.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			String reply = new String(input.readAllBytes(), StandardCharsets.UTF_8);
			int headersEnd = reply.indexOf("\r\n\r\n");
			if (!reply.startsWith("HTTP/1.1 ") || headersEnd < 0) {
				throw new IOException("Not an HTTP reply: '" + reply + "'");
			}
			int status = Integer.parseInt(reply.substring(9, 12));
			return new Reply(status, reply.substring(headersEnd + 4));
		}
	}

	/**
	 * Whether a {@code GET} is answered with status 200 and a body containing the text.
	 * @param port the loopback port
	 * @param path the path
	 * @param text the text
	 * @return whether it is
	 */
	static boolean answers(int port, String path, String text) {
		try {
			Reply reply = get(port, path);
			return reply.status() == 200 && reply.body().contains(text);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A reply.
	 * @param status the status code
	 * @param body the body (as it came: possibly chunked)
	 */
	record Reply(int status, String body) {
	}

}
