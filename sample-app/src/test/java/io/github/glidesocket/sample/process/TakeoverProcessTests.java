package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deploy that takeover makes possible: the new version is started beside the running one on
 * the same path with {@code glide.socket.takeover} and {@code glide.socket.exit-after-takeover},
 * takes the socket over, and the old one hands over and exits by itself. Clients opening a new
 * connection per request meanwhile see no failed connect and no failed request; a long-lived
 * connection to the old instance has every request answered and then ends cleanly, never with
 * a reset.
 */
@Tag("process")
@Timeout(120)
class TakeoverProcessTests {

	private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void aSecondInstanceTakesOverAndTheFirstExitsWithoutAFailedRequest(String mode) throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess first = instance(socket, mode).startAndAwait()) {
			Object firstFile = SampleProcess.fileKey(socket);
			LongLivedClient longLived = new LongLivedClient(socket);
			Thread longLivedThread = longLived.start();
			try (NewConnectionLoop loop = new NewConnectionLoop(socket)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> loop.answered() > 100 && longLived.answered() > 5);
				try (SampleProcess second = instance(socket, mode).startAndAwait()) {
					assertThat(first.awaitExit(Duration.ofSeconds(30))).as("exit code of the instance taken over")
						.isZero();
					assertThat(first.output()).contains("was taken over by another process");
					long answeredByNow = loop.answered();
					await().atMost(Duration.ofSeconds(10)).until(() -> loop.answered() > answeredByNow + 100);
					loop.close();
					assertThat(loop.errors).as("failed connects and requests during the takeover").isEmpty();
					assertThat(loop.failures()).isZero();
					longLivedThread.join(10_000);
					assertThat(longLived.errors).as("errors of the long-lived connection").isEmpty();
					assertThat(longLived.endedCleanly()).as("the long-lived connection ended at end of stream")
						.isTrue();
					assertThat(SampleProcess.fileKey(socket)).as("the socket file is the new instance's")
						.isNotEqualTo(firstFile);
					assertThat(second.glideSocketHealth()).isEqualTo("UP");
					second.terminate();
					assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
				}
			}
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	/**
	 * The new instance binds its socket (an early lifecycle phase) and then fails to start: its
	 * web server's port is in use. The socket never took the path over, so the old instance never
	 * handed over: it serves on, and no connect fails.
	 */
	@Test
	void aSecondInstanceThatFailsToStartAfterBindingLeavesTheFirstServing() throws Exception {
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess first = instance(socket, "event-loop").startAndAwait()) {
			Object firstFile = SampleProcess.fileKey(socket);
			try (NewConnectionLoop loop = new NewConnectionLoop(socket)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> loop.answered() > 100);
				String secondOutput;
				try (SampleProcess second = instance(socket, "event-loop")
					.property("server.port", Integer.toString(first.httpPort()))
					.start()) {
					assertThat(second.awaitExit(Duration.ofSeconds(60))).as("exit code of the instance that failed")
						.isNotZero();
					secondOutput = second.output();
				}
				long answeredByNow = loop.answered();
				await().atMost(Duration.ofSeconds(10)).until(() -> loop.answered() > answeredByNow + 100);
				loop.close();
				assertThat(loop.errors).as("failed connects and requests").isEmpty();
				assertThat(loop.failures()).isZero();
				assertThat(first.isAlive()).as("the first instance still runs").isTrue();
				assertThat(secondOutput).contains("is bound aside").contains("already in use");
			}
			assertThat(first.output()).doesNotContain("was taken over by another process");
			assertThat(SampleProcess.fileKey(socket)).as("the socket file is still the first instance's")
				.isEqualTo(firstFile);
			assertThat(first.glideSocketHealth()).isEqualTo("UP");
			assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files next to the socket")
				.containsExactly(socket);
			first.terminate();
			assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
		}
		assertThat(SampleProcess.entriesOtherThanLogs(this.directory)).as("files left next to the socket").isEmpty();
	}

	private static SampleProcess.Builder instance(Path socket, String mode) {
		return SampleProcess.serving(socket)
			.property("sample.resp.connection-mode", mode)
			.property("glide.socket.takeover", "true")
			.property("glide.socket.exit-after-takeover", "true");
	}

	/**
	 * Reads one RESP reply line, or returns {@code null} at end of stream before any byte.
	 */
	private static String readLine(InputStream input) throws IOException {
		StringBuilder line = new StringBuilder();
		for (;;) {
			int b = input.read();
			if (b == -1) {
				return (line.length() == 0) ? null : line.toString();
			}
			if (b == '\n') {
				return line.toString().stripTrailing();
			}
			line.append((char) b);
		}
	}

	/**
	 * Clients on two threads, each opening a new connection per {@code PING}: a connect that
	 * fails (no file, refused), a reset, or a reply other than {@code +PONG} is a failure.
	 */
	static final class NewConnectionLoop implements AutoCloseable {

		private final Path socket;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong answered = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		final List<String> errors = new CopyOnWriteArrayList<>();

		private final List<Thread> threads = new ArrayList<>();

		NewConnectionLoop(Path socket) {
			this.socket = socket;
			for (int i = 0; i < 2; i++) {
				Thread thread = new Thread(this::run, "new-connection-client-" + i);
				thread.setDaemon(true);
				thread.start();
				this.threads.add(thread);
			}
		}

		private void run() {
			while (this.running.get()) {
				try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(this.socket))) {
					OutputStream output = Channels.newOutputStream(channel);
					output.write(PING);
					String reply = readLine(Channels.newInputStream(channel));
					if ("+PONG".equals(reply)) {
						this.answered.incrementAndGet();
					}
					else {
						fail("reply " + reply);
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

		long answered() {
			return this.answered.get();
		}

		long failures() {
			return this.failures.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(10_000);
			}
		}

	}

	/**
	 * One connection that sends a {@code PING} every 20 ms until the server ends it: every
	 * request must be answered, and the end must be an end of stream between replies.
	 */
	static final class LongLivedClient implements Runnable {

		private final Path socket;

		private final AtomicLong answered = new AtomicLong();

		private volatile boolean endedCleanly;

		final List<String> errors = new CopyOnWriteArrayList<>();

		LongLivedClient(Path socket) {
			this.socket = socket;
		}

		Thread start() {
			Thread thread = new Thread(this, "long-lived-client");
			thread.setDaemon(true);
			thread.start();
			return thread;
		}

		@Override
		public void run() {
			try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(this.socket))) {
				OutputStream output = Channels.newOutputStream(channel);
				InputStream input = Channels.newInputStream(channel);
				for (;;) {
					try {
						output.write(PING);
					}
					catch (IOException ex) {
						// Closed by the server after answering everything: its end of stream tells.
						this.endedCleanly = readLine(input) == null;
						return;
					}
					String reply = readLine(input);
					if (reply == null) {
						this.endedCleanly = true;
						return;
					}
					if (!reply.equals("+PONG")) {
						this.errors.add("reply " + reply);
						return;
					}
					this.answered.incrementAndGet();
					LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				}
			}
			catch (IOException ex) {
				this.errors.add(ex.toString());
			}
		}

		long answered() {
			return this.answered.get();
		}

		boolean endedCleanly() {
			return this.endedCleanly;
		}

	}

}
