package io.github.glidesocket.core.internal.registry;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The part of a socket's reference count that threads hold in cells of their own, so that
 * threads sharing a socket do not write one cache line on every acquire and release. A
 * {@link SocketGeneration} creates its cells the first time two threads collide on its central
 * count; until then, and for sockets used by one thread at a time, there are none.
 * <p>
 * A cell's value is the number of references counted in it. Each cell sits on its own 128 bytes
 * (two cache lines, for processors that fetch lines in pairs), and the first 128 bytes are left
 * empty: they hold the array's length, which every access reads.
 */
final class ReferenceCells {

	private static final int STRIDE = 16;

	private static final int MAX_CELLS = 64;

	private final AtomicLongArray values;

	private final int mask;

	ReferenceCells() {
		int cells = Math.min(MAX_CELLS,
				Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1));
		this.values = new AtomicLongArray((cells + 1) * STRIDE);
		this.mask = cells - 1;
	}

	/**
	 * The cell of the calling thread.
	 * @return its index
	 */
	int cellOfCurrentThread() {
		return ThreadNumbers.current() & this.mask;
	}

	/**
	 * Count a reference in a cell.
	 * @param cell the cell
	 */
	void increment(int cell) {
		this.values.getAndIncrement((cell + 1) * STRIDE);
	}

	/**
	 * Remove a reference counted in a cell.
	 * @param cell the cell
	 * @return the cell's value before
	 */
	long decrement(int cell) {
		return this.values.getAndDecrement((cell + 1) * STRIDE);
	}

	/**
	 * Whether any cell counts a reference: a read of every cell, stopping at the first that does.
	 * @return whether one does
	 */
	boolean anyHeld() {
		for (int index = STRIDE; index < this.values.length(); index += STRIDE) {
			if (this.values.get(index) != 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The references counted in all cells, read one cell after the other.
	 * @return the sum
	 */
	long sum() {
		long sum = 0;
		for (int index = STRIDE; index < this.values.length(); index += STRIDE) {
			sum += this.values.get(index);
		}
		return sum;
	}

}
