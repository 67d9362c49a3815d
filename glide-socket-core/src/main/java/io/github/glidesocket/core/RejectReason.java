package io.github.glidesocket.core;

/**
 * Why a connection was refused. The set is small and fixed so that it can be used as a metric
 * tag.
 */
public enum RejectReason {

	/** The socket already served its maximum number of concurrent connections. */
	LIMIT,

	/** The peer's credentials are not allowed by the socket's {@link PeerPolicy}. */
	PEER,

	/** Peers of the same user already hold their share of connections ({@link SocketOptions#maxConnectionsPerPeer()}). */
	PEER_LIMIT,

	/** The socket was stopping when the connection arrived. */
	SHUTDOWN,

	/** No {@link SocketConnectionHandler} is configured for the socket. */
	NO_HANDLER,

	/** The connection could not be set up (its credentials could not be read, or no thread was available). */
	ERROR;

	/**
	 * The lower-case name used in tags and logs.
	 * @return the tag value
	 */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
