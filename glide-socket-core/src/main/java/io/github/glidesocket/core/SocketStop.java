package io.github.glidesocket.core;

/**
 * How a socket is being stopped while references to it are open, as
 * {@link SocketReference#whenStopping()} tells their holders.
 */
public enum SocketStop {

	/**
	 * {@link SocketManager#shutdownSocket(String, java.time.Duration) shutdownSocket} or
	 * {@link SocketManager#shutdownGracefully(java.time.Duration) shutdownGracefully}: the socket
	 * has stopped accepting and its file is removed; connections already open may finish until
	 * the stop's deadline.
	 */
	GRACEFUL,

	/**
	 * {@link SocketManager#cleanupAllSockets() cleanupAllSockets} or the manager's
	 * {@link SocketManager#close() close}: the socket is closed with its connections at once.
	 */
	FORCED,

	/**
	 * Another process that the socket's {@link SocketOptions#serverPolicy() server policy}
	 * trusts took the socket's path over ({@link SocketOptions#takeover()}): the socket accepted
	 * the connections already queued on it and stopped accepting; its file now belongs to the new
	 * process and is left alone; connections already open may finish until the
	 * {@link SocketOptions#handoverTimeout() handover timeout}.
	 */
	TAKEN_OVER

}
