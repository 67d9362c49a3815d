package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The manager's event loops, shared by all its sockets in event-loop mode. Loops are started when
 * first needed, up to the configured number; server channels and connections are spread over
 * them in turn.
 */
public final class EventLoops {

	private final String managerName;

	private final @Nullable EventLoop[] loops;

	private final AtomicInteger nextIndex = new AtomicInteger();

	private boolean closed;

	public EventLoops(String managerName, int threads) {
		this.managerName = managerName;
		this.loops = new EventLoop[threads];
	}

	/**
	 * The loop for a new connection.
	 * @return a running loop
	 * @throws UncheckedIOException if a loop's selector cannot be opened
	 * @throws IllegalStateException if the loops are closed
	 */
	EventLoop next() {
		int index = Math.floorMod(this.nextIndex.getAndIncrement(), this.loops.length);
		EventLoop loop = loop(index);
		return (loop != null) ? loop : start(index);
	}

	private synchronized @Nullable EventLoop loop(int index) {
		return this.loops[index];
	}

	private synchronized EventLoop start(int index) {
		if (this.closed) {
			throw new IllegalStateException("The event loops of SocketManager '" + this.managerName + "' are closed");
		}
		EventLoop loop = this.loops[index];
		if (loop == null) {
			loop = open(String.valueOf(index + 1));
			this.loops[index] = loop;
		}
		return loop;
	}

	private EventLoop open(String suffix) {
		EventLoop loop;
		try {
			loop = new EventLoop(this.managerName + "-loop-" + suffix);
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
		for (EventLoop loop : this.loops) {
			if (loop != null) {
				loop.stop();
			}
		}
	}

}
