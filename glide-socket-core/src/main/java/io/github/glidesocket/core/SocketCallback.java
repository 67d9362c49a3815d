package io.github.glidesocket.core;

import java.util.Locale;

/**
 * The application's code that a socket calls while it serves connections, as named when one of
 * them fails ({@link SocketEventListener#callbackFailed(String, SocketCallback, Throwable)}).
 * Whatever such code throws, an {@link Error} included, costs only the connection it was called
 * for: the connection is closed (or refused), the failure counted and logged, and the socket's
 * other connections and the manager's other sockets are served on.
 */
public enum SocketCallback {

	/** {@link PeerPolicy#allows(PeerCredentials)}: the connection is refused with {@link RejectReason#ERROR}. */
	PEER_POLICY,

	/** {@link SocketConnectionHandler#handle(SocketConnection)}: the connection is closed. */
	CONNECTION_HANDLER,

	/** {@link SocketEventHandler#open(EventConnection)}: the connection is closed. */
	EVENT_HANDLER,

	/** A method of a {@link SocketSession}: the connection is closed. */
	SESSION,

	/** {@link SocketChannelHandler#handle(ChannelConnection)}: the connection is closed. */
	CHANNEL_HANDLER;

	/**
	 * The callback as a metric tag value, such as {@code peer-policy}.
	 * @return the tag value
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
