package io.github.glidesocket.core.internal.binding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathValidationTests;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file check that binds a removed socket again may block (a slow file system, a directory
 * another process holds up): it runs off the manager's timer, whose deadlines it never holds
 * back.
 */
@Timeout(120)
class SlowRebindTests {

	@TempDir
	Path slow;

	@TempDir
	Path other;

	private SocketManager manager;

	@AfterEach
	void cleanUp() {
		UnixSocketBinder.stepHook = null;
		if (this.manager != null) {
			this.manager.close();
		}
	}

	@Test
	void aReBindThatBlocksHoldsBackNoDrainDeadline() throws Exception {
		CountDownLatch neverEnds = new CountDownLatch(1);
		this.manager = SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ofMillis(20))
			.defaults(SocketOptions.builder().handler(SocketPathValidationTests::echo).build())
			.socket(this.other.resolve("b.sock").toString(), SocketOptions.builder().handler((connection) -> {
				connection.outputStream().write('\n');
				connection.outputStream().flush();
				// Ignores the request to finish: only the deadline ends the drain.
				neverEnds.await();
			}).build())
			.build();
		Path removed = this.slow.resolve("a.sock");
		SocketReference slowSocket = this.manager.getOrCreate(removed.toString());
		SocketReference draining = this.manager.getOrCreate(this.other.resolve("b.sock").toString());
		AFUNIXSocket client = draining.connect();
		assertThat(client.getInputStream().read()).as("served").isEqualTo('\n');
		CountDownLatch reBinding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean released = new AtomicBoolean();
		UnixSocketBinder.stepHook = (step, where) -> {
			if (step == UnixSocketBinder.Step.BOUND && where.startsWith(this.slow)) {
				reBinding.countDown();
				try {
					release.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		try {
			Files.delete(removed);
			assertThat(reBinding.await(30, TimeUnit.SECONDS)).as("the file check began to bind again").isTrue();
			CompletableFuture<Void> stopped = this.manager.shutdownSocket(this.other.resolve("b.sock").toString(),
					Duration.ofMillis(100));
			stopped.get(30, TimeUnit.SECONDS);
			assertThat(released).as("the drain ended at its deadline while the re-bind was still held").isFalse();
			assertThat(client.getInputStream().read()).as("closed at the deadline").isEqualTo(-1);
		}
		finally {
			released.set(true);
			release.countDown();
			neverEnds.countDown();
			client.close();
			slowSocket.close();
		}
	}

}
