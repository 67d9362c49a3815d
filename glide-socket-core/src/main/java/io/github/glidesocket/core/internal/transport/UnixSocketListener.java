package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.github.glidesocket.core.GlideSocketException;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Serves one bound socket: a platform accept thread admits each connection (peer policy, limit,
 * handler) and hands it to the manager's connection executor (a thread per connection) or to one
 * of its event loops (event-loop mode).
 * <p>
 * Threading: the accept thread is the only one that accepts and admits; {@link #stopAccepting()},
 * {@link #closeConnections()} and {@link #drainConnections()} may run on any thread. A connection
 * is added to {@link #connections} before the shutdown flags are re-checked, so a connection
 * admitted during a stop is either seen by the stopping thread or refused by the accept thread.
 * No lock is held anywhere; user code (peer policy, handler, events) runs on the accept or
 * connection thread.
 */
public final class UnixSocketListener implements Listener {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/** Pause after a failed accept, so that running out of descriptors does not spin a core. */
	private static final long ACCEPT_FAILURE_PAUSE_NANOS = 50_000_000L;

	/** A connection to a listening Unix socket completes at once unless its backlog is full. */
	private static final int WAKE_UP_TIMEOUT_MILLIS = 200;

	private final String path;

	private final Path file;

	private final SocketOptions options;

	private final ListenerContext context;

	private final Thread acceptThread;

	private final Set<ServedConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger active = new AtomicInteger();

	private final LongAdder accepted = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder acceptFailures = new LongAdder();

	private final CompletableFuture<Void> drained = new CompletableFuture<>();

	/**
	 * Guards re-binding against a concurrent stop, so a late re-bind never publishes a file after
	 * cleanup has freed the path. Held only by the scheduler's file check and by a stop of this
	 * listener.
	 */
	private final Object rebindLock = new Object();

	private volatile UnixSocketBinder.BoundSocket bound;

	private volatile boolean accepting = true;

	private volatile boolean draining;

	private volatile boolean limitWarned;

	private volatile boolean handlerWarned;

	private UnixSocketListener(String path, long generation, SocketOptions options, ListenerContext context,
			UnixSocketBinder.BoundSocket bound) {
		this.path = path;
		this.file = Path.of(path);
		this.options = options;
		this.context = context;
		this.bound = bound;
		this.acceptThread = new Thread(this::acceptLoop, context.managerName() + "-accept-" + generation);
		// Like a server's acceptor: while a socket is open, the process stays up.
		this.acceptThread.setDaemon(false);
	}

	/**
	 * Bind the socket and start accepting.
	 */
	public static UnixSocketListener open(String path, long generation, SocketOptions options, ListenerContext context) {
		UnixSocketListener listener = new UnixSocketListener(path, generation, options, context,
				UnixSocketBinder.bind(path, options));
		listener.acceptThread.start();
		return listener;
	}

	private void acceptLoop() {
		int consecutiveFailures = 0;
		UnixSocketBinder.BoundSocket current = this.bound;
		try {
			while (this.accepting) {
				current = this.bound;
				AFUNIXSocket socket;
				try {
					socket = current.server().accept();
					consecutiveFailures = 0;
				}
				catch (IOException | RuntimeException ex) {
					if (!this.accepting) {
						break;
					}
					if (current != this.bound) {
						retire(current);
						continue;
					}
					if (current.server().isClosed()) {
						// junixsocket closes the server when its staging name disappears: bind again.
						rebind(current);
						continue;
					}
					consecutiveFailures++;
					acceptFailed(ex, consecutiveFailures);
					LockSupport.parkNanos(ACCEPT_FAILURE_PAUSE_NANOS);
					continue;
				}
				if (!this.accepting || current != this.bound) {
					// The wake-up connection of a stop or a re-bind.
					UnixSocketBinder.closeQuietly(socket);
					if (current != this.bound) {
						retire(current);
					}
					continue;
				}
				admit(socket);
			}
		}
		finally {
			// Closed here, on the thread that accepts: closing a server socket while another
			// thread is blocked in its accept makes junixsocket leak a descriptor now and then.
			UnixSocketBinder.closeQuietly(current.server());
			UnixSocketBinder.closeQuietly(this.bound.server());
		}
	}

	/**
	 * Close a server socket replaced by a re-bind and remove its staging name.
	 */
	private void retire(UnixSocketBinder.BoundSocket previous) {
		UnixSocketBinder.closeQuietly(previous.server());
		UnixSocketBinder.deleteStaging(previous.stagingDirectory());
	}

	/**
	 * Make the accept thread return from {@code accept()} so it can close the server socket
	 * itself. The wake-up connection goes to the private staging name, which no one else can
	 * reach. If it fails (a full backlog, a removed staging name), the server is closed from this
	 * thread instead.
	 */
	private void wakeAcceptThread(UnixSocketBinder.BoundSocket bound) {
		if (Thread.currentThread() == this.acceptThread || !this.acceptThread.isAlive()) {
			UnixSocketBinder.closeQuietly(bound.server());
			return;
		}
		try (AFUNIXSocket wakeUp = AFUNIXSocket.newInstance()) {
			wakeUp.connect(AFUNIXSocketAddress.of(bound.stagingDirectory().resolve("s").toFile()), WAKE_UP_TIMEOUT_MILLIS);
		}
		catch (IOException | RuntimeException ex) {
			UnixSocketBinder.closeQuietly(bound.server());
		}
	}

	private void acceptFailed(Exception ex, int consecutiveFailures) {
		this.acceptFailures.increment();
		this.context.events().acceptFailed(this.path, ex);
		// One line for the first failure of a streak and one per 100 after it, not one per attempt.
		if (consecutiveFailures == 1 || consecutiveFailures % 100 == 0) {
			logger.log(System.Logger.Level.WARNING, "Accepting a connection on '" + this.path + "' failed ("
					+ consecutiveFailures + " in a row); the listener keeps running: " + ex);
		}
	}

	private void admit(AFUNIXSocket socket) {
		PeerCredentials peer;
		try {
			peer = credentials(socket);
		}
		catch (IOException | RuntimeException ex) {
			reject(socket, RejectReason.ERROR);
			logger.log(System.Logger.Level.WARNING,
					"Refused a connection on '" + this.path + "': cannot read its peer credentials: " + ex);
			return;
		}
		if (this.draining || !this.accepting) {
			reject(socket, RejectReason.SHUTDOWN);
			return;
		}
		if (!this.options.peerPolicy().allows(peer)) {
			reject(socket, RejectReason.PEER);
			logger.log(System.Logger.Level.WARNING, "Refused a connection on '" + this.path + "' from uid "
					+ peer.uid() + " pid " + peer.pid() + ": not allowed by peer policy " + this.options.peerPolicy());
			return;
		}
		if (!this.options.hasHandler()) {
			reject(socket, RejectReason.NO_HANDLER);
			if (!this.handlerWarned) {
				this.handlerWarned = true;
				logger.log(System.Logger.Level.WARNING, "Refused a connection on '" + this.path
						+ "': no connection handler is configured for this socket");
			}
			return;
		}
		int max = this.options.maxConnections();
		if (this.active.incrementAndGet() > max && max != -1) {
			this.active.decrementAndGet();
			reject(socket, RejectReason.LIMIT);
			logLimit(max);
			return;
		}
		SocketEventHandler eventHandler = this.options.eventHandler();
		if (eventHandler != null) {
			serveOnEventLoop(socket, peer, eventHandler);
		}
		else {
			serveOnThread(socket, peer, Objects.requireNonNull(this.options.handler()));
		}
	}

	private void serveOnThread(AFUNIXSocket socket, PeerCredentials peer, SocketConnectionHandler handler) {
		ManagedConnection connection = new ManagedConnection(this.context.connectionIds().incrementAndGet(),
				this.path, socket, peer, handler, this);
		try {
			socket.setSoTimeout((int) this.options.idleTimeout().toMillis());
		}
		catch (IOException ex) {
			this.active.decrementAndGet();
			reject(socket, RejectReason.ERROR);
			return;
		}
		if (!track(socket, connection)) {
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

	private void serveOnEventLoop(AFUNIXSocket socket, PeerCredentials peer, SocketEventHandler handler) {
		EventLoop loop;
		try {
			loop = this.context.eventLoops().next();
		}
		catch (RuntimeException ex) {
			this.active.decrementAndGet();
			reject(socket, RejectReason.ERROR);
			logger.log(System.Logger.Level.WARNING, "Refused a connection on '" + this.path + "': " + ex.getMessage());
			return;
		}
		EventLoopConnection connection = new EventLoopConnection(this.context.connectionIds().incrementAndGet(),
				this.path, socket, peer, handler, this, this.options.idleTimeout().toNanos(), loop);
		if (track(socket, connection)) {
			loop.register(connection);
		}
	}

	/**
	 * Count an admitted connection as served, unless the socket stopped meanwhile.
	 * @return whether to go on serving it
	 */
	private boolean track(AFUNIXSocket socket, ServedConnection connection) {
		this.connections.add(connection);
		if (!this.accepting) {
			this.connections.remove(connection);
			this.active.decrementAndGet();
			reject(socket, RejectReason.SHUTDOWN);
			return false;
		}
		if (this.draining) {
			connection.signalShutdown();
		}
		this.accepted.increment();
		this.context.events().connectionAccepted(this.path);
		return true;
	}

	private void logLimit(int max) {
		System.Logger.Level level = this.limitWarned ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
		this.limitWarned = true;
		logger.log(level, "Refused a connection on '" + this.path + "': " + max
				+ " connections are already being served (the socket's connection limit)");
	}

	private static PeerCredentials credentials(AFUNIXSocket socket) throws IOException {
		AFUNIXSocketCredentials credentials = socket.getPeerCredentials();
		long[] gids = credentials.getGids();
		return new PeerCredentials(credentials.getPid(), credentials.getUid(), credentials.getGid(),
				(gids != null) ? gids : new long[0]);
	}

	private void reject(AFUNIXSocket socket, RejectReason reason) {
		UnixSocketBinder.closeQuietly(socket);
		this.rejected.increment();
		this.context.events().connectionRejected(this.path, reason);
	}

	void connectionEnded(ServedConnection connection) {
		if (this.connections.remove(connection)) {
			int left = this.active.decrementAndGet();
			this.context.events().connectionClosed(this.path);
			if (left == 0 && this.draining) {
				this.drained.complete(null);
			}
		}
	}

	@Override
	public void stopAccepting() {
		synchronized (this.rebindLock) {
			if (!this.accepting) {
				return;
			}
			this.accepting = false;
			wakeAcceptThread(this.bound);
		}
	}

	@Override
	public void unlink() {
		UnixSocketBinder.unpublish(this.file, this.bound);
	}

	@Override
	public CompletableFuture<Void> drainConnections() {
		this.draining = true;
		this.connections.forEach(ServedConnection::signalShutdown);
		if (this.active.get() == 0) {
			this.drained.complete(null);
		}
		return this.drained;
	}

	@Override
	public void closeConnections() {
		this.connections.forEach(ServedConnection::forceClose);
	}

	@Override
	public SocketSnapshot.FileStatus checkFile() {
		UnixSocketBinder.BoundSocket current = this.bound;
		SocketSnapshot.FileStatus status = UnixSocketBinder.fileStatus(this.file, current.fileKey());
		if (status == SocketSnapshot.FileStatus.MISSING) {
			rebind(current);
		}
		return status;
	}

	/**
	 * Bind a new server socket at the path after the file was removed from outside. Connections
	 * already accepted stay open; the accept thread moves to the new server socket.
	 */
	private void rebind(UnixSocketBinder.BoundSocket previous) {
		synchronized (this.rebindLock) {
			if (!this.accepting || this.bound != previous) {
				return;
			}
			UnixSocketBinder.BoundSocket bound;
			try {
				bound = UnixSocketBinder.bind(this.path, this.options);
			}
			catch (GlideSocketException ex) {
				logger.log(System.Logger.Level.WARNING, "The file of socket '" + this.path
						+ "' was removed and binding it again failed: " + ex.getMessage());
				LockSupport.parkNanos(ACCEPT_FAILURE_PAUSE_NANOS);
				return;
			}
			this.bound = bound;
			UnixSocketBinder.unlinkIfOwned(this.file, previous.fileKey());
			if (Thread.currentThread() == this.acceptThread) {
				retire(previous);
			}
			else {
				// The accept thread retires the previous socket when it wakes up.
				wakeAcceptThread(previous);
			}
		}
		logger.log(System.Logger.Level.WARNING,
				"The file of socket '" + this.path + "' was removed from outside; the socket is bound again");
		this.context.events().socketRebound(this.path);
	}

	/**
	 * The key of the file this listener published, for checks that the path still holds it.
	 */
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

}
