package io.github.glidesocket.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.newsclub.net.unix.AFUNIXSocket;

/**
 * The managers and client connections one connection test opens, closed after it: managers with
 * no shutdown hook and no file checks that report to the test's event listener, and clients that
 * time out instead of hanging a failing test.
 */
final class TestServers {

	private static final AtomicInteger names = new AtomicInteger();

	private final SocketEventListener events;

	private final Duration clientTimeout;

	private final List<SocketManager> managers = new ArrayList<>();

	private final List<AFUNIXSocket> clients = new ArrayList<>();

	TestServers(SocketEventListener events, Duration clientTimeout) {
		this.events = events;
		this.clientTimeout = clientTimeout;
	}

	/**
	 * A manager name no other test of this JVM uses, so that a test that looks at its manager's
	 * threads by name never sees those of an earlier test, still ending.
	 * @param base what the name starts with
	 * @return {@code base-N}
	 */
	static String uniqueName(String base) {
		return base + "-" + names.incrementAndGet();
	}

	/**
	 * Build a manager that is closed after the test.
	 * @param builder the builder with the test's settings
	 * @return the manager
	 */
	SocketManager manager(SocketManager.Builder builder) {
		SocketManager manager = builder.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.eventListener(this.events)
			.build();
		this.managers.add(manager);
		return manager;
	}

	/**
	 * Connect a client that is closed after the test.
	 * @param reference the socket
	 * @return the client
	 * @throws IOException if the connection fails
	 */
	AFUNIXSocket connect(SocketReference reference) throws IOException {
		AFUNIXSocket client = reference.connect();
		client.setSoTimeout((int) this.clientTimeout.toMillis());
		this.clients.add(client);
		return client;
	}

	void close() throws IOException {
		for (AFUNIXSocket client : this.clients) {
			client.close();
		}
		this.managers.forEach(SocketManager::close);
	}

}
