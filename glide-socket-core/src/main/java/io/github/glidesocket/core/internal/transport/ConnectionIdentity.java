package io.github.glidesocket.core.internal.transport;

import java.time.Duration;
import java.time.Instant;

import io.github.glidesocket.core.AcceptedConnection;
import io.github.glidesocket.core.PeerCredentials;

/**
 * What an accepted connection tells about itself, the same whichever way it is served; the
 * connection classes of both modes extend it.
 */
abstract class ConnectionIdentity implements AcceptedConnection {

	private final String kind;

	private final long id;

	private final String path;

	private final PeerCredentials peer;

	private final Instant connectedAt = Instant.now();

	private final long connectedNanos = System.nanoTime();

	/**
	 * @param kind the public type, for {@link #toString()}
	 * @param id the connection id
	 * @param path the socket path
	 * @param peer the peer's credentials
	 */
	ConnectionIdentity(String kind, long id, String path, PeerCredentials peer) {
		this.kind = kind;
		this.id = id;
		this.path = path;
		this.peer = peer;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public String socketPath() {
		return this.path;
	}

	@Override
	public PeerCredentials peer() {
		return this.peer;
	}

	@Override
	public Instant connectedAt() {
		return this.connectedAt;
	}

	/**
	 * How long the connection has been open, by the monotonic clock.
	 * @return the time since it was accepted
	 */
	public Duration lifetime() {
		return Duration.ofNanos(System.nanoTime() - this.connectedNanos);
	}

	/**
	 * The connection in log messages: its id and socket path.
	 * @return the description
	 */
	String describe() {
		return "connection " + this.id + " on '" + this.path + "'";
	}

	@Override
	public String toString() {
		return this.kind + "[id=" + this.id + ", path=" + this.path + ", peer=" + this.peer + "]";
	}

}
