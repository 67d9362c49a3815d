package io.github.glidesocket.benchmarks;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;

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
		SocketManager manager = RegistryOnlyManager.create(this.leakDetection);
		return RegistryUnderTest.of(manager::getOrCreate, SocketReference::close, manager::close);
	}

}
