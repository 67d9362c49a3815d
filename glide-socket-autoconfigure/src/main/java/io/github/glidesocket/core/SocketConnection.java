package io.github.glidesocket.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Instant;

/**
 * An accepted connection, as seen by a {@link SocketConnectionHandler}.
 */
public interface SocketConnection {

	/**
	 * A number unique among the connections of the manager.
	 * @return the connection id
	 */
	long id();

	/**
	 * The path of the socket the connection arrived on.
	 * @return the socket path
	 */
	String socketPath();

	/**
	 * The peer's credentials, read from the kernel when the connection was accepted.
	 * @return the peer
	 */
	PeerCredentials peer();

	/**
	 * When the connection was accepted.
	 * @return the accept time
	 */
	Instant connectedAt();

	/**
	 * The stream of bytes from the peer. A read waits at most the socket's idle timeout.
	 * @return the input stream
	 */
	InputStream inputStream();

	/**
	 * The stream of bytes to the peer. Unbuffered: wrap it or write whole replies.
	 * @return the output stream
	 */
	OutputStream outputStream();

	/**
	 * The underlying socket, for options the streams do not cover.
	 * @return the socket
	 */
	Socket socket();

}
