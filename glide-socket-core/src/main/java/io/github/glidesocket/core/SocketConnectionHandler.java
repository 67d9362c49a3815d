package io.github.glidesocket.core;

/**
 * Serves one accepted connection. Called on a connection thread (a virtual thread when the
 * manager was asked for them and the JDK has them, a platform thread otherwise), never on the
 * acceptor loop and never under a lock of the manager.
 * <p>
 * The connection is closed when this method returns or throws; an exception closes only this
 * connection and is logged. When the socket stops gracefully its input reaches end-of-stream: a
 * handler that answers what it has read and returns on end-of-stream shuts down cleanly. A
 * connection still open at the shutdown deadline is closed under the handler, whose blocked read
 * or write then fails.
 */
@FunctionalInterface
public interface SocketConnectionHandler {

	/**
	 * Serve the connection until the peer is done.
	 * @param connection the accepted connection; valid until this method returns
	 * @throws Exception on any failure; the connection is closed and the failure logged
	 */
	void handle(SocketConnection connection) throws Exception;

}
