package io.github.glidesocket.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketEventListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SocketEventListener} registered on the auto-configured manager's builder that
 * passes every event on to the listeners {@link #addListener(SocketEventListener) added} later.
 * It lets beans that need the manager, such as the metrics binder, receive its events without
 * a dependency cycle. Events that occur before a listener is added are not replayed.
 * <p>
 * Thread-safe: listeners may be added and removed while events are delivered; a listener that
 * throws is logged and does not stop the others.
 */
public final class ForwardingSocketEventListener implements SocketEventListener {

	private static final Log logger = LogFactory.getLog(ForwardingSocketEventListener.class);

	private final List<SocketEventListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Add a listener that receives every event from now on.
	 * @param listener the listener
	 */
	public void addListener(SocketEventListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
	}

	/**
	 * Remove a listener.
	 * @param listener the listener
	 */
	public void removeListener(SocketEventListener listener) {
		this.listeners.remove(listener);
	}

	private void each(Consumer<SocketEventListener> event) {
		for (SocketEventListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Socket event listener " + listener + " failed", ex);
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
