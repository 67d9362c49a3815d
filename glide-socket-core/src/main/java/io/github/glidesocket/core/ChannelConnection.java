package io.github.glidesocket.core;

import java.nio.channels.SocketChannel;

/**
 * An admitted connection whose channel is served by a {@link SocketChannelHandler}. The socket
 * counts it as served (in {@code max-connections}, the per-peer limit, the active connections)
 * until {@link #closed()} is called, or until the socket's stop deadline closes it.
 */
public interface ChannelConnection extends AcceptedConnection {

	/**
	 * The accepted channel, in blocking mode as accepted; the handler may configure it (for
	 * example make it non-blocking and register it with a selector of its own).
	 * @return the channel
	 */
	SocketChannel channel();

	/**
	 * Tell the socket that the connection has ended: its slot (in {@code max-connections} and for
	 * its peer) is given back and it is counted closed. Closes the channel too if it is still
	 * open. Idempotent, thread-safe and cheap: call it wherever the server closes a connection.
	 */
	void closed();

}
