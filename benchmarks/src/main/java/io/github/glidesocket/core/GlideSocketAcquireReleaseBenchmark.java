package io.github.glidesocket.core;

import io.github.glidesocket.benchmarks.AcquireReleaseBenchmark;
import io.github.glidesocket.benchmarks.RegistryUnderTest;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link AcquireReleaseBenchmark} on glide-socket's {@link SocketManager}, without sockets, with
 * leak tracking on (the default) and off.
 */
public class GlideSocketAcquireReleaseBenchmark extends AcquireReleaseBenchmark<SocketReference> {

	@Param({ "SIMPLE", "DISABLED" })
	public LeakDetection leakDetection;

	@Override
	protected RegistryUnderTest<SocketReference> createRegistry() {
		SocketManager manager = RegistryOnlyListener.manager(this.leakDetection);
		return RegistryUnderTest.of(manager::getOrCreate, SocketReference::close, manager::close);
	}

}
