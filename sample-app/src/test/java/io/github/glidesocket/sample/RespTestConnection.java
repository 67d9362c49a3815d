package io.github.glidesocket.sample;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A raw connection to the key-value socket that sends exactly the bytes a test gives it and
 * reads replies with a timeout, so that a server that neither answers nor closes fails the test
 * instead of hanging it.
 */
public final class RespTestConnection implements AutoCloseable {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	private final AFUNIXSocket socket;

	private final InputStream input;

	private final OutputStream output;

	private RespTestConnection(AFUNIXSocket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
		this.input = socket.getInputStream();
		this.output = socket.getOutputStream();
	}

	public static RespTestConnection open(Path path) throws IOException {
		return new RespTestConnection(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)));
	}

	/**
	 * Send bytes as they are.
	 * @param raw the bytes, as US-ASCII text
	 * @return this connection
	 * @throws IOException if the write fails
	 */
	public RespTestConnection sendRaw(String raw) throws IOException {
		this.output.write(raw.getBytes(StandardCharsets.US_ASCII));
		this.output.flush();
		return this;
	}

	/**
	 * Send bytes as they are, which need not be text.
	 * @param bytes the bytes
	 * @return this connection
	 * @throws IOException if the write fails
	 */
	public RespTestConnection sendBytes(byte[] bytes) throws IOException {
		this.output.write(bytes);
		this.output.flush();
		return this;
	}

	/**
	 * Send a request as a multibulk array, as client libraries do, and read its reply.
	 * @param arguments the command and its arguments
	 * @return the reply, see {@link #readReply()}
	 * @throws IOException if the exchange fails or times out
	 */
	public String command(String... arguments) throws IOException {
		send(arguments);
		return readReply();
	}

	private void send(String... arguments) throws IOException {
		StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
		for (String argument : arguments) {
			byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
			request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
		}
		this.output.write(request.toString().getBytes(StandardCharsets.UTF_8));
		this.output.flush();
	}

	/**
	 * Send a request as a multibulk array and read its reply with its type, as a client of
	 * either protocol reads it.
	 * @param arguments the command and its arguments
	 * @return the reply
	 * @throws IOException if the exchange fails or times out, or the reply is malformed
	 */
	public RespReply request(String... arguments) throws IOException {
		send(arguments);
		return new RespReplyReader(this.input).read();
	}

	/**
	 * Read one reply: a status, error or integer reply as its line with its type byte (
	 * {@code +PONG}, {@code -ERR ...}, {@code :1}), a bulk reply as its content, a null bulk as
	 * {@code null}.
	 * @return the reply
	 * @throws IOException if the read fails or times out, or the connection ends first
	 */
	public String readReply() throws IOException {
		String line = readLine();
		if (!line.startsWith("$")) {
			return line;
		}
		int length = Integer.parseInt(line.substring(1));
		if (length < 0) {
			return null;
		}
		byte[] content = this.input.readNBytes(length + 2);
		if (content.length < length + 2) {
			throw new EOFException("Connection ended inside a bulk reply of " + length + " bytes");
		}
		return new String(content, 0, length, StandardCharsets.UTF_8);
	}

	private String readLine() throws IOException {
		return RespReplyReader.readLine(this.input);
	}

	/**
	 * Whether the server has closed the connection: the next read reaches end-of-stream (or
	 * the connection is reset) within the read timeout, with no bytes before it.
	 * @return {@code true} if the connection was closed by the server
	 * @throws IOException if the server sends more bytes or the read fails
	 */
	public boolean isClosedByServer() throws IOException {
		try {
			int next = this.input.read();
			if (next != -1) {
				throw new IOException("Expected end of stream, got byte " + next);
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			// A reset also means that the server closed its end.
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
