package io.github.glidesocket.sample.resp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that all connections of one {@link RespConnectionHandler} may hold at once for the
 * requests they are reading or running ({@link RespLimits#maxBufferedRequestBytes()}). Each
 * connection's {@link RespParser} reserves what it is about to allocate for a request beyond its
 * fixed buffer, and gives it back once the request is answered or the connection closes, so
 * that partial requests on many connections together cannot fill the heap. Thread-safe: a
 * reservation is one compare-and-set on a shared counter.
 */
final class RespRequestBudget {

	private final long limit;

	private final AtomicLong reserved = new AtomicLong();

	/**
	 * Create a budget.
	 * @param limit the most bytes reserved at once, or {@code -1} for no limit
	 */
	RespRequestBudget(long limit) {
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

	/**
	 * Give back bytes reserved earlier.
	 * @param bytes how many
	 */
	void release(long bytes) {
		this.reserved.addAndGet(-bytes);
	}

	/**
	 * The bytes reserved now.
	 * @return the count
	 */
	long reserved() {
		return this.reserved.get();
	}

	long limit() {
		return this.limit;
	}

}
