package io.github.glidesocket.benchmarks;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link RegistryScaleBenchmark} on glide-socket's {@link SocketManager}, without sockets.
 */
public class GlideSocketRegistryScaleBenchmark extends RegistryScaleBenchmark<SocketReference> {

	@Param({ "SIMPLE" })
	public LeakDetection leakDetection;

	@Override
	protected RegistryUnderTest<SocketReference> createRegistry() {
		SocketManager manager = RegistryOnlyManager.create(this.leakDetection);
		return RegistryUnderTest.of(manager::getOrCreate, SocketReference::close, manager::close);
	}

}
