package io.github.glidesocket.benchmarks;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A registry design as the benchmarks see it: acquire a counted reference to the socket at a
 * path, and release it. Each design is measured by a subclass of each abstract benchmark that
 * returns its own {@code RegistryUnderTest}, so that every design runs the same workload.
 * <p>
 * The handle type is the design's own (for glide-socket, {@code SocketReference}), so no adapter
 * object is allocated per acquire; the benchmarks only pass it back to {@link #release}.
 *
 * @param <H> the type of handle the design returns
 */
public interface RegistryUnderTest<H> extends AutoCloseable {

	/**
	 * Acquire a counted reference to the socket at the path, creating the socket if the path has
	 * none.
	 * @param path the socket path
	 * @return the new reference
	 */
	H acquire(String path);

	/**
	 * Release a reference returned by {@link #acquire}.
	 * @param handle the reference
	 */
	void release(H handle);

	/**
	 * Free what the design holds (threads, executors) once a trial is over. Does nothing by
	 * default.
	 */
	@Override
	default void close() {
	}

	/**
	 * Return a {@code RegistryUnderTest} made of method references, for example
	 * {@code of(manager::getOrCreate, SocketReference::close, manager::close)}.
	 * @param <H> the type of handle
	 * @param acquire acquires a reference
	 * @param release releases a reference
	 * @param close frees the design's resources
	 * @return the registry under test
	 */
	static <H> RegistryUnderTest<H> of(Function<String, H> acquire, Consumer<H> release, Runnable close) {
		return new RegistryUnderTest<>() {

			@Override
			public H acquire(String path) {
				return acquire.apply(path);
			}

			@Override
			public void release(H handle) {
				release.accept(handle);
			}

			@Override
			public void close() {
				close.run();
			}

		};
	}

}
