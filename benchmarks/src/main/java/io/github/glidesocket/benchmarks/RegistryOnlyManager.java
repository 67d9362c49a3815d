package io.github.glidesocket.benchmarks;

import java.time.Duration;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.registry.DefaultSocketManager;
import io.github.glidesocket.core.internal.transport.UnboundListener;

/**
 * A manager whose sockets bind nothing, so registry benchmarks measure the registry alone,
 * through the core's documented test hook
 * {@link DefaultSocketManager#create(io.github.glidesocket.core.SocketManagerSettings, io.github.glidesocket.core.internal.transport.Listener.Factory)}.
 */
final class RegistryOnlyManager {

	private RegistryOnlyManager() {
	}

	static SocketManager create(LeakDetection leakDetection) {
		SocketManager.Builder builder = SocketManager.builder()
			.name("bench")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.leakDetection(leakDetection);
		return DefaultSocketManager.create(builder.settings(), UnboundListener.FACTORY);
	}

}
