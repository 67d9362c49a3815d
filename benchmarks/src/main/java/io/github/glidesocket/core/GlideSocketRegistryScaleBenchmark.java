package io.github.glidesocket.core;

import io.github.glidesocket.benchmarks.RegistryScaleBenchmark;
import io.github.glidesocket.benchmarks.RegistryUnderTest;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link RegistryScaleBenchmark} on glide-socket's {@link SocketManager}, without sockets.
 */
public class GlideSocketRegistryScaleBenchmark extends RegistryScaleBenchmark<SocketReference> {

	@Param({ "SIMPLE" })
	public LeakDetection leakDetection;

	@Override
	protected RegistryUnderTest<SocketReference> createRegistry() {
		SocketManager manager = RegistryOnlyListener.manager(this.leakDetection);
		return RegistryUnderTest.of(manager::getOrCreate, SocketReference::close, manager::close);
	}

}
