package io.github.glidesocket.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The state of one socket at one moment, read from the manager's registry without any socket
 * I/O; only the {@linkplain #file() file status} looks at the file system (one {@code stat}).
 *
 * @param path the socket path
 * @param generation a number that grows each time a socket is bound at any path of the manager
 * @param state where the socket is in its life
 * @param references the exact number of open references
 * @param connections the connections being served
 * @param acceptedConnections connections accepted since the socket was bound
 * @param rejectedConnections connections refused since the socket was bound
 * @param acceptFailures attempts to accept a connection that failed since the socket was bound
 * (for example, the process had no file descriptor left); the listener retries after a pause
 * @param bytesReceived bytes read from the socket's connections since it was bound (counted per read)
 * @param bytesSent bytes written to the socket's connections since it was bound (counted per write)
 * @param boundAt when the socket was bound, or {@code null} while binding
 * @param file what is at the socket's path when the snapshot is taken
 * @param permissions the socket file's mode in {@code ls} form
 * @param peerPolicy the peer policy, described
 */
public record SocketSnapshot(String path, long generation, State state, int references, int connections,
		long acceptedConnections, long rejectedConnections, long acceptFailures, long bytesReceived, long bytesSent,
		@Nullable Instant boundAt, FileStatus file,
		String permissions, String peerPolicy) {

	/**
	 * Where a socket is in its life.
	 */
	public enum State {

		/** The first reference is being created and the socket bound. */
		BINDING,

		/** Bound, with references. */
		ACTIVE,

		/** Bound, without references, until the cleanup delay ends. */
		LINGERING,

		/** Cleanup has begun; the socket takes no more references. */
		CLOSING,

		/**
		 * Bound, but no longer accepting connections: the thread that accepted for it ended
		 * unexpectedly ({@link SocketEventListener#acceptStopped}). Connections already served go
		 * on; stop the socket (or close its references) and acquire it again to bind anew.
		 */
		FAILED,

		/**
		 * Another process that the server policy trusts took the path over: the socket no longer
		 * accepts, its connections finish (or have finished), and its file is the new process's.
		 */
		TAKEN_OVER

	}

	/**
	 * What is at the socket's path, compared with the file the socket published.
	 */
	public enum FileStatus {

		/** The file at the path is the socket that was bound. */
		INTACT,

		/** No file is at the path. */
		MISSING,

		/** Another file is at the path. */
		REPLACED,

		/**
		 * The path holds the socket of a process that took this socket over, one that the
		 * socket's server policy trusts.
		 */
		TAKEN_OVER,

		/**
		 * The socket is bound aside, waiting to take over the live socket that is still at the
		 * path until the application is ready ({@link SocketManager#completeTakeovers()}).
		 */
		TAKEOVER_PENDING

	}

}
