package io.github.glidesocket.core.internal.transport;

import java.util.concurrent.CompletableFuture;

import io.github.glidesocket.core.SocketSnapshot;

/**
 * A listener that binds nothing and serves nothing: with
 * {@code DefaultSocketManager.create(settings, UnboundListener.FACTORY)} the registry can be
 * tested and measured alone, without sockets. Not for applications.
 */
public final class UnboundListener implements Listener {

	/** Opens an unbound listener for every socket generation. */
	public static final Listener.Factory FACTORY = (path, generation, options, context) -> new UnboundListener();

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
