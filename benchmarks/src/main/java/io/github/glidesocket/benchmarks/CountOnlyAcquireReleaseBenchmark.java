package io.github.glidesocket.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link AcquireReleaseBenchmark} for registries that are nothing but a reference count: no map,
 * no handle, no leak tracking. They bound what any design built on such a count can reach.
 * <ul>
 * <li>{@code shared}: one atomic count, one add per acquire and one per release; exact, so the
 * release that reaches zero knows it. Every design that detects the last release from one shared
 * word (glide-socket's, and the original design's lock word) pays at least this.</li>
 * <li>{@code striped}: a {@link LongAdder}, each thread adding to a cell of its own. It never
 * shares a cache line between threads, but a release cannot tell whether it was the last without
 * summing every cell, which this floor leaves out.</li>
 * </ul>
 * The path argument is ignored: every acquire counts on the one socket.
 */
public class CountOnlyAcquireReleaseBenchmark extends AcquireReleaseBenchmark<Object> {

	@Param({ "shared", "striped" })
	public String count;

	@Override
	protected RegistryUnderTest<Object> createRegistry() {
		if (this.count.equals("striped")) {
			LongAdder references = new LongAdder();
			return RegistryUnderTest.of((path) -> {
				references.increment();
				return references;
			}, (handle) -> references.decrement(), () -> {
			});
		}
		AtomicLong references = new AtomicLong();
		return RegistryUnderTest.of((path) -> {
			references.getAndIncrement();
			return references;
		}, (handle) -> {
			if (references.decrementAndGet() < 0) {
				throw new IllegalStateException("released more references than were acquired");
			}
		}, () -> {
		});
	}

}
