package io.github.glidesocket.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire-and-release throughput of one socket while {@code liveSockets} sockets are registered
 * and held alive; a subclass supplies the design through {@link #createRegistry()}. Shows whether
 * the cost of the common path grows with the size of the registry (its map, and the weak or
 * tracking references the garbage collector has to process). Scores are in operations per
 * microsecond.
 * <p>
 * Compare rows of this class with each other and with another design's rows of this class. Its
 * {@code liveSockets=1} row is not a stand-in for {@link AcquireReleaseBenchmark#oneThread()}:
 * whether the JIT inlines the registry into the benchmark loop depends on compilation order,
 * which differs between the classes, and moves single-thread scores by up to half.
 * <p>
 * Defaults as in {@link AcquireReleaseBenchmark}; choose sizes with {@code -p liveSockets=…}.
 *
 * @param <H> the type of handle the design returns
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public abstract class RegistryScaleBenchmark<H> {

	@Param({ "1", "1000", "100000" })
	public int liveSockets;

	private RegistryUnderTest<H> registry;

	private List<H> held;

	private String target;

	/**
	 * Return the design to measure. Called once per trial, before any measured thread starts.
	 * @return a new registry under test
	 */
	protected abstract RegistryUnderTest<H> createRegistry();

	@Setup
	public void registerLiveSockets() {
		this.registry = createRegistry();
		this.held = new ArrayList<>(this.liveSockets);
		for (int i = 0; i < this.liveSockets; i++) {
			this.held.add(this.registry.acquire(BenchmarkSocketPaths.of("live-" + i)));
		}
		// The middle one, so neither the first nor the last insertion is favoured.
		this.target = BenchmarkSocketPaths.of("live-" + (this.liveSockets / 2));
	}

	@TearDown
	public void releaseLiveSockets() {
		this.held.forEach(this.registry::release);
		this.registry.close();
	}

	@Benchmark
	@Threads(1)
	public void oneThread() {
		this.registry.release(this.registry.acquire(this.target));
	}

	@Benchmark
	@Threads(2)
	public void twoThreads() {
		this.registry.release(this.registry.acquire(this.target));
	}

}
