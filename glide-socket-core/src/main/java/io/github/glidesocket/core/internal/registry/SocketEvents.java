package io.github.glidesocket.core.internal.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * Passes each event to every registered listener; a listener that throws is logged and does not
 * stop the others or the caller. Listeners may be added and removed while events flow.
 */
final class SocketEvents implements SocketEventListener {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private final List<SocketEventListener> listeners;

	SocketEvents(List<SocketEventListener> listeners) {
		this.listeners = new CopyOnWriteArrayList<>(listeners);
	}

	void add(SocketEventListener listener) {
		this.listeners.add(listener);
	}

	void remove(SocketEventListener listener) {
		this.listeners.remove(listener);
	}

	private void each(Consumer<SocketEventListener> event) {
		for (SocketEventListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "Socket event listener " + listener + " failed", ex);
			}
		}
	}

	@Override
	public void socketBound(String path) {
		each((listener) -> listener.socketBound(path));
	}

	@Override
	public void socketClosed(String path, Duration cleanupTime) {
		each((listener) -> listener.socketClosed(path, cleanupTime));
	}

	@Override
	public void socketRebound(String path) {
		each((listener) -> listener.socketRebound(path));
	}

	@Override
	public void connectionDuration(String path, Duration duration) {
		each((listener) -> listener.connectionDuration(path, duration));
	}

	@Override
	public void socketTraffic(String path, long bytesReceived, long bytesSent) {
		each((listener) -> listener.socketTraffic(path, bytesReceived, bytesSent));
	}

	@Override
	public void socketFileReplaced(String path) {
		each((listener) -> listener.socketFileReplaced(path));
	}

	@Override
	public void outputLimitExceeded(String path) {
		each((listener) -> listener.outputLimitExceeded(path));
	}

	@Override
	public void connectionAccepted(String path) {
		each((listener) -> listener.connectionAccepted(path));
	}

	@Override
	public void connectionRejected(String path, RejectReason reason) {
		each((listener) -> listener.connectionRejected(path, reason));
	}

	@Override
	public void connectionClosed(String path) {
		each((listener) -> listener.connectionClosed(path));
	}

	@Override
	public void acceptFailed(String path, Exception failure) {
		each((listener) -> listener.acceptFailed(path, failure));
	}

	@Override
	public void referenceLeaked(String path, @Nullable Throwable acquiredAt) {
		each((listener) -> listener.referenceLeaked(path, acquiredAt));
	}

}
