package io.github.glidesocket.core.internal.registry;

import java.util.concurrent.CompletableFuture;

import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.transport.Listener;

/**
 * A listener without a socket, for tests of the registry alone.
 */
final class NoopListener implements Listener {

	static final Listener.Factory FACTORY = (path, generation, options, context) -> new NoopListener();

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
