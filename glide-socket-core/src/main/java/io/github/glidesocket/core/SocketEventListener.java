package io.github.glidesocket.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Receives what happens to a manager's sockets, for metrics and logs. Every method has an empty
 * default.
 * <p>
 * Methods are called on the manager's event threads ({@code <name>-events-N}, daemon threads),
 * never on the thread that caused the event and never under a lock: the {@code close()} that
 * releases a socket's last reference, an accept or connection thread, the scheduler. A listener
 * receives its events one at a time, in the order the manager reported them; each listener has
 * its own queue, so one that is slow or blocks delays only its own later events (one busy with an
 * event for more than a few seconds is logged). An exception is logged and the next event is
 * delivered. Events therefore arrive shortly after the fact: a listener that counts sees the
 * count of an action some time after the action returned.
 */
public interface SocketEventListener {

	/**
	 * A socket was bound and its file published at the path.
	 * @param path the socket path
	 */
	default void socketBound(String path) {
	}

	/**
	 * A socket was closed and its file removed.
	 * @param path the socket path
	 * @param cleanupTime from the moment cleanup began (the last release, or the end of the linger)
	 * until the file was gone
	 */
	default void socketClosed(String path, Duration cleanupTime) {
	}

	/**
	 * The socket's file was found missing or replaced, and the socket was bound again.
	 * @param path the socket path
	 */
	default void socketRebound(String path) {
	}

	/**
	 * A connection was accepted and handed to the handler.
	 * @param path the socket path
	 */
	default void connectionAccepted(String path) {
	}

	/**
	 * A connection was refused and closed.
	 * @param path the socket path
	 * @param reason why
	 */
	default void connectionRejected(String path, RejectReason reason) {
	}

	/**
	 * A served connection ended.
	 * @param path the socket path
	 */
	default void connectionClosed(String path) {
	}

	/**
	 * Accepting a connection failed (for example, the process ran out of file descriptors). The
	 * listener keeps running.
	 * @param path the socket path
	 * @param failure the failure
	 */
	default void acceptFailed(String path, Exception failure) {
	}

	/**
	 * A connection ended, with how long it was open; called right after
	 * {@link #connectionClosed(String)}.
	 * @param path the socket path
	 * @param duration how long the connection was open
	 */
	default void connectionDuration(String path, Duration duration) {
	}

	/**
	 * A socket closed, with the bytes its connections received and sent over its life: what its
	 * snapshot no longer shows once it is gone.
	 * @param path the socket path
	 * @param bytesReceived bytes read from its connections
	 * @param bytesSent bytes written to its connections
	 */
	default void socketTraffic(String path, long bytesReceived, long bytesSent) {
	}

	/**
	 * The file at a socket's path is no longer the one the socket published: someone else
	 * removed it and put another file (perhaps another process's socket) in its place. The socket
	 * keeps its connections and leaves the file alone; clients that connect through a
	 * {@link SocketReference} check who serves the path.
	 * @param path the socket path
	 */
	default void socketFileReplaced(String path) {
	}

	/**
	 * Another process that the socket's server policy trusts took the socket's path over
	 * ({@link SocketOptions#takeover()}): the socket has accepted the connections queued on it
	 * and stops accepting; its connections are asked to finish. Followed by
	 * {@link #socketClosed(String, Duration)}, and by {@link #socketHandedOver(String)} once its
	 * connections have ended.
	 * @param path the socket path
	 */
	default void socketTakenOver(String path) {
	}

	/**
	 * The connections of a socket that was taken over have all ended, or the rest were closed
	 * at the {@link SocketOptions#handoverTimeout() handover timeout}: the handover is complete.
	 * @param path the socket path
	 */
	default void socketHandedOver(String path) {
	}

	/**
	 * A connection in event-loop mode was closed because its session kept writing replies past
	 * the socket's {@link SocketOptions#maxPendingOutput()} while its peer did not read them, or
	 * because the manager's buffered bytes reached their limit.
	 * @param path the socket path
	 */
	default void outputLimitExceeded(String path) {
	}

	/**
	 * The application's code failed while a socket served a connection: it threw, an
	 * {@link Error} included. The connection it was called for is closed or refused; the socket
	 * serves on. The first failure of each kind and exception type per socket is logged at WARN
	 * with its stack trace, later ones are summarised with their number.
	 * @param path the socket path
	 * @param callback which code failed
	 * @param failure what it threw
	 */
	default void callbackFailed(String path, SocketCallback callback, Throwable failure) {
	}

	/**
	 * A connection was closed because a write to it waited longer than the socket's
	 * {@link SocketOptions#writeTimeout()}: its peer stopped reading.
	 * @param path the socket path
	 */
	default void writeTimedOut(String path) {
	}

	/**
	 * A thread that accepts connections for a socket, or an event loop, ended unexpectedly (an
	 * error the manager could not recover from, such as {@link OutOfMemoryError}). Sockets that
	 * accepted on it no longer accept: their {@link SocketSnapshot#state() state} is
	 * {@link SocketSnapshot.State#FAILED FAILED} until they are stopped; connections served by
	 * an ended event loop were closed.
	 * @param path the socket path
	 * @param failure what ended the thread
	 */
	default void acceptStopped(String path, Throwable failure) {
	}

	/**
	 * A {@link SocketReference} was collected without being closed, and has been released.
	 * @param path the socket path
	 * @param acquiredAt where the handle was acquired, when {@link LeakDetection#PARANOID} is on
	 */
	default void referenceLeaked(String path, @Nullable Throwable acquiredAt) {
	}

}
