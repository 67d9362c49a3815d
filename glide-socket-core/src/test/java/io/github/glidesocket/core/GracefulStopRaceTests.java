package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manager's {@code close()} during a graceful shutdown ends the drain in progress at once,
 * rather than dropping its deadline. (A drain that ends when its last connection is refused is
 * tested on the listener, {@code UnixSocketListenerTests}.)
 */
@Timeout(60)
class GracefulStopRaceTests {

	/** Long enough that a stop which waits for it fails the test's shorter wait. */
	private static final Duration LONG_GRACE = Duration.ofSeconds(30);

	private static final long PROMPT_SECONDS = 10;

	@TempDir
	Path directory;

	private final CountDownLatch release = new CountDownLatch(1);

	private final ConnectionHandlingTests.Events events = new ConnectionHandlingTests.Events();

	private final TestServers servers = new TestServers(this.events, Duration.ofSeconds(20));

	@AfterEach
	void cleanUp() throws IOException {
		this.release.countDown();
		this.servers.close();
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	@Test
	void whenTheManagerIsClosedDuringAGracefulShutdownThenConnectionsEndAtOnce() throws Exception {
		AtomicInteger handlers = new AtomicInteger();
		// A handler that reads to the end of its input, then holds its connection open.
		SocketConnectionHandler ignoringTheStop = (connection) -> {
			handlers.incrementAndGet();
			InputStream input = connection.inputStream();
			while (input.read() != -1) {
				// discard
			}
			await(this.release);
		};
		SocketManager manager = this.servers.manager(
				SocketManager.builder().name("close-test").defaults(SocketOptions.builder().handler(ignoringTheStop).build()));
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket client = this.servers.connect(reference);
		client.getOutputStream().write('x');
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(PROMPT_SECONDS)).until(() -> handlers.get() == 1);
		CompletableFuture<Void> graceful = manager.shutdownGracefully(LONG_GRACE);
		manager.close();
		graceful.get(PROMPT_SECONDS, TimeUnit.SECONDS);
		client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(PROMPT_SECONDS));
		assertThat(client.getInputStream().read()).as("close() ends the connection the drain was waiting for")
			.isEqualTo(-1);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
