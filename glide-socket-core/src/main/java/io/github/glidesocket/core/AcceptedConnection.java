package io.github.glidesocket.core;

import java.time.Instant;

/**
 * What every accepted connection tells about itself, whichever way it is served: on its own
 * thread ({@link SocketConnection}) or by an event loop ({@link EventConnection}).
 */
public interface AcceptedConnection {

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

}
