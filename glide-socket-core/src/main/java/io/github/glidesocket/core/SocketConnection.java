package io.github.glidesocket.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * An accepted connection, as seen by a {@link SocketConnectionHandler} on its own thread.
 */
public interface SocketConnection extends AcceptedConnection {

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
