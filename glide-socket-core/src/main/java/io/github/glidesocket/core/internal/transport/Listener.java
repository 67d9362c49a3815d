package io.github.glidesocket.core.internal.transport;

import java.util.concurrent.CompletableFuture;

import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;

import org.jspecify.annotations.Nullable;

/**
 * The serving side of one socket generation: an accept loop and its connections. Every method
 * may be called from any thread, returns without waiting on I/O, and is idempotent.
 */
public interface Listener {

	/**
	 * Close the server socket: no connection is accepted after this returns.
	 */
	void stopAccepting();

	/**
	 * Remove the socket file if it is still the one this listener published.
	 */
	void unlink();

	/**
	 * Accept the connections already queued on the server socket, after its file was taken over
	 * by another process: nobody can connect to it any more, and closing it would reset them.
	 * @return a future completed once none is left queued
	 */
	default CompletableFuture<Void> acceptQueued() {
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * Completes once nothing this listener started before its stop still publishes a file at the
	 * path (a re-bind after the file was removed from outside), so the path can go to a new
	 * socket. Call after {@link #stopAccepting()}.
	 * @return a future, usually completed
	 */
	default CompletableFuture<Void> settled() {
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * What ended the thread that accepted for this listener, if it ended unexpectedly.
	 * @return the failure, or {@code null} while the listener accepts (or was stopped)
	 */
	default @Nullable Throwable acceptFailure() {
		return null;
	}

	/**
	 * Signal every connection to finish (their input reaches end-of-stream) and complete when the
	 * last one has ended.
	 * @return a future completed when no connection is left
	 */
	CompletableFuture<Void> drainConnections();

	/**
	 * Close every connection at once.
	 */
	void closeConnections();

	/**
	 * Check the socket file and, if it has disappeared while the listener runs, bind again. A
	 * file that replaced this listener's is only reported: the manager judges it (a takeover or
	 * not). Called by the manager, off its timer thread (it may block on a re-bind), never twice at
	 * once for one listener.
	 * @return what the check found, before any re-bind
	 */
	SocketSnapshot.FileStatus checkFile();

	/**
	 * The key of the file this listener published (or inherited).
	 * @return the key, or {@code null} if it has none
	 */
	default @Nullable Object fileKey() {
		return null;
	}

	/**
	 * What is at the socket's path now, compared with the file the listener published.
	 * @return the status
	 */
	SocketSnapshot.FileStatus fileStatus();

	int activeConnections();

	long acceptedConnections();

	long rejectedConnections();

	long acceptFailures();

	/**
	 * Bytes read from this listener's connections so far.
	 * @return the count
	 */
	default long bytesReceived() {
		return 0;
	}

	/**
	 * Bytes written to this listener's connections so far.
	 * @return the count
	 */
	default long bytesSent() {
		return 0;
	}

	/**
	 * Opens listeners; the indirection lets the registry be measured and tested without real
	 * sockets.
	 */
	@FunctionalInterface
	interface Factory {

		Listener open(String path, long generation, SocketOptions options, ListenerContext context);

	}

}
