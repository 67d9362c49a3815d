package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * The manager's event loops, shared by all its sockets in event-loop mode. Loops are started when
 * first needed, up to the configured number; connections are spread over them in turn, passing
 * over a loop that a session keeps busy ({@link EventLoop#isBlocked(long)}) or that has ended.
 * <p>
 * One more loop, the acceptor, accepts for every socket of the manager, in either connection
 * mode. It runs no application code (only peer policies that
 * {@linkplain io.github.glidesocket.core.PeerPolicy#mayBlock() do not block}), so a session that
 * blocks its loop holds up that loop's connections only: the sockets go on accepting, and their
 * new connections go to the other loops. A policy that blocks although it says it does not holds
 * every socket's accepts; the acceptor is then reported like a blocked loop.
 */
public final class EventLoops {

	private final String managerName;

	/** Read without the lock by {@link #next()} for every connection; written under it. */
	private final AtomicReferenceArray<@Nullable EventLoop> loops;

	private final AtomicInteger nextIndex = new AtomicInteger();

	private boolean closed;

	/** Loops started in place of loops that ended unexpectedly, for their names. */
	private int replaced;

	private @Nullable EventLoop acceptor;

	public EventLoops(String managerName, int threads) {
		this.managerName = managerName;
		this.loops = new AtomicReferenceArray<>(threads);
	}

	/**
	 * The loop for a new connection.
	 * @return a running loop
	 * @throws UncheckedIOException if a loop's selector cannot be opened
	 * @throws IllegalStateException if the loops are closed
	 */
	EventLoop next() {
		long now = System.nanoTime();
		for (int tried = 1;; tried++) {
			int index = Math.floorMod(this.nextIndex.getAndIncrement(), this.loops.length());
			EventLoop loop = this.loops.get(index);
			if (loop == null || loop.isStopped()) {
				return start(index);
			}
			if (!loop.isBlocked(now) || tried >= this.loops.length()) {
				return loop;
			}
		}
	}

	/**
	 * The loop that accepts for every socket in event-loop mode.
	 * @return a running loop
	 * @throws UncheckedIOException if its selector cannot be opened
	 * @throws IllegalStateException if the loops are closed
	 */
	synchronized EventLoop acceptor() {
		if (this.closed) {
			throw new IllegalStateException("The event loops of SocketManager '" + this.managerName + "' are closed");
		}
		EventLoop loop = this.acceptor;
		if (loop == null || loop.isStopped()) {
			loop = openNamed(this.managerName + "-acceptor" + ((loop != null) ? "-" + (++this.replaced) : ""), true);
			this.acceptor = loop;
		}
		return loop;
	}

	/**
	 * Log each loop that a session (or, on the acceptor, a peer policy) has kept busy for longer
	 * than a threshold, once per episode, with what it is doing. Called periodically by the
	 * manager's scheduler.
	 */
	public void reportBlockedLoops() {
		long now = System.nanoTime();
		for (EventLoop loop : running()) {
			loop.reportIfBlocked(now);
		}
	}

	private synchronized List<EventLoop> running() {
		List<EventLoop> running = new ArrayList<>();
		for (int i = 0; i < this.loops.length(); i++) {
			EventLoop loop = this.loops.get(i);
			if (loop != null && !loop.isStopped()) {
				running.add(loop);
			}
		}
		EventLoop accepting = this.acceptor;
		if (accepting != null && !accepting.isStopped()) {
			running.add(accepting);
		}
		return running;
	}

	private synchronized EventLoop start(int index) {
		if (this.closed) {
			throw new IllegalStateException("The event loops of SocketManager '" + this.managerName + "' are closed");
		}
		EventLoop loop = this.loops.get(index);
		// A loop that ended unexpectedly is replaced: no new connection goes to it.
		if (loop == null || loop.isStopped()) {
			loop = open(String.valueOf(index + 1) + ((loop != null) ? "-" + (++this.replaced) : ""));
			this.loops.set(index, loop);
		}
		return loop;
	}

	private EventLoop open(String suffix) {
		return openNamed(this.managerName + "-loop-" + suffix, false);
	}

	private EventLoop openNamed(String name, boolean acceptor) {
		EventLoop loop;
		try {
			loop = new EventLoop(name, acceptor);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open an event loop for SocketManager '" + this.managerName + "'", ex);
		}
		loop.start();
		return loop;
	}

	/**
	 * Stop every loop; each closes its connections and ends. Returns at once.
	 */
	public synchronized void close() {
		this.closed = true;
		for (int i = 0; i < this.loops.length(); i++) {
			EventLoop loop = this.loops.get(i);
			if (loop != null) {
				loop.stop();
			}
		}
		if (this.acceptor != null) {
			this.acceptor.stop();
		}
	}

}
