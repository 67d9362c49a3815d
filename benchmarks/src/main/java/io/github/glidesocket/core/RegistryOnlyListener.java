package io.github.glidesocket.core;

import java.util.concurrent.CompletableFuture;

/**
 * A listener without a socket, so registry benchmarks measure the registry alone. It lives in
 * the core's package because the listener hook is package-private.
 */
final class RegistryOnlyListener implements Listener {

	static SocketManager manager(LeakDetection leakDetection) {
		return SocketManager.builder()
			.name("bench")
			.shutdownHook(false)
			.fileCheckInterval(java.time.Duration.ZERO)
			.leakDetection(leakDetection)
			.listenerFactory((path, generation, options, context) -> new RegistryOnlyListener())
			.build();
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
