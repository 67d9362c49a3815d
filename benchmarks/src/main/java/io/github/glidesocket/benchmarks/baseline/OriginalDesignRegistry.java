package io.github.glidesocket.benchmarks.baseline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A Java model of the seed's original socket registry, kept as the baseline that glide-socket is
 * measured against. It models the design <em>as written</em>, flaws included, on purpose: a
 * corrected model would flatter the baseline and hide why the product differs.
 * <p>
 * The model:
 * <ul>
 * <li>One registry-wide lock guards a {@code HashMap<String, WeakReference<SocketData>>} (the
 * seed's {@code Mutex<HashMap<String, Weak<SocketData>>>}).</li>
 * <li>{@code SocketData} carries the {@code Arc}'s strong count in an {@link AtomicInteger}. A
 * {@link Handle} is one {@code Arc}: it adds one to the count when made and takes one away when
 * closed, once. Upgrading the weak reference succeeds only while the count is above zero, as
 * {@code Weak::upgrade} does.</li>
 * <li>When the count reaches zero, the releasing thread tries the lock. If it gets it, it removes
 * the map entry <em>by path</em> and removes the socket file by path, both under the lock. If the
 * lock is busy, the same cleanup is handed to a background thread that runs it about 10 ms later
 * and waits for the lock.</li>
 * </ul>
 * <p>
 * The flaw this keeps: cleanup acts on the path, not on the generation that died. Between the
 * count reaching zero and the cleanup taking the lock, {@link #getOrCreate(String)} may start a
 * new generation for the same path; the late cleanup then removes the new generation's entry and
 * file while handles to it are still open. The registry then forgets a live socket, and the next
 * {@code getOrCreate} starts a second live generation for one path.
 * <p>
 * Where the model differs from the seed, it does so to make measurement fair, not to fix
 * anything: the registry is an instance rather than a global, so tests and benchmark forks do
 * not share it; it does not log, so the numbers measure the registry rather than a logger; and
 * the deferred cleanups run on one scheduled thread, where the seed spawns a task or thread for
 * each. The file removal is a pluggable hook, a no-op by default, so benchmarks touch no files.
 * <p>
 * All methods may be called from any thread.
 */
public final class OriginalDesignRegistry implements AutoCloseable {

	/**
	 * How long a deferred cleanup waits before it takes the lock; the seed sleeps 10 ms.
	 */
	public static final long DEFERRED_CLEANUP_DELAY_MILLIS = 10;

	private static final Consumer<String> NO_FILE_REMOVAL = (path) -> {
	};

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, WeakReference<SocketData>> sockets = new HashMap<>();

	private final Consumer<String> socketFileRemover;

	private final ScheduledExecutorService cleanupExecutor;

	private final boolean ownsCleanupExecutor;

	// Instrumentation only: touched on the deferred path, never on acquire or release.
	private final AtomicLong deferredCleanups = new AtomicLong();

	/**
	 * Create a registry that removes no files, with its own cleanup thread.
	 */
	public OriginalDesignRegistry() {
		this(NO_FILE_REMOVAL);
	}

	/**
	 * Create a registry with its own cleanup thread.
	 * @param socketFileRemover called with the path to "remove the socket file", under the lock
	 * as in the seed
	 */
	public OriginalDesignRegistry(Consumer<String> socketFileRemover) {
		this(socketFileRemover, Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "original-design-cleanup");
			thread.setDaemon(true);
			return thread;
		}), true);
	}

	/**
	 * Create a registry that defers cleanups to the given executor. The caller owns the executor;
	 * {@link #close()} leaves it running.
	 * @param socketFileRemover called with the path to "remove the socket file", under the lock
	 * as in the seed
	 * @param cleanupExecutor runs deferred cleanups
	 */
	public OriginalDesignRegistry(Consumer<String> socketFileRemover, ScheduledExecutorService cleanupExecutor) {
		this(socketFileRemover, cleanupExecutor, false);
	}

	private OriginalDesignRegistry(Consumer<String> socketFileRemover, ScheduledExecutorService cleanupExecutor,
			boolean ownsCleanupExecutor) {
		this.socketFileRemover = socketFileRemover;
		this.cleanupExecutor = cleanupExecutor;
		this.ownsCleanupExecutor = ownsCleanupExecutor;
	}

	/**
	 * Return a new handle to the live generation at the path, or start a new generation if there
	 * is none. The seed's {@code SocketReference::get_or_create}.
	 * @param path the socket path
	 * @return a new handle with its own count
	 */
	public Handle getOrCreate(String path) {
		this.lock.lock();
		try {
			SocketData existing = upgrade(this.sockets.get(path));
			if (existing != null) {
				return new Handle(existing);
			}
			SocketData created = new SocketData(this, path);
			this.sockets.put(path, new WeakReference<>(created));
			return new Handle(created);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return a new handle to the live generation at the path, if there is one. The seed's
	 * {@code SocketReference::get_existing}.
	 * @param path the socket path
	 * @return a new handle, or empty if no live generation is registered for the path
	 */
	public Optional<Handle> getExisting(String path) {
		this.lock.lock();
		try {
			SocketData existing = upgrade(this.sockets.get(path));
			return (existing != null) ? Optional.of(new Handle(existing)) : Optional.empty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return whether the registry maps the path to a live generation, after dropping dead
	 * entries. The seed's {@code is_socket_active}.
	 * @param path the socket path
	 * @return whether a live generation is registered for the path
	 */
	public boolean isSocketActive(String path) {
		this.lock.lock();
		try {
			removeDeadEntries();
			WeakReference<SocketData> reference = this.sockets.get(path);
			SocketData data = (reference != null) ? reference.get() : null;
			return data != null && data.strongCount.get() > 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many paths map to a live generation, after dropping dead entries. The seed's
	 * {@code active_socket_count}.
	 * @return the number of registered live generations
	 */
	public int activeSocketCount() {
		this.lock.lock();
		try {
			removeDeadEntries();
			return this.sockets.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many cleanups found the lock busy and were deferred since this registry was
	 * created.
	 * @return the number of deferred cleanups
	 */
	public long deferredCleanupCount() {
		return this.deferredCleanups.get();
	}

	/**
	 * Stop the registry's own cleanup thread once the cleanups already deferred have run. Open
	 * handles stay usable.
	 */
	@Override
	public void close() {
		if (this.ownsCleanupExecutor) {
			this.cleanupExecutor.shutdown();
		}
	}

	// Weak::upgrade: a reference that survived GC still fails once the count has reached zero.
	private static @Nullable SocketData upgrade(@Nullable WeakReference<SocketData> reference) {
		SocketData data = (reference != null) ? reference.get() : null;
		return (data != null && data.tryRetain()) ? data : null;
	}

	private void removeDeadEntries() {
		this.sockets.values().removeIf((reference) -> {
			SocketData data = reference.get();
			return data == null || data.strongCount.get() == 0;
		});
	}

	// SocketData::drop: runs once, on the thread whose release took the count to zero.
	private void lastReferenceReleased(SocketData data) {
		data.cleanupInitiated = true;
		// tryLock, like the seed's try_lock, so that a release never blocks.
		if (this.lock.tryLock()) {
			try {
				removeByPath(data.path);
			}
			finally {
				this.lock.unlock();
			}
			return;
		}
		this.deferredCleanups.incrementAndGet();
		String path = data.path;
		this.cleanupExecutor.schedule(() -> cleanUpDeferred(path), DEFERRED_CLEANUP_DELAY_MILLIS,
				TimeUnit.MILLISECONDS);
	}

	// cleanup_socket_deferred: by now the path may belong to a newer generation.
	private void cleanUpDeferred(String path) {
		this.lock.lock();
		try {
			removeByPath(path);
		}
		finally {
			this.lock.unlock();
		}
	}

	// force_cleanup_socket: the seed's flaw, kept on purpose. Neither step checks that the entry
	// or the file still belong to the generation that died.
	private void removeByPath(String path) {
		this.sockets.remove(path);
		this.socketFileRemover.accept(path);
	}

	/**
	 * One generation of a socket: the seed's {@code SocketData} with the {@code Arc}'s strong
	 * count folded in.
	 */
	private static final class SocketData {

		private final OriginalDesignRegistry registry;

		private final String path;

		private final AtomicInteger strongCount = new AtomicInteger(1);

		private volatile boolean cleanupInitiated;

		SocketData(OriginalDesignRegistry registry, String path) {
			this.registry = registry;
			this.path = path;
		}

		// Increment only from a non-zero count, so a dead generation is never revived.
		boolean tryRetain() {
			int count = this.strongCount.get();
			while (count != 0) {
				int witness = this.strongCount.compareAndExchange(count, count + 1);
				if (witness == count) {
					return true;
				}
				count = witness;
			}
			return false;
		}

		void release() {
			if (this.strongCount.decrementAndGet() == 0) {
				this.registry.lastReferenceReleased(this);
			}
		}

	}

	/**
	 * One counted reference to a socket generation: the seed's {@code SocketReference}, that is,
	 * one {@code Arc}. {@link #close()} plays the part of {@code Drop} and releases the reference
	 * once; later calls do nothing. Handles may be shared between threads.
	 */
	public static final class Handle implements AutoCloseable {

		private static final VarHandle CLOSED;

		static {
			try {
				CLOSED = MethodHandles.lookup().findVarHandle(Handle.class, "closed", boolean.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final SocketData data;

		@SuppressWarnings("unused") // Accessed through CLOSED.
		private volatile boolean closed;

		// The caller has already counted this handle.
		private Handle(SocketData data) {
			this.data = data;
		}

		/**
		 * Return a new, independently closed handle to the same generation; the seed's
		 * {@code Clone}.
		 * @return a new handle
		 * @throws IllegalStateException if this handle is closed
		 */
		public Handle retain() {
			if (this.closed) {
				throw new IllegalStateException("Handle for '" + this.data.path + "' is closed");
			}
			// This open handle keeps the count above zero, so a plain increment is safe.
			this.data.strongCount.incrementAndGet();
			return new Handle(this.data);
		}

		/**
		 * Return the socket path.
		 * @return the path
		 */
		public String path() {
			return this.data.path;
		}

		/**
		 * Return whether cleanup of this generation has not begun; the seed's {@code is_active}.
		 * @return whether the generation is active
		 */
		public boolean isActive() {
			return !this.data.cleanupInitiated;
		}

		/**
		 * Return the number of open handles to this generation; the seed's
		 * {@code reference_count}.
		 * @return the strong count
		 */
		public int referenceCount() {
			return this.data.strongCount.get();
		}

		/**
		 * Return whether both handles refer to the same generation; Rust's {@code Arc::ptr_eq}.
		 * @param other another handle
		 * @return whether the generations are the same
		 */
		public boolean isSameGeneration(Handle other) {
			return this.data == other.data;
		}

		@Override
		public void close() {
			if (CLOSED.compareAndSet(this, false, true)) {
				this.data.release();
			}
		}

		@Override
		public String toString() {
			return "Handle[path=" + this.data.path + ", count=" + this.data.strongCount.get() + ", closed="
					+ this.closed + "]";
		}

	}

}
