package io.github.glidesocket.core;

/**
 * Takes each admitted connection's channel to serve it on an I/O system of its own, such as an
 * embedded web server. The socket still accepts: its peer policy, connection limits, refusal
 * counting and the connections queued at a stop or a handover stay the socket's; the server
 * only serves the channels it is handed, and never binds, chmods or unlinks the path.
 * <p>
 * Called once per admitted connection, on the thread that accepted it: it must hand the channel
 * over and return without blocking. Whatever it throws, an {@link Error} included, costs only
 * that connection: it is closed, its slot given back and the failure counted as
 * {@link SocketCallback#CHANNEL_HANDLER}.
 * <p>
 * When the socket stops (its last reference closes, a graceful stop, a handover after a
 * takeover) it stops accepting, hands over the connections already queued, then waits until each
 * connection still open is {@link ChannelConnection#closed() closed} by the server, up to the
 * stop's deadline (the shutdown timeout, or the handover timeout), and closes the channels left
 * open itself.
 */
@FunctionalInterface
public interface SocketChannelHandler {

	/**
	 * Take an admitted connection: from now on its channel is the handler's to serve, and the
	 * handler calls {@link ChannelConnection#closed()} once it has closed it.
	 * @param connection the admitted connection
	 * @throws Exception on any failure; the connection is then closed and the failure logged
	 */
	void handle(ChannelConnection connection) throws Exception;

}
