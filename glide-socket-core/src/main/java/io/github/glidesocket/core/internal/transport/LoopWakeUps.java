package io.github.glidesocket.core.internal.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The event loops handed connections during one batch of accepts, woken once when the batch
 * ends rather than once per connection. A loop woken for each connection finishes it, sleeps and
 * is woken again for the next: with a new connection per request that was a context switch per
 * connection on every loop. Confined to the thread that accepts.
 */
final class LoopWakeUps {

	/** Wakes a loop as soon as it is handed a connection: for acceptors that take one at a time. */
	static final LoopWakeUps IMMEDIATE = new LoopWakeUps(true);

	private final boolean immediate;

	private final List<EventLoop> waiting = new ArrayList<>();

	private LoopWakeUps(boolean immediate) {
		this.immediate = immediate;
	}

	/**
	 * Wake-ups that wait for {@link #wakeAll()}.
	 * @return new wake-ups for one accepting thread
	 */
	static LoopWakeUps deferred() {
		return new LoopWakeUps(false);
	}

	/**
	 * A loop was given a task: wake it now, or when the batch ends.
	 * @param loop the loop
	 */
	void handedTo(EventLoop loop) {
		if (this.immediate) {
			loop.wakeUp();
		}
		else if (!this.waiting.contains(loop)) {
			this.waiting.add(loop);
		}
	}

	/**
	 * The batch ended: wake every loop handed a connection during it.
	 */
	void wakeAll() {
		for (int i = 0; i < this.waiting.size(); i++) {
			this.waiting.get(i).wakeUp();
		}
		this.waiting.clear();
	}

}
