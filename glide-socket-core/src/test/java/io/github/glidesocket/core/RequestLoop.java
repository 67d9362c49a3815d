package io.github.glidesocket.core;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;

/**
 * Clients that open a new connection per request ({@code ping}), as fast as they can on each of
 * their threads, across a restart or a takeover: replies are counted by the server that gave them,
 * and every failure is counted (a connect refused or finding no file, a reset, an empty or wrong
 * reply). Reads wait as long as the kernel lets them, so a JVM may start meanwhile.
 */
final class RequestLoop implements AutoCloseable {

	private final Path path;

	private final Function<String, @Nullable String> serverOf;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Map<String, AtomicLong> replies = new ConcurrentHashMap<>();

	private final AtomicLong failures = new AtomicLong();

	/** The first failures, for the assertion's message. */
	final List<String> errors = new CopyOnWriteArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	/**
	 * Start the clients.
	 * @param path the socket
	 * @param threads how many clients; several make connects often queue on the listener
	 * @param serverOf the server that gave a reply, or {@code null} if the reply is wrong
	 */
	RequestLoop(Path path, int threads, Function<String, @Nullable String> serverOf) {
		this.path = path;
		this.serverOf = serverOf;
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(this::run, "request-loop-" + i);
			thread.start();
			this.threads.add(thread);
		}
	}

	private void run() {
		while (this.running.get()) {
			try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(this.path))) {
				client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
				String reply = readLine(Channels.newInputStream(client));
				String server = (reply != null) ? this.serverOf.apply(reply) : null;
				if (server == null) {
					fail("reply " + reply);
				}
				else {
					this.replies.computeIfAbsent(server, (name) -> new AtomicLong()).incrementAndGet();
				}
			}
			catch (IOException ex) {
				fail(ex.toString());
			}
		}
	}

	private void fail(String error) {
		this.failures.incrementAndGet();
		if (this.errors.size() < 20) {
			this.errors.add(error);
		}
	}

	long repliesFrom(String server) {
		AtomicLong count = this.replies.get(server);
		return (count != null) ? count.get() : 0;
	}

	long failures() {
		return this.failures.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		for (Thread thread : this.threads) {
			thread.join(30_000);
		}
	}

}
