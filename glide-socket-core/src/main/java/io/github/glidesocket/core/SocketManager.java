package io.github.glidesocket.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A registry of reference-counted Unix-domain-socket listeners. The first reference to a path
 * binds a socket there; the last {@link SocketReference#close() close} closes it and removes its
 * file. See {@link SocketReference} for the counting contract.
 * <p>
 * <b>Concurrency.</b> There is no manager-wide lock. Acquiring a reference to a bound socket is
 * one map read and one compare-and-set on the socket's count. Concurrent callers for a new path
 * bind at most once and share the socket. A caller that finds a socket whose cleanup has begun
 * waits for that cleanup (microseconds), then binds a new one: a dying socket is never handed
 * out, and its cleanup, which checks both the registry entry and the file's inode, never touches
 * the new one.
 * <p>
 * <b>Threads.</b> Each manager owns a scheduler thread (cleanup delays, leak detection, file
 * checks), a few bind threads ({@link #startSocketListenerWithReference(String)}), the threads
 * that deliver events to {@link SocketEventListener}s, a few that deliver stop notices, an
 * acceptor loop that accepts for all its sockets, and the threads that run connection handlers
 * (and peer policies that may block). The scheduler, bind, event and notice threads are daemon
 * threads. {@link #close()} and {@link #shutdownGracefully(Duration)} stop all of them; event and
 * notice threads deliver what is still reported, then end.
 * <p>
 * Create one with {@link #create()} or {@link #builder()}. The correspondence with the functions
 * of the original design is given on each method.
 */
public interface SocketManager extends AutoCloseable {

	/**
	 * A manager with every default: owner-only sockets, same-user peers, no handler, leak
	 * detection {@link LeakDetection#SIMPLE}, and a JVM shutdown hook that removes its sockets.
	 * @return a new manager
	 */
	static SocketManager create() {
		return builder().build();
	}

	/**
	 * A builder of a manager, starting from the defaults of {@link #create()}.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a new reference to the socket at the path, binding it if the path has no live socket
	 * in this manager. Atomic: concurrent calls for one path bind at most once and all share the
	 * socket. Original design: {@code SocketReference::get_or_create}.
	 * @param path the socket path; relative paths are resolved against the working directory
	 * @return a new reference, which the caller must close
	 * @throws SocketPathException if the path is unusable; nothing at the path is changed
	 * @throws SocketInUseException if another process serves a socket at the path
	 * @throws SocketLimitException if the socket or the manager is at its limit
	 * @throws IllegalStateException if the manager is shut down
	 */
	SocketReference getOrCreate(String path);

	/**
	 * Bind a new socket at the path and return its first reference, failing if this manager
	 * already serves one there. Original design: {@code register_new_socket}.
	 * @param path the socket path
	 * @return the first reference to the new socket
	 * @throws SocketInUseException if a socket is already live at the path
	 * @deprecated use {@link #getOrCreate(String)}, which is atomic and shares an existing socket
	 */
	@Deprecated
	SocketReference registerNewSocket(String path);

	/**
	 * Return a new reference to the socket at the path if this manager serves one there. A socket
	 * still binding or already closing counts as absent. Original design:
	 * {@code SocketReference::get_existing}.
	 * @param path the socket path
	 * @return a new reference, or empty
	 */
	Optional<SocketReference> getExisting(String path);

	/**
	 * The pool of {@code size} sockets behind a base path: members {@code 0} to {@code size-1}
	 * at paths derived from the base path by {@link SocketPool#memberPath(String, int)}
	 * ({@code app.sock} gives {@code app-0.sock}, {@code app-1.sock}, ...), handed out by
	 * {@link SocketPool#acquire()} to the member with the fewest references. Binds nothing: a
	 * member is bound when a reference to it is first acquired, as with
	 * {@link #getOrCreate(String)}. The same base path and size return the same pool; different
	 * sizes are different pools, whose members with the same index are the same socket.
	 * @param basePath the pool's base path; relative paths are resolved against the working
	 * directory
	 * @param size the number of members, at least 1
	 * @return the pool
	 * @throws SocketPathException if the base path or a member path is unusable (for example
	 * too long once the member index is added)
	 * @throws IllegalArgumentException if the size is less than 1
	 */
	SocketPool pool(String basePath, int size);

	/**
	 * Start a listener at the path (or at {@link #defaultSocketPath()}) on one of the manager's
	 * bind threads ({@code <name>-bind-N}, a few daemon threads apart from the scheduler, so a
	 * slow bind delays no cleanup delay, leak check or drain deadline). Original design:
	 * {@code start_socket_listener_with_reference}.
	 * @param path the socket path, or {@code null} for the default path
	 * @return a future of the new reference; it fails with the exceptions of
	 * {@link #getOrCreate(String)}
	 */
	CompletableFuture<SocketReference> startSocketListenerWithReference(@Nullable String path);

	/**
	 * Start a listener and pass the result to a callback, which owns the reference it receives.
	 * The callback runs on the bind thread. If it throws, the exception is logged and the
	 * reference it was given is closed. Original design:
	 * {@code start_socket_listener_with_reference(init_callback, socket_path)}.
	 * @param path the socket path, or {@code null} for the default path
	 * @param callback receives the reference, or {@code null} and the failure
	 */
	void startSocketListenerWithReference(@Nullable String path,
			BiConsumer<? super @Nullable SocketReference, ? super @Nullable Throwable> callback);

	/**
	 * Start a listener at the default path and pass the result to a callback. Original design:
	 * {@code start_socket_listener_ref}.
	 * @param callback receives the reference, or {@code null} and the failure
	 */
	default void startSocketListenerRef(
			BiConsumer<? super @Nullable SocketReference, ? super @Nullable Throwable> callback) {
		startSocketListenerWithReference(null, callback);
	}

	/**
	 * Start a listener that the manager itself references until it shuts down or
	 * {@link #cleanupAllSockets()} runs. Original design: {@code start_socket_listener}.
	 * @param path the socket path, or {@code null} for the default path
	 * @return a future of the socket's path
	 * @deprecated use {@link #startSocketListenerWithReference(String)} and close the reference
	 */
	@Deprecated
	CompletableFuture<String> startSocketListener(@Nullable String path);

	/**
	 * Whether a socket is bound at the path, with references or lingering. Original design:
	 * {@code is_socket_active}.
	 * @param path the socket path
	 * @return whether the path has a live socket
	 */
	boolean isSocketActive(String path);

	/**
	 * The number of bound sockets, with references or lingering. Original design:
	 * {@code active_socket_count}.
	 * @return the count
	 */
	int activeSocketCount();

	/**
	 * Close every socket at once: connections are closed, files removed, and every outstanding
	 * reference becomes inactive (its {@code close()} does nothing). The manager stays usable.
	 * Original design: {@code cleanup_all_sockets}.
	 */
	void cleanupAllSockets();

	/**
	 * Stop one socket gracefully: stop accepting and remove the file at once (the path is free for
	 * a new socket), then let connections finish until the timeout and close the rest. Every
	 * reference to it becomes inactive.
	 * @param path the socket path
	 * @param timeout how long connections may take to finish
	 * @return a future completed when no connection is left
	 */
	CompletableFuture<Void> shutdownSocket(String path, Duration timeout);

	/**
	 * Shut the manager down gracefully: refuse new references, stop accepting on every socket and
	 * remove the files, let connections finish until the timeout, close the rest, and stop the
	 * manager's threads. Returns at once.
	 * @param timeout how long connections may take to finish
	 * @return a future completed when the manager is stopped
	 */
	CompletableFuture<Void> shutdownGracefully(Duration timeout);

	/**
	 * Let the sockets that wait to take over a live socket ({@link Builder#holdTakeovers(boolean)})
	 * take their paths over now, each by renaming itself over its path if the path still holds
	 * the socket judged a trusted replacement when it was bound (or nothing); sockets that take
	 * over later do so as they bind. Call it once the application is ready to serve: until then,
	 * the process serving each path keeps serving it, and a start that fails leaves it serving.
	 * Idempotent; does nothing if takeovers were never held.
	 * @return the paths taken over by this call
	 * @throws SocketInUseException if the path of a socket held no longer holds the socket it
	 * was to take over (then that socket leaves the path alone and stays unreachable until it is
	 * closed); every other socket held is still completed
	 * @throws SocketPathException if a rename fails
	 */
	List<String> completeTakeovers();

	/**
	 * Close every socket at once and stop the manager's threads. Idempotent.
	 */
	@Override
	void close();

	/**
	 * Whether {@link #close()} or {@link #shutdownGracefully(Duration)} has been called.
	 * @return whether the manager is shutting down or stopped
	 */
	boolean isShuttingDown();

	/**
	 * The path used when a listener is started without one, created on first use in a private
	 * per-user directory under the temporary directory.
	 * @return the default path
	 */
	String defaultSocketPath();

	/**
	 * The sum of the reference counts of all sockets.
	 * @return the total
	 */
	int totalReferenceCount();

	/**
	 * Add a listener that receives every event from now on, for example a metrics binder created
	 * after the manager.
	 * @param listener the listener
	 */
	void addEventListener(SocketEventListener listener);

	/**
	 * Remove a listener added with {@link #addEventListener} or the builder.
	 * @param listener the listener
	 */
	void removeEventListener(SocketEventListener listener);

	/**
	 * The number of connections being served on all sockets.
	 * @return the total
	 */
	default int activeConnectionCount() {
		int total = 0;
		for (SocketSnapshot snapshot : snapshots()) {
			total += snapshot.connections();
		}
		return total;
	}

	/**
	 * How many references were collected without being closed since the manager started.
	 * @return the count
	 */
	long leakCount();

	/**
	 * The state of every socket in the registry.
	 * @return one snapshot per socket
	 */
	List<SocketSnapshot> snapshots();

	/**
	 * The state of the socket at the path.
	 * @param path the socket path
	 * @return the snapshot, or empty if the manager has no socket there
	 */
	Optional<SocketSnapshot> snapshot(String path);

	/**
	 * The live references to the socket at the path, oldest first, as leak detection tracks
	 * them: when each was acquired and, with {@link LeakDetection#PARANOID}, where. With
	 * {@link LeakDetection#DISABLED} nothing is tracked (acquire and release pay nothing for
	 * it) and the list is empty.
	 * @param path the socket path
	 * @return the holders, or an empty list
	 */
	default List<ReferenceHolder> referenceHolders(String path) {
		return List.of();
	}

	/**
	 * The {@link ReferenceHolder#identity() identity} under which a reference of this manager
	 * is listed by {@link #referenceHolders(String)}, so that whoever holds it can recognise it
	 * there.
	 * @param reference the reference
	 * @return the identity, or empty if the reference is not tracked
	 */
	default OptionalInt holderIdentity(SocketReference reference) {
		return OptionalInt.empty();
	}

	/**
	 * The options a socket at the path is bound with.
	 * @param path the socket path
	 * @return the path's own options, or the manager's defaults
	 */
	SocketOptions optionsFor(String path);

	/**
	 * The manager's name, used in thread names and messages.
	 * @return the name
	 */
	String getName();

	/**
	 * Builds a {@link SocketManager}.
	 */
	final class Builder {

		private String name = "glide-socket";

		private SocketOptions defaults = SocketOptions.defaults();

		private final Map<String, SocketOptions> socketOptions = new LinkedHashMap<>();

		private int maxSockets = -1;

		private LeakDetection leakDetection = LeakDetection.SIMPLE;

		private boolean virtualThreads;

		private int eventLoopThreads = Math.min(Runtime.getRuntime().availableProcessors(), 4);

		private final List<SocketEventListener> eventListeners = new ArrayList<>();

		private Duration fileCheckInterval = Duration.ofSeconds(5);

		private boolean shutdownHook = true;

		private @Nullable String defaultPath;

		private long maxBufferedBytes = Runtime.getRuntime().maxMemory() / 4;

		private boolean holdTakeovers;

		private Builder() {
		}

		/**
		 * The name used in thread names and messages. Default {@code glide-socket}.
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			Objects.requireNonNull(name, "'name' must not be null");
			if (name.isBlank()) {
				throw new IllegalArgumentException("'name' must not be blank");
			}
			this.name = name;
			return this;
		}

		/**
		 * The options of every socket that has no options of its own.
		 * @param defaults the options
		 * @return this builder
		 */
		public Builder defaults(SocketOptions defaults) {
			this.defaults = Objects.requireNonNull(defaults, "'defaults' must not be null");
			return this;
		}

		/**
		 * Options for the socket at one path; the path is checked when the manager is built.
		 * @param path the socket path
		 * @param options the options
		 * @return this builder
		 */
		public Builder socket(String path, SocketOptions options) {
			Objects.requireNonNull(path, "'path' must not be null");
			Objects.requireNonNull(options, "'options' must not be null");
			this.socketOptions.put(path, options);
			return this;
		}

		/**
		 * The most sockets the manager binds at once; {@code -1} (the default) means no limit.
		 * @param maxSockets the limit
		 * @return this builder
		 */
		public Builder maxSockets(int maxSockets) {
			this.maxSockets = SocketOptions.Builder.positiveOrUnlimited("maxSockets", maxSockets);
			return this;
		}

		/**
		 * How references collected without {@code close()} are found and reported. Default
		 * {@link LeakDetection#SIMPLE}.
		 * @param leakDetection the level
		 * @return this builder
		 */
		public Builder leakDetection(LeakDetection leakDetection) {
			this.leakDetection = Objects.requireNonNull(leakDetection, "'leakDetection' must not be null");
			return this;
		}

		/**
		 * Whether connection handlers of sockets without an event handler, and peer policies that
		 * may block, run on virtual threads, on Java 21 and later (ignored before). The JDK's
		 * Unix-domain channels park a virtual thread blocked in a read without holding its
		 * carrier, so many idle connections cost no platform thread. Default {@code false}:
		 * platform threads.
		 * @param virtualThreads whether to use virtual threads
		 * @return this builder
		 */
		public Builder virtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
			return this;
		}

		/**
		 * How many event-loop threads serve the sockets that have a
		 * {@link SocketOptions.Builder#eventHandler(SocketEventHandler) SocketEventHandler}.
		 * They are platform threads named {@code <name>-loop-N}, started when a connection first
		 * needs one and ended when the manager closes. Default: the number of CPUs, at most 4.
		 * @param eventLoopThreads the number of loop threads, at least 1
		 * @return this builder
		 */
		public Builder eventLoopThreads(int eventLoopThreads) {
			if (eventLoopThreads < 1) {
				throw new IllegalArgumentException("'eventLoopThreads' must be positive, got " + eventLoopThreads);
			}
			this.eventLoopThreads = eventLoopThreads;
			return this;
		}

		/**
		 * Add a listener for socket events; listeners are called in the order added.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder eventListener(SocketEventListener listener) {
			this.eventListeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
			return this;
		}

		/**
		 * How often each socket file is checked; a socket whose file was removed from outside is
		 * bound again. {@link Duration#ZERO} turns the check off. Default 5 seconds.
		 * @param interval the interval
		 * @return this builder
		 */
		public Builder fileCheckInterval(Duration interval) {
			Objects.requireNonNull(interval, "'fileCheckInterval' must not be null");
			if (interval.isNegative()) {
				throw new IllegalArgumentException("'fileCheckInterval' must not be negative, got " + interval);
			}
			this.fileCheckInterval = interval;
			return this;
		}

		/**
		 * Whether to register a JVM shutdown hook that closes the manager, so socket files are
		 * removed when the process ends normally. Default {@code true}; a container that closes
		 * the manager itself turns it off.
		 * @param shutdownHook whether to register the hook
		 * @return this builder
		 */
		public Builder shutdownHook(boolean shutdownHook) {
			this.shutdownHook = shutdownHook;
			return this;
		}

		/**
		 * The path used by the listener-start methods when none is given; it is checked when the
		 * manager is built. Default: a new {@code glide-socket-<pid>-<uuid>.sock} in a private
		 * per-user temporary directory.
		 * @param defaultPath the path
		 * @return this builder
		 */
		public Builder defaultPath(String defaultPath) {
			this.defaultPath = Objects.requireNonNull(defaultPath, "'defaultPath' must not be null");
			return this;
		}

		/**
		 * How many bytes all event-loop connections of the manager may hold in buffers of their
		 * own at once: replies their peers have not read yet and requests their sessions left
		 * unconsumed. A connection that would go beyond it is closed and reported to
		 * {@link SocketEventListener#outputLimitExceeded(String)}, so slow or hostile peers cannot
		 * fill the heap. {@code -1} means no limit. Default: a quarter of the maximum heap.
		 * @param maxBufferedBytes the limit in bytes
		 * @return this builder
		 */
		public Builder maxBufferedBytes(long maxBufferedBytes) {
			if (maxBufferedBytes < 1 && maxBufferedBytes != -1) {
				throw new IllegalArgumentException(
						"'maxBufferedBytes' must be positive, or -1 for no limit, got " + maxBufferedBytes);
			}
			this.maxBufferedBytes = maxBufferedBytes;
			return this;
		}

		/**
		 * Whether a socket that takes over a live socket ({@link SocketOptions#takeover()}) waits
		 * until {@link SocketManager#completeTakeovers()} to take the path over. It binds, gets
		 * its mode and starts accepting at once, aside, where nobody can reach it, so references
		 * to it work; the process serving the path keeps serving it, unaware, until the rename.
		 * Closing the socket before then removes it aside and leaves the path alone. Binds that
		 * take nothing over (the path is free or holds a stale socket) publish at once either
		 * way. An application calls {@code completeTakeovers()} once it is ready to serve, so a
		 * start that fails never leaves the path without a server. Default {@code false}: a
		 * socket takes over as it binds.
		 * @param holdTakeovers whether takeovers wait for {@code completeTakeovers()}
		 * @return this builder
		 */
		public Builder holdTakeovers(boolean holdTakeovers) {
			this.holdTakeovers = holdTakeovers;
			return this;
		}

		/**
		 * What this builder holds, as a {@link SocketManagerProvider} receives it.
		 * @return the settings
		 */
		public SocketManagerSettings settings() {
			return new SocketManagerSettings(this.name, this.defaults, this.socketOptions, this.maxSockets,
					this.leakDetection, this.virtualThreads, this.eventLoopThreads, this.eventListeners,
					this.fileCheckInterval, this.shutdownHook, this.defaultPath, this.maxBufferedBytes,
					this.holdTakeovers);
		}

		/**
		 * Build the manager.
		 * @return a new manager
		 * @throws SocketPathException if a configured path is unusable
		 */
		public SocketManager build() {
			return SocketManagerProvider.load().create(settings());
		}

	}

}
