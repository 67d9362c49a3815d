package io.github.glidesocket.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire-and-release throughput of one design; a subclass supplies the design through
 * {@link #createRegistry()}. Scores are in operations per microsecond, that is, millions of
 * acquire-release pairs per second.
 * <p>
 * {@code oneThread} and {@code twoThreads} acquire and release a socket that stays alive
 * throughout (the trial holds one reference of its own), so the count never reaches zero: the
 * common case of clients sharing a socket. The {@code createAndDestroy} methods give each thread
 * a path of its own that nobody else holds, so every release is the last one and every acquire
 * starts a new generation; with two threads they contend only on what the design shares between
 * unrelated sockets.
 * <p>
 * The defaults (2 forks, 3 × 1 s warmup, 5 × 1 s measurement) keep a full run to a few minutes;
 * override them with {@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r} and {@code -t}.
 * With two threads the lock-based figures are often bimodal, so compare the min, median and max
 * of the iterations rather than the mean alone.
 *
 * @param <H> the type of handle the design returns
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public abstract class AcquireReleaseBenchmark<H> {

	// A field rather than a constant, as in callers and in RegistryScaleBenchmark, so the JIT
	// cannot fold the path's hash code.
	private final String sharedPath = BenchmarkSocketPaths.of("shared");

	private RegistryUnderTest<H> registry;

	private H held;

	/**
	 * Return the design to measure. Called once per trial, before any measured thread starts.
	 * @return a new registry under test
	 */
	protected abstract RegistryUnderTest<H> createRegistry();

	@Setup
	public void openRegistry() {
		this.registry = createRegistry();
		this.held = this.registry.acquire(this.sharedPath);
	}

	@TearDown
	public void closeRegistry() {
		this.registry.release(this.held);
		this.registry.close();
	}

	@Benchmark
	@Threads(1)
	public void oneThread() {
		this.registry.release(this.registry.acquire(this.sharedPath));
	}

	@Benchmark
	@Threads(2)
	public void twoThreads() {
		this.registry.release(this.registry.acquire(this.sharedPath));
	}

	@Benchmark
	@Threads(1)
	public void createAndDestroyOneThread(OwnPath own) {
		this.registry.release(this.registry.acquire(own.path));
	}

	@Benchmark
	@Threads(2)
	public void createAndDestroyTwoThreads(OwnPath own) {
		this.registry.release(this.registry.acquire(own.path));
	}

	/**
	 * A path that only one benchmark thread uses.
	 */
	@State(Scope.Thread)
	public static class OwnPath {

		private static final AtomicInteger threads = new AtomicInteger();

		final String path = BenchmarkSocketPaths.of("own-" + threads.incrementAndGet());

	}

}
