package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

import org.jspecify.annotations.Nullable;

/**
 * One selector thread serving many connections with non-blocking I/O, and accepting on the
 * server channels registered with it: one wake-up serves every channel that is ready. The JDK's
 * selector is epoll on Linux, so a wake-up costs as much as the channels that are ready, however
 * many idle ones are registered.
 * <p>
 * Other threads talk to the loop only through {@link #execute(Runnable)}. Idle timeouts are
 * checked when the earliest one may have expired, so the loop sleeps as long as nothing happens.
 */
public final class EventLoop implements Runnable {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/** Bytes read at once; one read per ready connection and wake-up keeps loops fair. */
	public static final int READ_BUFFER_SIZE = 64 * 1024;

	private static final long SELECT_FAILURE_PAUSE_MILLIS = 50;

	/** Busy this long in one round, a loop is passed over for new connections. */
	static final long BLOCKED_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	/** Busy this long in one round, a loop is reported with what it is doing. */
	static final long REPORTED_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final Selector selector;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Tasks the loop gave itself for its next round; loop thread only. */
	private final List<Runnable> nextRound = new ArrayList<>();

	/** Set while the loop is about to sleep or sleeps in select: a new task must wake it. */
	private final AtomicBoolean sleeping = new AtomicBoolean();

	private final Thread thread;

	/** Whether this is the manager's acceptor, which serves no connection: said when it is blocked. */
	private final boolean acceptor;

	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	private final byte[] outputStaging = new byte[READ_BUFFER_SIZE];

	private final Set<EventLoopConnection> connections = new HashSet<>();

	/** When the earliest idle timeout may expire, in {@link System#nanoTime()}; MAX_VALUE: none. */
	private long nextIdleCheck = Long.MAX_VALUE;

	/** The connection whose handler or session the loop is calling, the only one that may write. */
	private @Nullable EventLoopConnection serving;

	private volatile boolean running = true;

	/** Set when the loop begins its last round of tasks: a task given after it may never run. */
	private volatile boolean ending;

	/** When the loop's current round of work began, in {@link System#nanoTime()}; 0 in select. */
	private volatile long busySinceNanos;

	/** The round last reported as blocked, so each is reported once. */
	private volatile long reportedRound;

	EventLoop(String name) throws IOException {
		this(name, false);
	}

	/**
	 * @param name the thread's name
	 * @param acceptor whether the loop is the manager's acceptor
	 */
	EventLoop(String name, boolean acceptor) throws IOException {
		this.acceptor = acceptor;
		this.selector = Selector.open();
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Run a task on the loop thread, soon.
	 * @param task the task
	 */
	void execute(Runnable task) {
		this.tasks.add(task);
		wakeUp();
	}

	/**
	 * Run a task on the loop thread in its next round, after the channels ready now are served: a
	 * long piece of work done in turns leaves the loop to its other channels between them. Loop
	 * thread only.
	 * @param task the task
	 */
	void executeNextRound(Runnable task) {
		this.nextRound.add(task);
	}

	/**
	 * Wake the loop if it sleeps, so that it runs the tasks given to it. Any thread.
	 */
	void wakeUp() {
		if (Thread.currentThread() != this.thread && this.sleeping.compareAndSet(true, false)) {
			this.selector.wakeup();
		}
	}

	/**
	 * Start serving a connection on this loop.
	 * @param connection the connection, accepted and admitted
	 * @param wakeUps wakes the loop, at once or when the batch of accepts ends
	 */
	void register(EventLoopConnection connection, LoopWakeUps wakeUps) {
		if (!this.running) {
			// The manager is closing; the connection ends like any other at shutdown.
			connection.closeNow();
			return;
		}
		Runnable open = () -> connection.open(this);
		this.tasks.add(open);
		wakeUps.handedTo(this);
		// The loop may have taken its last round of tasks before this one was queued: whoever
		// removes the task from the queue, the loop or this thread, ends the connection.
		if (this.ending && this.tasks.remove(open)) {
			connection.closeNow();
		}
	}

	boolean inLoop() {
		return Thread.currentThread() == this.thread;
	}

	/**
	 * Whether the loop thread has finished: tasks given to it now would never run.
	 * @return whether the loop has ended
	 */
	boolean hasEnded() {
		return !this.running && !this.thread.isAlive();
	}

	/**
	 * Whether the loop has stopped or is stopping: it takes no new connection or server channel.
	 * @return whether the loop no longer runs
	 */
	boolean isStopped() {
		return !this.running;
	}

	/**
	 * Stop the loop: it closes its connections and its selector, then ends. Returns at once.
	 */
	void stop() {
		this.running = false;
		this.sleeping.set(false);
		this.selector.wakeup();
	}

	Selector selector() {
		return this.selector;
	}

	ByteBuffer readBuffer() {
		return this.readBuffer;
	}

	byte[] outputStaging() {
		return this.outputStaging;
	}

	@Nullable EventLoopConnection serving() {
		return this.serving;
	}

	void serving(@Nullable EventLoopConnection connection) {
		this.serving = connection;
	}

	/**
	 * Count a connection as served by this loop, and check it by its deadline.
	 * @param connection the connection
	 * @param nextCheck when it must be checked for idleness, in {@link System#nanoTime()}
	 */
	void added(EventLoopConnection connection, long nextCheck) {
		this.connections.add(connection);
		checkBy(nextCheck);
	}

	/**
	 * Check the loop's connections for timeouts no later than a time. Loop thread.
	 * @param nextCheck the time, in {@link System#nanoTime()}
	 */
	void checkBy(long nextCheck) {
		this.nextIdleCheck = Math.min(this.nextIdleCheck, nextCheck);
	}

	void removed(EventLoopConnection connection) {
		this.connections.remove(connection);
	}

	/**
	 * Serve until stopped. The loop guards itself against its handlers: connections catch what
	 * their sessions throw, and a failure of one ready key costs that key only. Should the loop end
	 * anyway (an {@link Error} of its own, such as {@link OutOfMemoryError}), it stops taking
	 * work, tells the sockets that accepted on it, and closes what it served.
	 */
	@Override
	public void run() {
		Throwable failure = null;
		this.busySinceNanos = System.nanoTime() | 1;
		try {
			while (this.running) {
				runTasks();
				if (!this.nextRound.isEmpty()) {
					// Queued after this round's tasks ran, so that select() only polls.
					this.tasks.addAll(this.nextRound);
					this.nextRound.clear();
				}
				select();
				serveReadyConnections();
				closeIdleConnections();
			}
		}
		catch (Throwable ex) {
			// Logged and reported below; the thread then ends.
			failure = ex;
			this.running = false;
		}
		finally {
			this.ending = true;
			if (failure != null) {
				loopFailed(failure);
			}
			runTasks();
			while (!this.nextRound.isEmpty()) {
				// Work done in turns (accepting a queue, which is bounded) finishes rather than hangs.
				this.tasks.addAll(this.nextRound);
				this.nextRound.clear();
				runTasks();
			}
			for (EventLoopConnection connection : new ArrayList<>(this.connections)) {
				connection.closeNow();
			}
			for (SelectionKey key : this.selector.keys()) {
				// Server channels of sockets still open when the manager closes.
				UnixSocketBinder.closeQuietly(key.channel());
			}
			UnixSocketBinder.closeQuietly(this.selector);
		}
	}

	private void loopFailed(Throwable failure) {
		logger.log(System.Logger.Level.ERROR, "Event loop " + this.thread.getName() + " ended unexpectedly; its"
				+ " connections are closed and new ones go to another loop", failure);
		for (SelectionKey key : this.selector.keys()) {
			try {
				((SelectionHandler) key.attachment()).loopFailed(failure);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "Reporting the end of event loop " + this.thread.getName()
						+ " failed", ex);
			}
		}
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "A task of event loop " + this.thread.getName() + " failed", ex);
			}
		}
	}

	/**
	 * Whether the loop has been busy in one round for long: a session is blocking it, and new
	 * connections are better served elsewhere.
	 * @param now the time, in {@link System#nanoTime()}
	 * @return whether the loop is blocked
	 */
	boolean isBlocked(long now) {
		long since = this.busySinceNanos;
		return since != 0 && now - since > BLOCKED_NANOS;
	}

	/**
	 * Log the loop, once per round, if that round has lasted long, with the stack of what it is
	 * doing. Any thread.
	 * @param now the time, in {@link System#nanoTime()}
	 */
	void reportIfBlocked(long now) {
		long since = this.busySinceNanos;
		if (since == 0 || now - since <= REPORTED_NANOS || this.reportedRound == since) {
			return;
		}
		this.reportedRound = since;
		EventLoopConnection connection = this.serving;
		Exception where = new Exception("Where event loop " + this.thread.getName() + " is");
		where.setStackTrace(this.thread.getStackTrace());
		long busyMillis = TimeUnit.NANOSECONDS.toMillis(now - since);
		if (this.acceptor) {
			logger.log(System.Logger.Level.WARNING, "Event loop " + this.thread.getName() + ", which accepts for every"
					+ " socket of the manager, has been busy for " + busyMillis + " ms: no socket accepts a connection"
					+ " meanwhile. A peer policy whose mayBlock() is false runs there and must not block; one that may"
					+ " block must say so", where);
			return;
		}
		logger.log(System.Logger.Level.WARNING, "Event loop " + this.thread.getName() + " has been busy for "
				+ busyMillis + " ms"
				+ ((connection != null) ? " in the session of " + connection.describe() : "")
				+ ": the other connections on this loop wait meanwhile, and new ones go to other loops. A session"
				+ " must not block; hand slow work to another thread", where);
	}

	private void select() {
		this.busySinceNanos = 0;
		this.sleeping.set(true);
		try {
			if (!this.tasks.isEmpty() || !this.running) {
				this.selector.selectNow();
				return;
			}
			long timeoutMillis = millisUntilIdleCheck();
			if (timeoutMillis < 0) {
				this.selector.select();
			}
			else if (timeoutMillis == 0) {
				this.selector.selectNow();
			}
			else {
				this.selector.select(timeoutMillis);
			}
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.WARNING, "Event loop " + this.thread.getName() + " failed to select: " + ex);
			try {
				Thread.sleep(SELECT_FAILURE_PAUSE_MILLIS);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		finally {
			this.sleeping.set(false);
			this.busySinceNanos = System.nanoTime() | 1;
		}
	}

	private long millisUntilIdleCheck() {
		if (this.nextIdleCheck == Long.MAX_VALUE) {
			return -1;
		}
		long nanos = this.nextIdleCheck - System.nanoTime();
		// Round up, so the check does not run a moment before the deadline and find nothing.
		return (nanos <= 0) ? 0 : (nanos + 999_999) / 1_000_000;
	}

	private void serveReadyConnections() {
		Set<SelectionKey> selected = this.selector.selectedKeys();
		if (selected.isEmpty()) {
			return;
		}
		for (Iterator<SelectionKey> keys = selected.iterator(); keys.hasNext();) {
			SelectionKey key = keys.next();
			keys.remove();
			try {
				((SelectionHandler) key.attachment()).ready(key);
			}
			catch (RuntimeException ex) {
				// Handlers catch their sessions' failures; this is a failure of the loop's own code
				// on one key (a key cancelled under it, say), which must not end the loop.
				logger.log(System.Logger.Level.WARNING, "Event loop " + this.thread.getName()
						+ " failed to serve a ready channel", ex);
			}
		}
	}

	private void closeIdleConnections() {
		long now = System.nanoTime();
		if (now - this.nextIdleCheck < 0) {
			return;
		}
		long next = Long.MAX_VALUE;
		for (EventLoopConnection connection : new ArrayList<>(this.connections)) {
			next = Math.min(next, connection.checkIdle(now));
		}
		this.nextIdleCheck = next;
	}

	@Override
	public String toString() {
		return "EventLoop[" + this.thread.getName() + ", connections=" + this.connections.size() + "]";
	}

}
