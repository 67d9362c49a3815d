package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionStage;

import org.newsclub.net.unix.AFUNIXSocket;

/**
 * A counted reference to a socket managed by a {@link SocketManager}: while at least one is open,
 * the socket is bound and its file exists.
 * <p>
 * <b>Counting.</b> A socket's count starts at 1 with the reference that binds it
 * ({@link SocketManager#getOrCreate(String)}); every further {@code getOrCreate},
 * {@link SocketManager#getExisting(String) getExisting} or {@link #retain()} adds a new, independent
 * reference and 1 to the count; {@link #close()} subtracts 1, once per reference. When the count
 * reaches 0 the socket is closed, its connections are ended and its file removed (after the
 * socket's cleanup delay, if one is set). From then on the socket is gone for good: a later
 * {@code getOrCreate} binds a new socket, and no reference to the old one is ever handed out again.
 * <p>
 * <b>Closing.</b> {@code close()} is idempotent: the second and later calls do nothing, on any
 * thread. It never blocks on I/O of other sockets, never waits for connections to finish, and runs
 * no user code, so it is safe in a connection handler, a shutdown hook or a finaliser-like context.
 * If this reference is the last, the calling thread performs the cleanup (close the listener and
 * the connections' descriptors, remove the file), which takes microseconds.
 * <p>
 * <b>Leaks.</b> A reference that becomes unreachable without {@code close()} is released by the
 * manager, counted and logged, unless leak detection is {@link LeakDetection#DISABLED disabled}.
 * Do not rely on it: close references, for example with try-with-resources.
 * <p>
 * <b>Stops.</b> After {@link SocketManager#cleanupAllSockets()}, {@link SocketManager#shutdownSocket
 * shutdownSocket} or a manager shutdown, every reference is inactive and its {@code close()} does
 * nothing. {@link #whenStopping()} tells holders when such a stop begins.
 * <p>
 * Instances are thread-safe.
 */
public interface SocketReference extends AutoCloseable {

	/**
	 * The socket's absolute, normalised path.
	 * @return the path
	 */
	String path();

	/**
	 * Whether this reference is open and its socket is still bound. It becomes {@code false} when
	 * this reference is closed or the socket was stopped by force.
	 * @return whether the reference is active
	 */
	boolean isActive();

	/**
	 * The exact number of open references to this socket, this one included if it is open; 0 once
	 * the socket is closing.
	 * @return the count
	 */
	int referenceCount();

	/**
	 * A notice that this reference's socket is being stopped by the manager rather than by its
	 * references: completed with {@link SocketStop#GRACEFUL} when
	 * {@link SocketManager#shutdownSocket shutdownSocket} or
	 * {@link SocketManager#shutdownGracefully shutdownGracefully} begins (before connections are
	 * drained), {@link SocketStop#FORCED} when {@link SocketManager#cleanupAllSockets()} or
	 * {@link SocketManager#close()} closes it, or {@link SocketStop#TAKEN_OVER} when another
	 * process took its path over ({@link SocketOptions#takeover()}). It never completes when the socket ends because
	 * its last reference was closed (or its cleanup delay ended), nor while the socket is bound
	 * again after its file was removed from outside.
	 * <p>
	 * Every reference open when the stop begins is told, whether it was retained from another or
	 * acquired separately; a reference closed before is not (its stage does not complete). Each
	 * reference returns its own stage, the same one on every call. A stopped socket hands out no
	 * new reference, so a reference never misses the start of a stop; a reference acquired
	 * afterwards is to a new socket, and hears of that socket's stop.
	 * <p>
	 * The manager holds the notice weakly: a holder that registers an action and then drops the
	 * reference without closing it is still collected, and its reference released by leak
	 * detection.
	 * <p>
	 * The stage is completed on one of the manager's notice threads ({@code <name>-notices-N}, at
	 * most eight), never on the thread that called the stop, so the stop (and {@code close()})
	 * runs no code of the holder's; actions added to it before it completes run on that notice
	 * thread, one added afterwards on the thread that adds it. They should be short (each holder's
	 * notice is a task of its own, but an action that blocks holds one of the eight threads, and
	 * eight that block at once hold back the notices of every other holder): let the holder stop
	 * sending, close this reference and report it.
	 * <pre class="code">
	 * reference.whenStopping().thenAccept((stop) -&gt; {
	 *     this.accepting = false;
	 *     logger.info("Socket " + reference.path() + " is stopping (" + stop + "); releasing it");
	 *     reference.close();
	 * });
	 * </pre>
	 * The stage cannot be completed by its holders ({@code toCompletableFuture()} returns a copy).
	 * @return the socket's stop notice
	 */
	CompletionStage<SocketStop> whenStopping();

	/**
	 * Take a new, independent reference to the same socket, which must be closed on its own (the
	 * counterpart of cloning a reference in the original design).
	 * @return a new reference
	 * @throws IllegalStateException if this reference is closed or its socket was stopped
	 * @throws SocketLimitException if the socket already has its maximum of references
	 */
	SocketReference retain();

	/**
	 * Open a client connection to this reference's socket, as a {@code java.net.Socket} for
	 * clients that need one.
	 * @return the connected socket, which the caller closes
	 * @throws UntrustedServerException if the process serving the path is not one the socket's
	 * {@link SocketOptions#serverPolicy() server policy} allows (its file was replaced)
	 * @throws IOException if the connection fails
	 * @throws IllegalStateException if this reference is not active
	 */
	AFUNIXSocket connect() throws IOException;

	/**
	 * Open a client connection to this reference's socket as a JDK channel, in blocking mode.
	 * @return the connected channel, which the caller closes
	 * @throws UntrustedServerException if the process serving the path is not one the socket's
	 * {@link SocketOptions#serverPolicy() server policy} allows (its file was replaced)
	 * @throws IOException if the connection fails
	 * @throws IllegalStateException if this reference is not active
	 */
	SocketChannel openChannel() throws IOException;

	/**
	 * Release this reference; the last one closes the socket and removes its file. Calling it
	 * again does nothing.
	 */
	@Override
	void close();

}
