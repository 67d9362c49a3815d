package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * One selector thread serving many connections with non-blocking I/O: one wake-up serves every
 * connection that is ready.
 * <p>
 * Other threads talk to the loop only through {@link #execute(Runnable)}. Its wake-up is a
 * socket pair of its own rather than {@link Selector#wakeup()}: junixsocket's selectors share
 * one wake-up pipe in the whole JVM, so a wake-up meant for one loop can be consumed by another
 * and lost. Idle timeouts are checked when the earliest one may have expired, so the loop sleeps
 * as long as nothing happens.
 * <p>
 * junixsocket's selector calls {@code poll(2)} with every registered channel on each wake-up, so
 * a loop's cost per wake-up grows with its connections. Connections that have sent nothing for
 * {@link #PARK_AFTER_NANOS} are therefore parked: moved to the selector of the group's parking
 * loop, which wakes only when one of them has input, and handed back then. Active connections
 * share their loop with few others however many idle ones there are.
 */
public final class EventLoop implements Runnable {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/** Bytes read at once; one read per ready connection and wake-up keeps loops fair. */
	public static final int READ_BUFFER_SIZE = 64 * 1024;

	private static final long SELECT_FAILURE_PAUSE_MILLIS = 50;

	/** How long a connection may wait for input before it moves to the parking loop. */
	static final long PARK_AFTER_NANOS = 1_000_000_000L;

	private final Selector selector;

	private final AFUNIXSocketPair<AFUNIXSocketChannel> wakeUpPair;

	private final ByteBuffer wakeUpByte = ByteBuffer.allocate(1);

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Set while the loop is about to sleep or sleeps in select: a new task must wake it. */
	private final AtomicBoolean sleeping = new AtomicBoolean();

	private final Thread thread;

	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	private final byte[] outputStaging = new byte[READ_BUFFER_SIZE];

	private final Set<EventLoopConnection> connections = new HashSet<>();

	/** Where this loop's idle connections wait for input; {@code null} for the parking loop itself. */
	private final @Nullable EventLoop parking;

	/** When the earliest idle timeout may expire, in {@link System#nanoTime()}; MAX_VALUE: none. */
	private long nextIdleCheck = Long.MAX_VALUE;

	/** The connection whose handler or session the loop is calling, the only one that may write. */
	private @Nullable EventLoopConnection serving;

	private volatile boolean running = true;

	EventLoop(String name, @Nullable EventLoop parking) throws IOException {
		this.parking = parking;
		this.selector = AFUNIXSelectorProvider.provider().openSelector();
		try {
			this.wakeUpPair = AFUNIXSocketPair.open();
			this.wakeUpPair.getSocket1().configureBlocking(false);
			this.wakeUpPair.getSocket2().configureBlocking(false);
			this.wakeUpPair.getSocket1().register(this.selector, SelectionKey.OP_READ);
		}
		catch (IOException | RuntimeException ex) {
			this.selector.close();
			throw ex;
		}
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
		if (Thread.currentThread() != this.thread && this.sleeping.compareAndSet(true, false)) {
			wakeUp();
		}
	}

	/**
	 * Start serving a connection on this loop.
	 * @param connection the connection, accepted and admitted
	 */
	void register(EventLoopConnection connection) {
		if (!this.running) {
			// The manager is closing; the connection ends like any other at shutdown.
			connection.closeNow();
			return;
		}
		execute(() -> connection.open(this));
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
	 * Stop the loop: it closes its connections and its selector, then ends. Returns at once.
	 */
	void stop() {
		this.running = false;
		this.sleeping.set(false);
		wakeUp();
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

	@Nullable EventLoop parking() {
		return this.parking;
	}

	/**
	 * Count a connection as served by this loop, and check it by its deadline.
	 * @param connection the connection
	 * @param nextCheck when it must be checked for idleness, in {@link System#nanoTime()}
	 */
	void added(EventLoopConnection connection, long nextCheck) {
		this.connections.add(connection);
		this.nextIdleCheck = Math.min(this.nextIdleCheck, nextCheck);
	}

	void removed(EventLoopConnection connection) {
		this.connections.remove(connection);
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				runTasks();
				select();
				serveReadyConnections();
				closeIdleConnections();
			}
		}
		finally {
			runTasks();
			for (EventLoopConnection connection : new ArrayList<>(this.connections)) {
				connection.closeNow();
			}
			UnixSocketBinder.closeQuietly(this.wakeUpPair.getSocket1());
			UnixSocketBinder.closeQuietly(this.wakeUpPair.getSocket2());
			UnixSocketBinder.closeQuietly(this.selector);
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

	private void select() {
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
			if (key.attachment() instanceof SelectionHandler handler) {
				handler.ready(key);
			}
			else {
				drainWakeUps();
			}
		}
	}

	private void drainWakeUps() {
		ByteBuffer buffer = this.readBuffer;
		try {
			do {
				buffer.clear();
			}
			while (this.wakeUpPair.getSocket1().read(buffer) == buffer.capacity());
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "Reading wake-ups failed: " + ex);
		}
	}

	private void wakeUp() {
		synchronized (this.wakeUpByte) {
			try {
				this.wakeUpByte.clear();
				// A full pair already holds a wake-up the loop has not read: nothing is lost.
				this.wakeUpPair.getSocket2().write(this.wakeUpByte);
			}
			catch (IOException ex) {
				logger.log(System.Logger.Level.DEBUG, () -> "Waking event loop " + this.thread.getName() + " failed: " + ex);
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
