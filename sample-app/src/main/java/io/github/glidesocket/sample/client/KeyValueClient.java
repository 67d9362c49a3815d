package io.github.glidesocket.sample.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.SocketReference;
import org.newsclub.net.unix.AFUNIXSocket;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * A client of the key-value service that holds a reference to its socket: while any client is
 * open, the socket exists. Each instance gets its own injected reference; {@link #close()}
 * releases it. A prototype bean: Spring never destroys prototypes, so the owner (here
 * {@link ClientRegistry}) closes it.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public class KeyValueClient implements AutoCloseable {

	private static final AtomicLong ids = new AtomicLong();

	private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

	private final long id = ids.incrementAndGet();

	private final Instant createdAt = Instant.now();

	private final SocketReference socket;

	public KeyValueClient(SocketReference socket) {
		this.socket = socket;
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
		this.socket.close();
	}

}
