package io.github.glidesocket.sample.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketStop;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.newsclub.net.unix.AFUNIXSocket;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * A client of the key-value service that holds a reference to its socket: while any client is
 * open, the socket exists. Each instance gets its own injected reference; {@link #close()}
 * releases it. A prototype bean: Spring never destroys prototypes, so the owner (here
 * {@link ClientRegistry}) closes it.
 * <p>
 * When the application stops the socket ({@code shutdownSocket}, {@code cleanupAllSockets},
 * or its own shutdown), the reference's {@link SocketReference#whenStopping() stop notice}
 * arrives: the client logs it, stops sending, and releases its reference at once, before the
 * socket's connections have drained. Its {@link #getState() state} goes from
 * {@link State#ACTIVE} through {@link State#STOPPING} to {@link State#RELEASED}.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public class KeyValueClient implements AutoCloseable {

	private static final AtomicLong ids = new AtomicLong();

	private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

	private final long id = ids.incrementAndGet();

	private final Instant createdAt = Instant.now();

	private static final Log logger = LogFactory.getLog(KeyValueClient.class);

	private final SocketReference socket;

	private final AtomicReference<State> state = new AtomicReference<>(State.ACTIVE);

	public KeyValueClient(SocketReference socket) {
		this.socket = socket;
		socket.whenStopping().thenAccept(this::socketStopping);
	}

	/**
	 * The stop notice, on one of the manager's event threads.
	 */
	private void socketStopping(SocketStop stop) {
		if (!this.state.compareAndSet(State.ACTIVE, State.STOPPING)) {
			return;
		}
		this.socket.close();
		this.state.compareAndSet(State.STOPPING, State.RELEASED);
		logger.info("Client " + this.id + ": socket " + this.socket.path() + " is shutting down ("
				+ stop.name().toLowerCase(Locale.ROOT) + " stop); released its reference");
	}

	/**
	 * Where the client is in its life.
	 * @return the state
	 */
	public State getState() {
		return this.state.get();
	}

	public long getId() {
		return this.id;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public SocketReference getSocket() {
		return this.socket;
	}

	/**
	 * Send {@code PING} over the socket and return the reply line.
	 * @return the reply, such as {@code +PONG}
	 * @throws IOException if the exchange fails
	 */
	public String ping() throws IOException {
		if (this.state.get() != State.ACTIVE) {
			throw new IllegalStateException("client " + this.id + " has released its socket "
					+ this.socket.path());
		}
		try (AFUNIXSocket connection = this.socket.connect()) {
			connection.setSoTimeout(5000);
			OutputStream output = connection.getOutputStream();
			output.write(PING);
			output.flush();
			return readLine(connection.getInputStream());
		}
	}

	private static String readLine(InputStream input) throws IOException {
		StringBuilder line = new StringBuilder();
		int next;
		while ((next = input.read()) != -1 && next != '\r') {
			line.append((char) next);
		}
		return line.toString();
	}

	@Override
	public void close() {
		this.state.set(State.RELEASED);
		this.socket.close();
	}

	/**
	 * Where a client is in its life.
	 */
	public enum State {

		/** Holding its reference; it may send. */
		ACTIVE,

		/** Told that its socket is shutting down; releasing its reference, sending nothing. */
		STOPPING,

		/** Its reference is released: closed, or let go when its socket shut down. */
		RELEASED

	}

}
