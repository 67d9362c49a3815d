package io.github.glidesocket.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

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
 * <b>Forced stops.</b> After {@link SocketManager#cleanupAllSockets()} or a manager shutdown, every
 * reference is inactive and its {@code close()} does nothing.
 * <p>
 * Instances are thread-safe.
 */
public final class SocketReference implements AutoCloseable {

	private static final VarHandle CLOSED;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(SocketReference.class, "closed", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final SocketGeneration generation;

	/** Where the generation counts this reference (see {@link SocketGeneration#tryAcquire()}). */
	private final int slot;

	/** Holds the count and its release flag when leak detection is on; {@code null} when off. */
	private final LeakTracker.@Nullable Tracked tracked;

	/** The release flag when leak detection is off. */
	@SuppressWarnings("unused") // written through CLOSED
	private volatile int closed;

	SocketReference(SocketGeneration generation, int slot, LeakTracker leaks) {
		this.generation = generation;
		this.slot = slot;
		this.tracked = leaks.track(generation, slot, this);
	}

	/**
	 * The socket's absolute, normalised path.
	 * @return the path
	 */
	public String path() {
		return this.generation.path();
	}

	/**
	 * Whether this reference is open and its socket is still bound. It becomes {@code false} when
	 * this reference is closed or the socket was stopped by force.
	 * @return whether the reference is active
	 */
	public boolean isActive() {
		return !isClosed() && this.generation.isServing();
	}

	/**
	 * The exact number of open references to this socket, this one included if it is open; 0 once
	 * the socket is closing.
	 * @return the count
	 */
	public int referenceCount() {
		return this.generation.referenceCount();
	}

	/**
	 * Take a new, independent reference to the same socket, which must be closed on its own (the
	 * counterpart of cloning a reference in the original design).
	 * @return a new reference
	 * @throws IllegalStateException if this reference is closed or its socket was stopped
	 * @throws SocketLimitException if the socket already has its maximum of references
	 */
	public SocketReference retain() {
		if (isClosed()) {
			throw new IllegalStateException("Cannot retain a closed SocketReference to '" + path() + "'");
		}
		SocketReference retained = this.generation.tryNewReference();
		if (retained == null) {
			throw new IllegalStateException("Cannot retain a SocketReference to '" + path()
					+ "': the socket was stopped (reference count 0)");
		}
		return retained;
	}

	/**
	 * Open a client connection to this reference's socket.
	 * @return the connected socket, which the caller closes
	 * @throws IOException if the connection fails
	 * @throws IllegalStateException if this reference is not active
	 */
	public AFUNIXSocket connect() throws IOException {
		if (!isActive()) {
			throw new IllegalStateException("Cannot connect through an inactive SocketReference to '" + path() + "'");
		}
		return AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new java.io.File(path())));
	}

	/**
	 * Release this reference; the last one closes the socket and removes its file. Calling it
	 * again does nothing.
	 */
	@Override
	public void close() {
		try {
			LeakTracker.Tracked tracking = this.tracked;
			if (tracking != null) {
				tracking.release();
			}
			else if (CLOSED.compareAndSet(this, 0, 1)) {
				this.generation.release(this.slot);
			}
		}
		finally {
			// Keep this handle reachable until the release is done, so the leak tracker cannot
			// mistake it for a leak half-way through.
			Reference.reachabilityFence(this);
		}
	}

	private boolean isClosed() {
		LeakTracker.Tracked tracking = this.tracked;
		return (tracking != null) ? tracking.isReleased() : this.closed != 0;
	}

	LeakTracker.@Nullable Tracked tracked() {
		return this.tracked;
	}

	SocketGeneration generation() {
		return this.generation;
	}

	@Override
	public String toString() {
		return "SocketReference[path=" + path() + ", active=" + isActive() + ", references=" + referenceCount() + "]";
	}

}
