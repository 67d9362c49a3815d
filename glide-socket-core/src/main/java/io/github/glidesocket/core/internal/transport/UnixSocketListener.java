package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.glidesocket.core.GlideSocketException;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketCallback;
import io.github.glidesocket.core.SocketChannelHandler;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.binding.PendingTakeover;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;
import io.github.glidesocket.core.internal.credentials.PeerCredentialsReader;

import org.jspecify.annotations.Nullable;

/**
 * Serves one bound socket: accepts each connection, admits it (peer policy, limit, handler) and
 * hands it to the manager's connection executor (a thread per connection), to one of its event
 * loops (event-loop mode) or to a channel handler that serves it elsewhere (an embedded web
 * server).
 * <p>
 * Every socket accepts on the manager's acceptor loop, in either mode, so a bound socket costs no
 * thread and the connections queued on it are accepted alike at a handover, a stop or the
 * hand-back of an inherited socket. A peer policy that {@linkplain PeerPolicy#mayBlock() may
 * block} runs after the accept, on the thread of its connection (from the connection executor),
 * never on the loop: the connection takes its slot first (the limits are checked on the loop), so
 * the threads waiting for such a policy are bounded by the socket's connection limit, and a
 * graceful stop waits for them like for any connection. A refused peer is closed and counted
 * from there.
 * <p>
 * Threading: {@link #stopAccepting()}, {@link #closeConnections()} and
 * {@link #drainConnections()} may run on any thread and never wait for I/O. A connection is added
 * to {@link #connections} before the shutdown flags are re-checked, so a connection admitted
 * during a stop is either seen by the stopping thread or refused. User code (peer policy,
 * handler, events) runs on the accepting or connection thread, never under a lock.
 */
public final class UnixSocketListener implements Listener {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/** Pause after a failed accept, so that running out of descriptors does not spin a core. */
	static final long ACCEPT_FAILURE_PAUSE_NANOS = 50_000_000L;

	/**
	 * How old a connection must be before a graceful stop asks it to finish: a client that has
	 * just connected has its first request on the way, and ending the connection under it fails
	 * that request.
	 */
	static final long FIRST_REQUEST_NANOS = 200_000_000L;

	private final String path;

	private final Path file;

	private final SocketOptions options;

	private final ListenerContext context;

	private final LoopAcceptor acceptor;

	private final Set<ServedConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger active = new AtomicInteger();

	private final LongAdder accepted = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder acceptFailures = new LongAdder();

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final CompletableFuture<Void> drained = new CompletableFuture<>();

	/** Connections served per peer user id, for the per-peer limit. */
	private final Map<Long, AtomicInteger> perPeer = new ConcurrentHashMap<>();

	private final SummarisingLog<String> refusals;

	private final SummarisingLog<String> callbackFailures;

	/** What ended the thread that accepted for this socket, if one ended unexpectedly. */
	private volatile @Nullable Throwable acceptStopped;

	/**
	 * Completed when no re-bind is publishing a file: a stop waits for it before the path is
	 * given to a new socket, so a late re-bind never holds the path against it.
	 */
	private @Nullable CompletableFuture<Void> rebinding;

	/**
	 * Orders the switch to a re-bound server channel against a stop, so a late re-bind never
	 * serves after cleanup. Held for a few field writes and channel closes only, never for I/O.
	 */
	private final Object switchLock = new Object();

	private volatile UnixSocketBinder.BoundSocket bound;

	private volatile boolean accepting = true;

	private volatile boolean draining;

	/** Set when the connections are closed at once: a connection accepted after is refused. */
	private volatile boolean forced;


	private final Binder binder;

	private UnixSocketListener(String path, long generation, SocketOptions options, ListenerContext context,
			UnixSocketBinder.BoundSocket bound, Binder binder) {
		this.binder = binder;
		this.path = path;
		this.file = Path.of(path);
		this.options = options;
		this.context = context;
		this.bound = bound;
		this.refusals = new SummarisingLog<>("Refused more connections on '" + path + "'", context.scheduler(),
				SummarisingLog.INTERVAL);
		this.callbackFailures = new SummarisingLog<>("More failures of the application's code on '" + path + "'",
				context.scheduler(), SummarisingLog.INTERVAL);
		this.acceptor = new LoopAcceptor(this, context.eventLoops(), context.scheduler());
	}

	/**
	 * Bind the socket and start accepting.
	 */
	public static UnixSocketListener open(String path, long generation, SocketOptions options, ListenerContext context) {
		return open(path, generation, options, context,
				(socketPath, socketOptions) -> UnixSocketBinder.bind(socketPath, socketOptions, context.takeovers()));
	}

	static UnixSocketListener open(String path, long generation, SocketOptions options, ListenerContext context,
			Binder binder) {
		UnixSocketBinder.BoundSocket bound = binder.bind(path, options);
		UnixSocketListener listener;
		try {
			listener = new UnixSocketListener(path, generation, options, context, bound, binder);
			listener.acceptor.start(bound.server());
		}
		catch (RuntimeException ex) {
			bound.closeAndUnlink(Path.of(path));
			throw ex;
		}
		// Accepted while the inherited socket's file was checked: served like any other.
		bound.queued().forEach((channel) -> listener.serve(channel, LoopWakeUps.IMMEDIATE));
		return listener;
	}

	String path() {
		return this.path;
	}

	/**
	 * The length of the socket's queue of connections not yet accepted.
	 */
	int backlog() {
		return this.options.backlog();
	}

	/**
	 * Whether connections are still taken from the queue: a stop leaves the rest to whoever
	 * else holds the listening socket.
	 */
	boolean isAccepting() {
		return this.accepting;
	}

	/**
	 * A connection was accepted: admit it or refuse it, and serve it. Called by the acceptor, on
	 * its loop. A failure of this code itself costs the connection, never the acceptor.
	 * @param channel the connection
	 * @param wakeUps wakes the loop that serves it (event-loop mode), at once or when the
	 * acceptor's batch ends
	 */
	void serve(SocketChannel channel, LoopWakeUps wakeUps) {
		try {
			accepted(channel, wakeUps);
		}
		catch (RuntimeException ex) {
			UnixSocketBinder.closeQuietly(channel);
			logger.log(System.Logger.Level.WARNING, "Serving a connection on '" + this.path
					+ "' failed; the connection is closed and the socket accepts on", ex);
		}
	}

	private void accepted(SocketChannel channel, LoopWakeUps wakeUps) {
		this.consecutiveFailures.set(0);
		PeerCredentials peer;
		try {
			peer = PeerCredentialsReader.read(channel);
		}
		catch (IOException | RuntimeException ex) {
			reject(channel, RejectReason.ERROR);
			logger.log(System.Logger.Level.WARNING,
					"Refused a connection on '" + this.path + "': cannot read its peer credentials: " + ex);
			return;
		}
		if (refusesLateConnections()) {
			reject(channel, RejectReason.SHUTDOWN);
			return;
		}
		boolean policyMayBlock = this.options.peerPolicy().mayBlock();
		if (!policyMayBlock) {
			RejectReason refused = askPolicy(peer);
			if (refused != null) {
				reject(channel, refused);
				return;
			}
		}
		if (!this.options.hasHandler()) {
			reject(channel, RejectReason.NO_HANDLER);
			this.refusals.occurred(RejectReason.NO_HANDLER.tagValue(), () -> "Refused a connection on '" + this.path
					+ "': no connection handler is configured for this socket", null);
			return;
		}
		if (!takeSlots(channel, peer)) {
			return;
		}
		if (policyMayBlock) {
			askPolicyOffLoop(channel, peer);
		}
		else {
			dispatch(channel, peer, wakeUps, false);
		}
	}

	/**
	 * Take a connection slot in the socket and one for the peer, or refuse the connection at a
	 * limit.
	 * @return whether the slots were taken
	 */
	private boolean takeSlots(SocketChannel channel, PeerCredentials peer) {
		int max = this.options.maxConnections();
		if (this.active.incrementAndGet() > max && max != -1) {
			releaseSlot();
			reject(channel, RejectReason.LIMIT);
			this.refusals.occurred(RejectReason.LIMIT.tagValue(), () -> "Refused a connection on '" + this.path
					+ "': " + max + " connections are already being served (the socket's connection limit)", null);
			return false;
		}
		int maxPerPeer = this.options.maxConnectionsPerPeer();
		AtomicInteger peerConnections = this.perPeer.computeIfAbsent(peer.uid(), (uid) -> new AtomicInteger());
		if (peerConnections.incrementAndGet() > maxPerPeer && maxPerPeer != -1) {
			peerConnections.decrementAndGet();
			releaseSlot();
			reject(channel, RejectReason.PEER_LIMIT);
			this.refusals.occurred(RejectReason.PEER_LIMIT.tagValue(), () -> "Refused a connection on '" + this.path
					+ "' from user " + peer.user() + " (uid " + peer.uid() + "): its peers already hold " + maxPerPeer
					+ " connections (the socket's limit per peer)", null);
			return false;
		}
		return true;
	}

	/**
	 * Ask a policy that may block on a thread of the connection executor, then serve the
	 * connection there (thread mode) or hand it to an event loop. The connection holds its slots
	 * meanwhile.
	 */
	private void askPolicyOffLoop(SocketChannel channel, PeerCredentials peer) {
		Runnable admit = () -> {
			try {
				RejectReason refused = askPolicy(peer);
				if (refused != null) {
					unadmit(peer);
					reject(channel, refused);
					return;
				}
				dispatch(channel, peer, LoopWakeUps.IMMEDIATE, true);
			}
			catch (RuntimeException ex) {
				UnixSocketBinder.closeQuietly(channel);
				logger.log(System.Logger.Level.WARNING, "Serving a connection on '" + this.path
						+ "' failed; the connection is closed and the socket accepts on", ex);
			}
		};
		try {
			this.context.connectionExecutor().execute(admit);
		}
		catch (RejectedExecutionException ex) {
			// The manager is shutting down.
			unadmit(peer);
			reject(channel, RejectReason.SHUTDOWN);
		}
	}

	/**
	 * Serve an admitted connection in the socket's mode.
	 * @param onConnectionThread whether the calling thread is the connection's own, which then
	 * runs the handler (thread mode)
	 */
	private void dispatch(SocketChannel channel, PeerCredentials peer, LoopWakeUps wakeUps,
			boolean onConnectionThread) {
		SocketEventHandler eventHandler = this.options.eventHandler();
		SocketChannelHandler channelHandler = this.options.channelHandler();
		if (eventHandler != null) {
			serveOnEventLoop(channel, peer, eventHandler, wakeUps);
		}
		else if (channelHandler != null) {
			handOff(channel, peer, channelHandler);
		}
		else {
			serveOnThread(channel, peer, Objects.requireNonNull(this.options.handler()), onConnectionThread);
		}
	}

	/**
	 * Ask the peer policy, which is the application's code.
	 * @return why the connection is refused, or {@code null} if the policy allows the peer
	 */
	private @Nullable RejectReason askPolicy(PeerCredentials peer) {
		PeerPolicy policy = this.options.peerPolicy();
		boolean allowed;
		try {
			allowed = policy.allows(peer);
		}
		catch (Throwable ex) {
			callbackFailed(SocketCallback.PEER_POLICY, ex, () -> "The peer policy of socket '" + this.path
					+ "' failed on a connection from uid " + peer.uid() + "; the connection is refused");
			return RejectReason.ERROR;
		}
		if (!allowed) {
			this.refusals.occurred(RejectReason.PEER.tagValue(), () -> "Refused a connection on '" + this.path
					+ "' from user " + peer.user() + " (uid " + peer.uid() + ") group " + peer.group() + " (gid "
					+ peer.gid() + "): not allowed by peer policy " + policy, null);
			return RejectReason.PEER;
		}
		return null;
	}

	/**
	 * The application's code failed on one connection: count it and log it (the first of each
	 * kind and exception type with its stack, the rest in summaries). Any thread.
	 * @param callback which code failed
	 * @param failure what it threw
	 * @param details the first WARN line
	 */
	void callbackFailed(SocketCallback callback, Throwable failure, Supplier<String> details) {
		this.context.events().callbackFailed(this.path, callback, failure);
		this.callbackFailures.occurred(callback.tagValue() + "/" + failure.getClass().getName(), details, failure);
	}

	/**
	 * The thread that accepted for this socket ended unexpectedly: the socket no longer accepts.
	 * Called once by that thread, as it ends.
	 * @param failure what ended it
	 */
	void acceptStopped(Throwable failure) {
		if (!this.accepting) {
			return;
		}
		this.acceptStopped = failure;
		logger.log(System.Logger.Level.ERROR, "Socket '" + this.path + "' no longer accepts connections: the thread"
				+ " that accepted for it ended unexpectedly; stop the socket and acquire it again to bind it anew",
				failure);
		this.context.events().acceptStopped(this.path, failure);
	}

	/**
	 * A connection closed because its peer stopped reading for the write timeout.
	 */
	void writeTimedOut() {
		this.context.events().writeTimedOut(this.path);
	}

	/**
	 * Accepting failed (out of descriptors, for example): count it, log the first of a streak
	 * and one in a hundred after it. The acceptor pauses before it tries again.
	 */
	void acceptFailed(Exception ex) {
		int streak = this.consecutiveFailures.incrementAndGet();
		this.acceptFailures.increment();
		this.context.events().acceptFailed(this.path, ex);
		if (streak == 1 || streak % 100 == 0) {
			logger.log(System.Logger.Level.WARNING, "Accepting a connection on '" + this.path + "' failed ("
					+ streak + " in a row); the listener keeps running: " + ex);
		}
	}

	private void serveOnThread(SocketChannel channel, PeerCredentials peer, SocketConnectionHandler handler,
			boolean onConnectionThread) {
		ManagedConnection connection = new ManagedConnection(this.context.connectionIds().getAsLong(),
				this.path, channel, peer, handler, this, this.options.idleTimeout().toNanos(),
				this.options.writeTimeout().toNanos(), this.context.timeouts());
		if (!track(channel, connection)) {
			return;
		}
		if (onConnectionThread) {
			connection.run();
			return;
		}
		try {
			this.context.connectionExecutor().execute(connection);
		}
		catch (RejectedExecutionException ex) {
			// The manager is shutting down; the connection is closed like any other at shutdown.
			connection.forceClose();
			connectionEnded(connection);
		}
	}

	private void serveOnEventLoop(SocketChannel channel, PeerCredentials peer, SocketEventHandler handler,
			LoopWakeUps wakeUps) {
		EventLoop loop;
		try {
			loop = this.context.eventLoops().next();
		}
		catch (RuntimeException ex) {
			unadmit(peer);
			reject(channel, RejectReason.ERROR);
			logger.log(System.Logger.Level.WARNING, "Refused a connection on '" + this.path + "': " + ex.getMessage());
			return;
		}
		EventLoopConnection connection = new EventLoopConnection(this.context.connectionIds().getAsLong(),
				this.path, channel, peer, handler, this, this.options.idleTimeout().toNanos(),
				this.options.writeTimeout().toNanos(), loop,
				this.context.bufferBudget(), this.options.maxPendingOutput());
		if (track(channel, connection)) {
			loop.register(connection, wakeUps);
		}
	}

	/**
	 * Hand an admitted connection to the server that serves it; it holds its slot until the
	 * server reports it closed. The handler runs on the acceptor and must not block.
	 */
	private void handOff(SocketChannel channel, PeerCredentials peer, SocketChannelHandler handler) {
		HandedOffConnection connection = new HandedOffConnection(this.context.connectionIds().getAsLong(), this.path,
				channel, peer, this);
		if (!track(channel, connection)) {
			return;
		}
		try {
			handler.handle(connection);
		}
		catch (Throwable ex) {
			connection.closed();
			callbackFailed(SocketCallback.CHANNEL_HANDLER, ex, () -> "The channel handler failed on "
					+ connection.describe() + " from " + peer + "; the connection is closed");
		}
	}

	/**
	 * Count an admitted connection as served, unless the socket stopped meanwhile.
	 * @return whether to go on serving it
	 */
	private boolean track(SocketChannel channel, ServedConnection connection) {
		this.connections.add(connection);
		if (refusesLateConnections()) {
			this.connections.remove(connection);
			unadmit(connection.peer());
			reject(channel, RejectReason.SHUTDOWN);
			return false;
		}
		if (this.draining) {
			// Taken from the queue as a graceful stop began: served and asked to finish, not reset.
			// A drain that begins after this sees the connection in the set and asks it too.
			signalShutdownAfterFirstRequest(connection);
		}
		this.accepted.increment();
		this.context.events().connectionAccepted(this.path);
		return true;
	}

	/**
	 * Whether a connection accepted now is refused: once the socket is closed at once, or its
	 * graceful drain has ended. A connection taken from the queue while a graceful stop begins is
	 * served instead (a client would see a reset otherwise), and its slot holds the drain open:
	 * checked after the slot is taken, a drain that has not ended cannot end before it.
	 */
	private boolean refusesLateConnections() {
		return this.forced || (!this.accepting && this.drained.isDone());
	}

	/**
	 * Give back the slots an admitted connection took, in the socket and for its peer.
	 */
	private void unadmit(PeerCredentials peer) {
		AtomicInteger peerConnections = this.perPeer.get(peer.uid());
		if (peerConnections != null) {
			peerConnections.decrementAndGet();
		}
		releaseSlot();
	}

	/**
	 * Give back a connection slot. Every path that lowers the count comes here, so the last slot
	 * given back during a drain completes it, whichever way the connection went: ended, or
	 * refused after it took its slot.
	 */
	private void releaseSlot() {
		if (this.active.decrementAndGet() == 0 && this.draining) {
			this.drained.complete(null);
		}
	}

	private void reject(SocketChannel channel, RejectReason reason) {
		UnixSocketBinder.closeQuietly(channel);
		this.rejected.increment();
		this.context.events().connectionRejected(this.path, reason);
	}

	/** Counted per read, from the thread that read. */
	void received(int bytes) {
		this.bytesReceived.add(bytes);
	}

	/** Counted per write, from the thread that wrote. */
	void sent(long bytes) {
		this.bytesSent.add(bytes);
	}

	void connectionEnded(ServedConnection connection) {
		if (this.connections.remove(connection)) {
			this.context.events().connectionClosed(this.path);
			this.context.events().connectionDuration(this.path, connection.lifetime());
			unadmit(connection.peer());
		}
	}

	@Override
	public void stopAccepting() {
		synchronized (this.switchLock) {
			if (!this.accepting) {
				return;
			}
			this.accepting = false;
			// A socket still waiting to take the path over never does once it stops accepting.
			discardPendingTakeover();
			this.acceptor.stop(this.bound.server());
		}
	}

	@Override
	public CompletableFuture<Void> settled() {
		synchronized (this.switchLock) {
			CompletableFuture<Void> inProgress = this.rebinding;
			return (inProgress != null) ? inProgress : CompletableFuture.completedFuture(null);
		}
	}

	@Override
	public @Nullable Throwable acceptFailure() {
		return this.acceptStopped;
	}

	private void discardPendingTakeover() {
		PendingTakeover pending = this.bound.pendingTakeover();
		if (pending != null) {
			pending.discard();
		}
	}

	@Override
	public void unlink() {
		discardPendingTakeover();
		UnixSocketBinder.BoundSocket current = this.bound;
		if (!current.inherited()) {
			UnixSocketBinder.unlinkIfOwned(this.file, current.fileKey());
		}
	}

	@Override
	public CompletableFuture<Void> acceptQueued() {
		return this.acceptor.acceptQueued(this.bound.server());
	}

	@Override
	public CompletableFuture<Void> drainConnections() {
		this.draining = true;
		this.connections.forEach(this::signalShutdownAfterFirstRequest);
		if (this.active.get() == 0) {
			this.drained.complete(null);
		}
		return this.drained;
	}

	/**
	 * Ask a connection to finish, once it is old enough for its first request to have arrived
	 * ({@link #FIRST_REQUEST_NANOS}); the stop's deadline still closes it.
	 */
	private void signalShutdownAfterFirstRequest(ServedConnection connection) {
		long wait = FIRST_REQUEST_NANOS - connection.lifetime().toNanos();
		if (wait > 0) {
			try {
				this.context.scheduler().schedule(connection::signalShutdown, wait, TimeUnit.NANOSECONDS);
				return;
			}
			catch (RejectedExecutionException ex) {
				// The manager is closing: ask now.
			}
		}
		connection.signalShutdown();
	}

	@Override
	public void closeConnections() {
		this.forced = true;
		this.connections.forEach(ServedConnection::forceClose);
	}

	/**
	 * An event-loop connection was closed for its output: count and report it.
	 */
	void outputLimitExceeded() {
		this.context.events().outputLimitExceeded(this.path);
	}

	/**
	 * Re-binds a file removed from outside; a file that replaced this socket's is only reported
	 * back: what it is, a takeover or an impostor, is for the manager to judge.
	 */
	@Override
	public SocketSnapshot.FileStatus checkFile() {
		UnixSocketBinder.BoundSocket current = this.bound;
		if (current.isTakeoverPending()) {
			// The path still holds the socket this one takes over once the application is ready.
			return SocketSnapshot.FileStatus.TAKEOVER_PENDING;
		}
		SocketSnapshot.FileStatus status = UnixSocketBinder.fileStatus(this.file, current.fileKey());
		if (status == SocketSnapshot.FileStatus.MISSING) {
			rebind(current);
		}
		return status;
	}

	/**
	 * Bind a new server channel at the path after the file was removed from outside. The bind
	 * runs outside any lock; connections already accepted stay open; the old channel is closed.
	 */
	private void rebind(UnixSocketBinder.BoundSocket previous) {
		CompletableFuture<Void> settled = new CompletableFuture<>();
		synchronized (this.switchLock) {
			if (!this.accepting || this.bound != previous || this.rebinding != null) {
				return;
			}
			this.rebinding = settled;
		}
		try {
			rebindAndSwitch(previous);
		}
		finally {
			synchronized (this.switchLock) {
				this.rebinding = null;
			}
			settled.complete(null);
		}
	}

	private void rebindAndSwitch(UnixSocketBinder.BoundSocket previous) {
		UnixSocketBinder.BoundSocket replacement;
		try {
			replacement = this.binder.bind(this.path, this.options);
		}
		catch (GlideSocketException ex) {
			logger.log(System.Logger.Level.WARNING, "The file of socket '" + this.path
					+ "' was removed and binding it again failed: " + ex.getMessage());
			return;
		}
		boolean switched = false;
		synchronized (this.switchLock) {
			if (this.accepting && this.bound == previous) {
				this.bound = replacement;
				this.acceptor.start(replacement.server());
				this.acceptor.stop(previous.server());
				switched = true;
			}
		}
		if (!switched) {
			// Stopped (or re-bound by another check) meanwhile: take back what was just published.
			replacement.closeAndUnlink(this.file);
			return;
		}
		logger.log(System.Logger.Level.WARNING,
				"The file of socket '" + this.path + "' was removed from outside; the socket is bound again");
		this.context.events().socketRebound(this.path);
	}

	/**
	 * The key of the file this listener published, for checks that the path still holds it.
	 */
	@Override
	public Object fileKey() {
		return this.bound.fileKey();
	}

	/**
	 * Look at the file now (one {@code stat}, no socket I/O) rather than report the last periodic
	 * check: that check re-binds a removed file at once, so its own finding never shows, and
	 * between checks the file may be gone for a whole interval.
	 */
	@Override
	public SocketSnapshot.FileStatus fileStatus() {
		UnixSocketBinder.BoundSocket current = this.bound;
		if (current.isTakeoverPending()) {
			return SocketSnapshot.FileStatus.TAKEOVER_PENDING;
		}
		SocketSnapshot.FileStatus status = UnixSocketBinder.fileStatus(this.file, current.fileKey());
		if (status != SocketSnapshot.FileStatus.INTACT && current != this.bound) {
			// A re-bind published its file meanwhile: judge the file against the new socket.
			status = UnixSocketBinder.fileStatus(this.file, this.bound.fileKey());
		}
		return status;
	}

	@Override
	public int activeConnections() {
		return this.active.get();
	}

	@Override
	public long acceptedConnections() {
		return this.accepted.sum();
	}

	@Override
	public long rejectedConnections() {
		return this.rejected.sum();
	}

	@Override
	public long acceptFailures() {
		return this.acceptFailures.sum();
	}

	@Override
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	@Override
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/**
	 * Binds and publishes a socket; the seam lets tests slow a re-bind down.
	 */
	@FunctionalInterface
	interface Binder {

		UnixSocketBinder.BoundSocket bind(String path, SocketOptions options);

	}

}
