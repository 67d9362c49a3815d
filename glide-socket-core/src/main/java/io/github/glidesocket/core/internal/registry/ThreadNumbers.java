package io.github.glidesocket.core.internal.registry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small number per thread, handed out in turn, for picking a stripe or a cell. Unlike thread
 * ids, which on a busy JVM are often all even or spread by unrelated threads, the first threads to
 * ask get consecutive numbers, so they pick distinct stripes and do not share cache lines.
 */
final class ThreadNumbers {

	private static final AtomicInteger next = new AtomicInteger();

	private static final ThreadLocal<Integer> number = ThreadLocal.withInitial(next::getAndIncrement);

	private ThreadNumbers() {
	}

	/**
	 * The calling thread's number.
	 * @return a number, the same on every call from one thread
	 */
	static int current() {
		return number.get();
	}

}
