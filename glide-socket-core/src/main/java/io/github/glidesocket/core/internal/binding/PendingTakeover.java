package io.github.glidesocket.core.internal.binding;

import java.io.IOException;

import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketPathException;

/**
 * A socket bound aside and given its mode, that takes over the live socket at its path only when
 * {@linkplain #complete() completed}: until then nobody can reach it, and the process serving the
 * path keeps serving it, unaware. {@linkplain #discard() Discarding} it removes the socket's name
 * aside (and the staging directory it is in) and leaves the path untouched.
 * <p>
 * Completing and discarding exclude each other: a socket whose listener stops is never renamed
 * over the path afterwards, so the path never gets a socket that nobody accepts on. Both may run
 * on any thread; neither runs code of the application.
 */
public final class PendingTakeover {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private final String path;

	private final PendingTakeovers owner;

	private final Publication publication;

	private final Runnable removeAside;

	/** Guards {@link #state}; held for the rename and the removal of the name aside only. */
	private final Object lock = new Object();

	private State state = State.PENDING;

	PendingTakeover(String path, PendingTakeovers owner, Publication publication, Runnable removeAside) {
		this.path = path;
		this.owner = owner;
		this.publication = publication;
		this.removeAside = removeAside;
	}

	/**
	 * The canonical path taken over.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Whether the socket is still aside: neither completed nor discarded.
	 * @return whether it is pending
	 */
	public boolean isPending() {
		synchronized (this.lock) {
			return this.state == State.PENDING;
		}
	}

	/**
	 * Rename the socket over the path, if the path still holds the socket that was judged a
	 * trusted replacement at bind time (or nothing). Does nothing once completed or discarded.
	 * @throws SocketInUseException if another file is at the path now: then the socket is
	 * discarded and the path left alone
	 * @throws SocketPathException if the rename fails
	 */
	public void complete() {
		synchronized (this.lock) {
			if (this.state != State.PENDING) {
				return;
			}
			this.state = State.DISCARDED;
			try {
				this.publication.publish();
				this.state = State.COMPLETED;
			}
			catch (IOException ex) {
				throw new SocketPathException(this.path, SocketPathException.Reason.BIND_FAILED,
						"Cannot take over socket '" + this.path + "': " + ex.getMessage(), ex);
			}
			catch (Replaced ex) {
				throw new SocketInUseException(this.path, "Socket '" + this.path
						+ "' was not taken over: the socket that was to be taken over was replaced by another file"
						+ " before the application was ready; it is left alone");
			}
			finally {
				this.removeAside.run();
			}
		}
		logger.log(System.Logger.Level.INFO, () -> "Took over socket '" + this.path + "': the application is ready");
	}

	/**
	 * Remove the socket's name aside, leaving the path untouched, unless it was completed. The
	 * caller closes the socket's channel after this returns.
	 */
	public void discard() {
		synchronized (this.lock) {
			if (this.state != State.PENDING) {
				return;
			}
			this.state = State.DISCARDED;
			this.removeAside.run();
		}
		this.owner.forget(this);
		logger.log(System.Logger.Level.INFO, () -> "Socket '" + this.path
				+ "' was closed before the application was ready: it did not take the path over, which is left alone");
	}

	@Override
	public String toString() {
		return "PendingTakeover[" + this.path + "]";
	}

	private enum State {

		PENDING, COMPLETED, DISCARDED

	}

	/**
	 * Renames the socket over the path, if the path still holds the socket taken over.
	 */
	@FunctionalInterface
	interface Publication {

		/**
		 * @throws Replaced if the path holds another file than the socket taken over
		 */
		void publish() throws IOException, Replaced;

	}

	/**
	 * The path holds another file than the socket taken over.
	 */
	static final class Replaced extends Exception {

		private static final long serialVersionUID = 1L;

		Replaced() {
			super(null, null, false, false);
		}

	}

}
