package io.github.glidesocket.core.internal.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that all event-loop connections of a manager may hold in buffers of their own
 * (replies not yet sent, requests their sessions left unconsumed), so that a few connections
 * cannot fill the heap however their peers behave. A buffer is reserved before it is allocated
 * and released when it is dropped; a connection that cannot reserve is closed.
 */
public final class BufferBudget {

	private final long limit;

	private final AtomicLong reserved = new AtomicLong();

	/**
	 * @param limit the most bytes reserved at once, or {@code -1} for no limit
	 */
	public BufferBudget(long limit) {
		this.limit = limit;
	}

	/**
	 * Reserve bytes if the budget has room for them.
	 * @param bytes how many
	 * @return whether they were reserved
	 */
	boolean tryReserve(long bytes) {
		if (this.limit == -1) {
			this.reserved.addAndGet(bytes);
			return true;
		}
		for (;;) {
			long current = this.reserved.get();
			if (current + bytes > this.limit) {
				return false;
			}
			if (this.reserved.compareAndSet(current, current + bytes)) {
				return true;
			}
		}
	}

	void release(long bytes) {
		this.reserved.addAndGet(-bytes);
	}

}
