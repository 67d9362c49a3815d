package io.github.glidesocket.core;

/**
 * Serves connections on a few event-loop threads with non-blocking I/O, instead of one thread per
 * connection ({@link SocketConnectionHandler}). Set it with
 * {@link SocketOptions.Builder#eventHandler(SocketEventHandler)}; a socket has one kind of
 * handler.
 * <p>
 * When a connection is accepted, {@link #open} creates its {@link SocketSession}, which then
 * receives the connection's bytes as they arrive. Every call runs on the connection's loop
 * thread, which serves many other connections: <b>handler and session code must not block</b>
 * (no blocking I/O, locks held by slow code, or sleeps). Hand slow work to an executor of your
 * own. An exception closes only that connection and is logged.
 * <p>
 * The loop reads only when the connection's replies have been written: a peer that sends
 * requests but never reads the replies stops being read, so its server-side buffers stay small.
 */
@FunctionalInterface
public interface SocketEventHandler {

	/**
	 * Start serving an accepted connection. Called on the connection's loop thread.
	 * @param connection the connection, also the place to write replies; valid until
	 * {@link SocketSession#closed()}
	 * @return the session that receives the connection's input
	 * @throws Exception on any failure; the connection is closed and the failure logged
	 */
	SocketSession open(EventConnection connection) throws Exception;

}
