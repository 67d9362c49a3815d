package io.github.glidesocket.core.internal.transport;

import java.time.Duration;

import io.github.glidesocket.core.PeerCredentials;

/**
 * What a listener needs of each connection it serves, whichever way it is served, to stop it.
 * Both methods may be called from any thread and return without waiting for I/O.
 */
interface ServedConnection {

	/**
	 * The credentials of the connection's peer.
	 * @return the credentials
	 */
	PeerCredentials peer();

	/**
	 * How long the connection has been open.
	 * @return the time since it was accepted
	 */
	Duration lifetime();

	/**
	 * Let the connection finish: its input reaches end-of-stream after the bytes already received.
	 */
	void signalShutdown();

	/**
	 * Close the connection now.
	 */
	void forceClose();

}
