package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connected peers hear of a graceful stop before the drain, so a protocol can say goodbye: in
 * event-loop mode through {@link SocketSession#shutdownRequested()}, with a thread per
 * connection through {@link SocketConnection#isShutdownRequested()} and the end of input that
 * wakes a blocked read.
 */
@Timeout(60)
class ShutdownNoticeTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private final TestServers servers = new TestServers(new SocketEventListener() {
	}, WAIT);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		this.servers.close();
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	@Test
	void eventSessionsAreToldBeforeTheDrainAndIdleOnesCloseAtOnce() throws Exception {
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder().eventHandler((connection) -> new SocketSession() {

				@Override
				public void received(ByteBuffer input) {
					connection.write(input);
				}

				@Override
				public void shutdownRequested() {
					ShutdownNoticeTests.this.calls.add("shutdownRequested");
					connection.write(ByteBuffer.wrap("goodbye\n".getBytes(StandardCharsets.US_ASCII)));
					connection.close();
				}

				@Override
				public void endOfInput() {
					ShutdownNoticeTests.this.calls.add("endOfInput");
				}

			}).build()));
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket first = this.servers.connect(reference);
		AFUNIXSocket second = this.servers.connect(reference);
		assertThat(roundTrip(first, "one")).isEqualTo("one");
		assertThat(roundTrip(second, "two")).isEqualTo("two");
		long start = System.nanoTime();
		manager.shutdownSocket(path(), Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		for (AFUNIXSocket client : List.of(first, second)) {
			assertThat(readLine(client.getInputStream())).isEqualTo("goodbye");
			assertThat(client.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(this.calls).containsExactly("shutdownRequested", "shutdownRequested");
		assertThat(tookMillis).as("idle connections closed at once, not at the 30 s deadline").isLessThan(10_000);
	}

	@Test
	void aSessionThatIgnoresTheNoticeIsDrainedAsBefore() throws Exception {
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder().eventHandler((connection) -> new SocketSession() {

				@Override
				public void received(ByteBuffer input) {
					connection.write(input);
				}

				@Override
				public void endOfInput() {
					ShutdownNoticeTests.this.calls.add("endOfInput");
					connection.write(ByteBuffer.wrap("last\n".getBytes(StandardCharsets.US_ASCII)));
				}

			}).build()));
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket client = this.servers.connect(reference);
		assertThat(roundTrip(client, "hello")).isEqualTo("hello");
		manager.shutdownSocket(path(), Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
		assertThat(readLine(client.getInputStream())).isEqualTo("last");
		assertThat(client.getInputStream().read()).isEqualTo(-1);
		assertThat(this.calls).containsExactly("endOfInput");
	}

	@Test
	void aHandlerBlockedInAReadWakesUpKnowingItIsAStop() throws Exception {
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.defaults(SocketOptions.builder().handler((connection) -> {
				InputStream in = connection.inputStream();
				OutputStream out = connection.outputStream();
				int b;
				while ((b = in.read()) != -1) {
					out.write(b);
				}
				// End of input: a stop, or the peer closing?
				this.calls.add("shutdownRequested=" + connection.isShutdownRequested());
				if (connection.isShutdownRequested()) {
					out.write("goodbye\n".getBytes(StandardCharsets.US_ASCII));
				}
			}).build()));
		SocketReference reference = manager.getOrCreate(path());
		AFUNIXSocket stopped = this.servers.connect(reference);
		assertThat(roundTrip(stopped, "blocked next")).isEqualTo("blocked next");
		// A JDK channel: junixsocket's shutdownOutput() fails on JDK 25 ("Socket is not connected").
		try (SocketChannel leaving = reference.openChannel()) {
			InputStream in = Channels.newInputStream(leaving);
			leaving.write(ByteBuffer.wrap("leaving\n".getBytes(StandardCharsets.US_ASCII)));
			assertThat(readLine(in)).isEqualTo("leaving");
			leaving.shutdownOutput();
			assertThat(in.read()).isEqualTo(-1);
		}
		manager.shutdownSocket(path(), Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
		assertThat(readLine(stopped.getInputStream())).isEqualTo("goodbye");
		assertThat(stopped.getInputStream().read()).isEqualTo(-1);
		assertThat(this.calls).containsExactly("shutdownRequested=false", "shutdownRequested=true");
	}

}
