package io.github.glidesocket.core.internal.binding;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.glidesocket.core.GlideSocketException;

import org.jspecify.annotations.Nullable;

/**
 * The takeovers of one manager that wait for the application to be ready. While held, a bind
 * that takes over a live socket leaves its socket {@linkplain PendingTakeover aside}; once
 * {@linkplain #release() released}, the pending ones are completed and later takeovers rename
 * over the path as they bind.
 * <p>
 * A bind registers its pending takeover under the same lock that release takes, so a takeover
 * is either completed by the release or, bound after it, never held.
 */
public final class PendingTakeovers {

	private final Object lock = new Object();

	private final Set<PendingTakeover> pending = new LinkedHashSet<>();

	private boolean held;

	private PendingTakeovers(boolean held) {
		this.held = held;
	}

	/**
	 * Takeovers that are completed as they bind.
	 * @return a new instance, released
	 */
	public static PendingTakeovers immediate() {
		return new PendingTakeovers(false);
	}

	/**
	 * Takeovers that wait for {@link #release()}.
	 * @return a new instance, held
	 */
	public static PendingTakeovers held() {
		return new PendingTakeovers(true);
	}

	/**
	 * Hold a takeover until the release, if takeovers are still held.
	 * @param takeover the takeover, bound aside
	 * @return whether it is held; if not, the caller completes it now
	 */
	boolean hold(PendingTakeover takeover) {
		synchronized (this.lock) {
			if (this.held) {
				this.pending.add(takeover);
			}
			return this.held;
		}
	}

	/**
	 * Forget a takeover that was discarded.
	 * @param takeover the takeover
	 */
	void forget(PendingTakeover takeover) {
		synchronized (this.lock) {
			this.pending.remove(takeover);
		}
	}

	/**
	 * Whether takeovers are still held.
	 * @return whether they are
	 */
	public boolean isHeld() {
		synchronized (this.lock) {
			return this.held;
		}
	}

	/**
	 * Complete every pending takeover, in the order they were bound, and complete later ones as
	 * they bind. Each is attempted even if an earlier one fails. Idempotent.
	 * @return the paths taken over now
	 * @throws GlideSocketException the first takeover that could not be completed, with the
	 * others added as suppressed
	 */
	public List<String> release() {
		List<PendingTakeover> toComplete;
		synchronized (this.lock) {
			this.held = false;
			toComplete = new ArrayList<>(this.pending);
			this.pending.clear();
		}
		List<String> completed = new ArrayList<>();
		@Nullable GlideSocketException failure = null;
		for (PendingTakeover takeover : toComplete) {
			if (!takeover.isPending()) {
				continue;
			}
			try {
				takeover.complete();
				completed.add(takeover.path());
			}
			catch (GlideSocketException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		return completed;
	}

}
