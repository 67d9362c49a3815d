package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request that has arrived, but that the handler has not read yet when a graceful stop begins,
 * is served: the stop must not turn it into an end of input, after which the connection would be
 * closed with the request unread and its client reset.
 */
@Timeout(60)
class RequestsInFlightAtStopTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private final TestServers servers = new TestServers(new SocketEventListener() {
	}, WAIT);

	@AfterEach
	void cleanUp() throws IOException {
		this.servers.close();
	}

	@Test
	void aRequestNotYetReadWhenTheStopBeginsIsAnswered() throws Exception {
		String path = this.directory.resolve("s.sock").toString();
		CountDownLatch readNow = new CountDownLatch(1);
		AtomicReference<SocketConnection> served = new AtomicReference<>();
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder().handler((connection) -> {
				served.set(connection);
				// Busy with something else when the request arrives and the stop begins.
				readNow.await();
				String line;
				while ((line = readLine(connection.inputStream())) != null) {
					connection.outputStream().write(("answer to " + line + "\n").getBytes(StandardCharsets.US_ASCII));
				}
			}).build()));
		SocketReference reference = manager.getOrCreate(path);
		AFUNIXSocket client = this.servers.connect(reference);
		client.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
		await().atMost(WAIT).until(() -> served.get() != null);
		CompletableFuture<Void> stopped = manager.shutdownSocket(path, Duration.ofSeconds(30));
		await().atMost(WAIT).until(() -> served.get().isShutdownRequested());
		readNow.countDown();
		assertThat(readLine(client.getInputStream())).isEqualTo("answer to ping");
		assertThat(client.getInputStream().read()).as("end of stream, not a reset").isEqualTo(-1);
		stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

}
