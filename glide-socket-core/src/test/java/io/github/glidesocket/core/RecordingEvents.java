package io.github.glidesocket.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * Records every event as a short string such as {@code bound /tmp/x.sock}.
 */
public final class RecordingEvents implements SocketEventListener {

	public final List<String> events = new CopyOnWriteArrayList<>();

	public long count(String prefix) {
		return this.events.stream().filter((event) -> event.startsWith(prefix)).count();
	}

	@Override
	public void socketBound(String path) {
		this.events.add("bound " + path);
	}

	@Override
	public void socketClosed(String path, Duration cleanupTime) {
		this.events.add("closed " + path);
	}

	@Override
	public void socketRebound(String path) {
		this.events.add("rebound " + path);
	}

	@Override
	public void connectionAccepted(String path) {
		this.events.add("accepted " + path);
	}

	@Override
	public void connectionRejected(String path, RejectReason reason) {
		this.events.add("rejected " + reason + " " + path);
	}

	@Override
	public void connectionClosed(String path) {
		this.events.add("connection-closed " + path);
	}

	@Override
	public void socketFileReplaced(String path) {
		this.events.add("replaced " + path);
	}

	@Override
	public void socketTakenOver(String path) {
		this.events.add("taken-over " + path);
	}

	@Override
	public void socketHandedOver(String path) {
		this.events.add("handed-over " + path);
	}

	@Override
	public void callbackFailed(String path, SocketCallback callback, Throwable failure) {
		this.events.add("failed " + callback + " " + path);
	}

	@Override
	public void writeTimedOut(String path) {
		this.events.add("write-timeout " + path);
	}

	@Override
	public void acceptStopped(String path, Throwable failure) {
		this.events.add("accept-stopped " + path);
	}

	@Override
	public void referenceLeaked(String path, @Nullable Throwable acquiredAt) {
		this.events.add("leaked " + path);
	}

}
