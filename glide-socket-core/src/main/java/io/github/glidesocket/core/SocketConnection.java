package io.github.glidesocket.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * An accepted connection, as seen by a {@link SocketConnectionHandler} on its own thread.
 */
public interface SocketConnection extends AcceptedConnection {

	/**
	 * The stream of bytes from the peer. A connection whose peer sends nothing for the socket's
	 * idle timeout is closed, which ends a read waiting on it with an exception.
	 * @return the input stream
	 */
	InputStream inputStream();

	/**
	 * The stream of bytes to the peer. Unbuffered: wrap it or write whole replies.
	 * @return the output stream
	 */
	OutputStream outputStream();

	/**
	 * Whether the socket is stopping gracefully. It is set before the connection's input is ended,
	 * so a handler whose read returns end-of-stream can tell a stop (send the protocol's goodbye,
	 * finish, return) from its peer closing. A read blocked when the stop begins returns at once.
	 * @return whether a graceful stop has begun
	 */
	boolean isShutdownRequested();

	/**
	 * The underlying channel, in blocking mode, for options and operations the streams do not
	 * cover (scattering reads, gathering writes). Reads through it do not count as activity for
	 * the idle timeout.
	 * @return the channel
	 */
	SocketChannel channel();

}
