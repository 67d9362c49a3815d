package io.github.glidesocket.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.registry.DefaultSocketManager;
import io.github.glidesocket.core.internal.transport.Listener;

/**
 * A listener without a socket, so registry benchmarks measure the registry alone, installed
 * through the core's documented test hook
 * {@link DefaultSocketManager#create(io.github.glidesocket.core.SocketManagerSettings, Listener.Factory)}.
 */
final class RegistryOnlyListener implements Listener {

	static SocketManager manager(LeakDetection leakDetection) {
		SocketManager.Builder builder = SocketManager.builder()
			.name("bench")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.leakDetection(leakDetection);
		return DefaultSocketManager.create(builder.settings(),
				(path, generation, options, context) -> new RegistryOnlyListener());
	}

	@Override
	public void stopAccepting() {
	}

	@Override
	public void unlink() {
	}

	@Override
	public CompletableFuture<Void> drainConnections() {
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public void closeConnections() {
	}

	@Override
	public SocketSnapshot.FileStatus checkFile() {
		return SocketSnapshot.FileStatus.INTACT;
	}

	@Override
	public SocketSnapshot.FileStatus fileStatus() {
		return SocketSnapshot.FileStatus.INTACT;
	}

	@Override
	public int activeConnections() {
		return 0;
	}

	@Override
	public long acceptedConnections() {
		return 0;
	}

	@Override
	public long rejectedConnections() {
		return 0;
	}

	@Override
	public long acceptFailures() {
		return 0;
	}

}
