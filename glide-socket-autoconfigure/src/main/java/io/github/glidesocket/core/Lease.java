package io.github.glidesocket.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

import org.jspecify.annotations.Nullable;

/**
 * The one count a {@link SocketReference} holds on its generation, released exactly once: by
 * {@code close()}, or by the leak tracker when the handle was collected without it. The lease
 * never refers to the handle, so tracking does not keep the handle alive.
 */
abstract sealed class Lease permits Lease.Untracked, Lease.Tracked {

	private static final VarHandle RELEASED;

	static {
		try {
			RELEASED = MethodHandles.lookup().findVarHandle(Lease.class, "released", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final SocketGeneration generation;

	@SuppressWarnings("unused") // written through RELEASED
	private volatile int released;

	Lease(SocketGeneration generation) {
		this.generation = generation;
	}

	/**
	 * Release the count if it has not been released yet.
	 * @return {@code true} if this call released it
	 */
	boolean release() {
		if (!RELEASED.compareAndSet(this, 0, 1)) {
			return false;
		}
		untrack();
		this.generation.release();
		return true;
	}

	boolean isReleased() {
		return this.released != 0;
	}

	abstract void untrack();

	/**
	 * A lease that is not tracked ({@link LeakDetection#DISABLED}).
	 */
	static final class Untracked extends Lease {

		Untracked(SocketGeneration generation) {
			super(generation);
		}

		@Override
		void untrack() {
		}

	}

	/**
	 * A lease that is also a phantom reference to its handle: when the handle is collected the
	 * reference is enqueued and the tracker releases the lease as a leak.
	 */
	static final class Tracked extends Lease {

		private final LeakTracker tracker;

		private final Reference reference;

		Tracked(SocketGeneration generation, SocketReference handle, LeakTracker tracker,
				ReferenceQueue<SocketReference> queue, @Nullable Throwable acquiredAt) {
			super(generation);
			this.tracker = tracker;
			this.reference = new Reference(handle, queue, this, acquiredAt);
		}

		Reference reference() {
			return this.reference;
		}

		@Override
		void untrack() {
			this.tracker.untrack(this.reference);
			this.reference.clear();
		}

	}

	/**
	 * The phantom reference kept by the tracker; holds the lease, never the handle.
	 */
	static final class Reference extends PhantomReference<SocketReference> {

		final Tracked lease;

		final @Nullable Throwable acquiredAt;

		Reference(SocketReference handle, ReferenceQueue<SocketReference> queue, Tracked lease,
				@Nullable Throwable acquiredAt) {
			super(handle, queue);
			this.lease = lease;
			this.acquiredAt = acquiredAt;
		}

	}

}
