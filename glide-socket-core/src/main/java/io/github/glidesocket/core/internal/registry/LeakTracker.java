package io.github.glidesocket.core.internal.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.ReferenceHolder;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;

import org.jspecify.annotations.Nullable;

/**
 * Finds {@link SocketReference handles} collected without {@code close()} and releases them.
 * <p>
 * Each tracked handle has a {@link Tracked} phantom reference, which also holds the handle's
 * one count on its generation and the flag that releases it exactly once. Phantom references must
 * stay strongly reachable until they are enqueued, so each is linked into one of several
 * intrusive lists, chosen by the acquiring thread; a list is locked only for the few pointer
 * writes of a link or unlink, so threads rarely meet on one. {@code close()} unlinks the
 * reference, which makes it unreachable, so the collector never enqueues it. The manager's scheduler thread drains the
 * queue: a reference found there belongs to a handle that was never closed, so its count is
 * released, counted, reported to the event listener and logged. A leak from the same acquisition
 * site is logged once; every leak is counted.
 */
final class LeakTracker {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int MAX_REMEMBERED_SITES = 1024;

	private final LeakDetection level;

	private final SocketEventListener events;

	private final ReferenceQueue<SocketReference> queue = new ReferenceQueue<>();

	private final Stripe[] stripes;

	private final Set<String> reportedSites = ConcurrentHashMap.newKeySet();

	private final LongAdder leaks = new LongAdder();

	/**
	 * The time in milliseconds, updated by each {@link #drain()} (every second), as the
	 * acquisition time of handles tracked without a stack.
	 */
	private volatile long coarseMillis = System.currentTimeMillis();

	LeakTracker(LeakDetection level, SocketEventListener events) {
		this.level = level;
		this.events = events;
		int count = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1;
		this.stripes = new Stripe[count];
		Arrays.setAll(this.stripes, (index) -> new Stripe());
	}

	/**
	 * Start tracking a new handle.
	 * @param generation the handle's generation
	 * @param slot where the generation counts the handle
	 * @param handle the handle
	 * @return the tracking reference, or {@code null} if leak detection is disabled
	 */
	@Nullable Tracked track(SocketGeneration generation, int slot, SocketReference handle) {
		if (this.level == LeakDetection.DISABLED) {
			return null;
		}
		Throwable acquiredAt = (this.level == LeakDetection.PARANOID) ? new AcquisitionSite(generation.path()) : null;
		Stripe stripe = this.stripes[ThreadNumbers.current() & (this.stripes.length - 1)];
		// The coarse clock costs a load, where reading the time would cost a clock read per
		// acquire; paranoid tracking, which records a stack anyway, reads the exact time.
		long acquiredMillis = (acquiredAt != null) ? System.currentTimeMillis() : this.coarseMillis;
		Tracked tracked = new Tracked(handle, this.queue, generation, slot, stripe, acquiredAt, acquiredMillis);
		stripe.link(tracked);
		return tracked;
	}

	/**
	 * Release every handle the garbage collector has found unreachable since the last call.
	 * @return how many leaks were found
	 */
	int drain() {
		this.coarseMillis = System.currentTimeMillis();
		int found = 0;
		Reference<? extends SocketReference> reference;
		while ((reference = this.queue.poll()) != null) {
			if (reference instanceof Tracked tracked) {
				found++;
				leaked(tracked);
			}
		}
		return found;
	}

	/**
	 * Release a handle that is gone. Package-private so tests can run it without the collector.
	 */
	void leaked(Tracked tracked) {
		boolean wasLive = tracked.generation.isServing();
		if (!tracked.release() || !wasLive) {
			return;
		}
		this.leaks.increment();
		String path = tracked.generation.path();
		this.events.referenceLeaked(path, tracked.acquiredAt);
		log(path, tracked.acquiredAt);
	}

	private void log(String path, @Nullable Throwable acquiredAt) {
		String key = (acquiredAt != null) ? stackSignature(acquiredAt) : path;
		if (this.reportedSites.size() < MAX_REMEMBERED_SITES && !this.reportedSites.add(key)) {
			return;
		}
		if (acquiredAt == null) {
			logger.log(System.Logger.Level.WARNING, "A SocketReference to '" + path
					+ "' was garbage-collected without close(); it has been released. Close every reference, for "
					+ "example with try-with-resources. Set leak detection to PARANOID to record where leaked "
					+ "references are acquired.");
			return;
		}
		logger.log(System.Logger.Level.WARNING, "A SocketReference to '" + path
				+ "' was garbage-collected without close(); it has been released. It was acquired here:", acquiredAt);
	}

	private static String stackSignature(Throwable acquiredAt) {
		StringBuilder signature = new StringBuilder();
		for (StackTraceElement element : acquiredAt.getStackTrace()) {
			signature.append(element).append('\n');
		}
		return signature.toString();
	}

	/**
	 * The handles of a generation that are tracked and not released, oldest first. Each stripe
	 * is locked only to collect its entries; the descriptions are made outside the locks.
	 * @param generation the generation
	 * @return the holders; empty with leak detection disabled
	 */
	List<ReferenceHolder> holders(SocketGeneration generation) {
		if (this.level == LeakDetection.DISABLED) {
			return List.of();
		}
		List<Tracked> found = new ArrayList<>();
		for (Stripe stripe : this.stripes) {
			stripe.collect(generation, found);
		}
		List<ReferenceHolder> holders = new ArrayList<>(found.size());
		for (Tracked tracked : found) {
			if (!tracked.isReleased()) {
				holders.add(tracked.holder());
			}
		}
		holders.sort(Comparator.comparing(ReferenceHolder::acquiredAt));
		return holders;
	}

	long leakCount() {
		return this.leaks.sum();
	}

	int trackedCount() {
		int count = 0;
		for (Stripe stripe : this.stripes) {
			count += stripe.size();
		}
		return count;
	}

	/**
	 * The count a tracked handle holds, as a phantom reference to the handle: released exactly
	 * once, by {@code close()} or, after the handle was collected, by {@link #drain()}.
	 */
	static final class Tracked extends PhantomReference<SocketReference> {

		private static final VarHandle RELEASED;

		static {
			try {
				RELEASED = MethodHandles.lookup().findVarHandle(Tracked.class, "released", int.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		final SocketGeneration generation;

		private final int slot;

		final @Nullable Throwable acquiredAt;

		private final long acquiredMillis;

		private final Stripe stripe;

		@Nullable Tracked previous;

		@Nullable Tracked next;

		@SuppressWarnings("unused") // written through RELEASED
		private volatile int released;

		Tracked(SocketReference handle, ReferenceQueue<SocketReference> queue, SocketGeneration generation, int slot,
				Stripe stripe, @Nullable Throwable acquiredAt, long acquiredMillis) {
			super(handle, queue);
			this.acquiredMillis = acquiredMillis;
			this.generation = generation;
			this.slot = slot;
			this.stripe = stripe;
			this.acquiredAt = acquiredAt;
		}

		/**
		 * Release the count if nobody has yet.
		 * @return whether this call released it
		 */
		boolean release() {
			if (!RELEASED.compareAndSet(this, 0, 1)) {
				return false;
			}
			// Unlinked, this reference is unreachable and never enqueued; clear() would cost a
			// native call for nothing.
			this.stripe.unlink(this);
			this.generation.release(this.slot);
			return true;
		}

		boolean isReleased() {
			return this.released != 0;
		}

		ReferenceHolder holder() {
			Throwable site = this.acquiredAt;
			List<String> frames = new ArrayList<>();
			if (site != null) {
				for (StackTraceElement element : site.getStackTrace()) {
					frames.add(element.toString());
				}
			}
			return new ReferenceHolder(identity(), Instant.ofEpochMilli(this.acquiredMillis), frames);
		}

		/**
		 * The identity of the tracked handle, taken from this record: the handle itself is not
		 * reachable from here, and hashing it on acquire would cost every acquire.
		 */
		int identity() {
			return System.identityHashCode(this);
		}

	}

	/**
	 * One intrusive doubly linked list of tracked references, guarded by its own monitor.
	 */
	static final class Stripe extends StripeList {

		// Stripes are allocated one after the other: without these 64 bytes after its fields, a
		// stripe's list head would share a cache line with the next stripe's lock, and two
		// threads on neighbouring stripes would slow each other down as if they shared one.
		@SuppressWarnings("unused")
		private long p1, p2, p3, p4, p5, p6, p7, p8;

	}

	/**
	 * The list itself; the JVM lays out these fields before the padding of {@link Stripe}.
	 */
	abstract static class StripeList {

		private @Nullable Tracked head;

		private int size;

		synchronized void link(Tracked tracked) {
			tracked.next = this.head;
			if (this.head != null) {
				this.head.previous = tracked;
			}
			this.head = tracked;
			this.size++;
		}

		synchronized void unlink(Tracked tracked) {
			Tracked previous = tracked.previous;
			Tracked next = tracked.next;
			if (previous != null) {
				previous.next = next;
			}
			else if (this.head == tracked) {
				this.head = next;
			}
			else {
				return;
			}
			if (next != null) {
				next.previous = previous;
			}
			tracked.previous = null;
			tracked.next = null;
			this.size--;
		}

		synchronized int size() {
			return this.size;
		}

		synchronized void collect(SocketGeneration generation, List<Tracked> found) {
			for (Tracked tracked = this.head; tracked != null; tracked = tracked.next) {
				if (tracked.generation == generation) {
					found.add(tracked);
				}
			}
		}

	}

	/**
	 * Where a handle was acquired, with this library's own frames removed so the first frame is
	 * the caller's.
	 */
	static final class AcquisitionSite extends Throwable {

		private static final Set<String> OWN_CLASSES = Set.of(AcquisitionSite.class.getName(),
				LeakTracker.class.getName(), CountedSocketReference.class.getName(),
				DefaultSocketManager.class.getName(), SocketManager.class.getName(), SocketGeneration.class.getName());

		AcquisitionSite(String path) {
			super("SocketReference to '" + path + "' acquired in thread '" + Thread.currentThread().getName() + "'");
			StackTraceElement[] stack = getStackTrace();
			int first = 0;
			while (first < stack.length && OWN_CLASSES.contains(stack[first].getClassName())) {
				first++;
			}
			setStackTrace(Arrays.copyOfRange(stack, first, stack.length));
		}

	}

}
