package io.github.glidesocket.core;

import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Finds {@link SocketReference handles} collected without {@code close()} and releases them.
 * <p>
 * Each tracked handle has a phantom reference, kept reachable in a concurrent set until the
 * handle is closed. The manager's scheduler thread drains the reference queue; a reference found
 * there belongs to a handle that was never closed, so its lease is released, counted, reported to
 * the event listener and logged. A leak from the same acquisition site is logged once; every leak
 * is counted.
 */
final class LeakTracker {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int MAX_REMEMBERED_SITES = 1024;

	private final LeakDetection level;

	private final SocketEventListener events;

	private final ReferenceQueue<SocketReference> queue = new ReferenceQueue<>();

	private final Set<Lease.Reference> live = ConcurrentHashMap.newKeySet();

	private final Set<String> reportedSites = ConcurrentHashMap.newKeySet();

	private final LongAdder leaks = new LongAdder();

	LeakTracker(LeakDetection level, SocketEventListener events) {
		this.level = level;
		this.events = events;
	}

	Lease lease(SocketGeneration generation, SocketReference handle) {
		if (this.level == LeakDetection.DISABLED) {
			return new Lease.Untracked(generation);
		}
		Throwable acquiredAt = (this.level == LeakDetection.PARANOID) ? new AcquisitionSite(generation.path()) : null;
		Lease.Tracked lease = new Lease.Tracked(generation, handle, this, this.queue, acquiredAt);
		this.live.add(lease.reference());
		return lease;
	}

	void untrack(Lease.Reference reference) {
		this.live.remove(reference);
	}

	/**
	 * Release every handle the garbage collector has found unreachable since the last call.
	 * @return how many leaks were found
	 */
	int drain() {
		int found = 0;
		java.lang.ref.Reference<? extends SocketReference> reference;
		while ((reference = this.queue.poll()) != null) {
			if (reference instanceof Lease.Reference leaked) {
				found++;
				leaked(leaked);
			}
		}
		return found;
	}

	/**
	 * Release a lease whose handle is gone. Package-private so tests can run it directly.
	 */
	void leaked(Lease.Reference reference) {
		Lease.Tracked lease = reference.lease;
		boolean wasLive = lease.generation.isServing();
		if (!lease.release() || !wasLive) {
			return;
		}
		this.leaks.increment();
		String path = lease.generation.path();
		this.events.referenceLeaked(path, reference.acquiredAt);
		log(path, reference.acquiredAt);
	}

	private void log(String path, @Nullable Throwable acquiredAt) {
		if (acquiredAt == null) {
			if (this.reportedSites.add(path) || this.reportedSites.size() > MAX_REMEMBERED_SITES) {
				logger.log(System.Logger.Level.WARNING, "A SocketReference to '" + path
						+ "' was garbage-collected without close(); it has been released. Close every reference, for "
						+ "example with try-with-resources. Set leak detection to PARANOID to record where leaked "
						+ "references are acquired.");
			}
			return;
		}
		String site = stackSignature(acquiredAt);
		if (this.reportedSites.size() < MAX_REMEMBERED_SITES && !this.reportedSites.add(site)) {
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

	long leakCount() {
		return this.leaks.sum();
	}

	int trackedCount() {
		return this.live.size();
	}

	/**
	 * Where a handle was acquired, with this library's own frames removed so the first frame is
	 * the caller's.
	 */
	static final class AcquisitionSite extends Throwable {

		private static final Set<String> OWN_CLASSES = Set.of(AcquisitionSite.class.getName(),
				LeakTracker.class.getName(), SocketReference.class.getName(), SocketManager.class.getName(),
				SocketGeneration.class.getName());

		AcquisitionSite(String path) {
			super("SocketReference to '" + path + "' acquired in thread '" + Thread.currentThread().getName() + "'");
			StackTraceElement[] stack = getStackTrace();
			int first = 0;
			while (first < stack.length && OWN_CLASSES.contains(stack[first].getClassName())) {
				first++;
			}
			setStackTrace(java.util.Arrays.copyOfRange(stack, first, stack.length));
		}

	}

}
