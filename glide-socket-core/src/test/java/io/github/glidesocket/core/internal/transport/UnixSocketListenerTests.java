package io.github.glidesocket.core.internal.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A listener's stop never waits for a re-bind in progress: the re-bind binds outside any lock,
 * and one that finishes after the stop takes back what it published.
 */
@Timeout(60)
class UnixSocketListenerTests {

	@TempDir
	Path directory;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final EventLoops loops = new EventLoops("listener-test", 1);

	@AfterEach
	void cleanUp() {
		this.loops.close();
		this.scheduler.shutdownNow();
	}

	@Test
	void stoppingDoesNotWaitForAReBindInProgressAndTheLateReBindPublishesNothing() throws Exception {
		String path = this.directory.resolve("s.sock").toString();
		CountDownLatch rebinding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger binds = new AtomicInteger();
		UnixSocketListener.Binder slowReBinder = (socketPath, options) -> {
			if (binds.incrementAndGet() > 1) {
				rebinding.countDown();
				await(release);
			}
			return UnixSocketBinder.bind(socketPath, options);
		};
		ListenerContext context = new ListenerContext("listener-test", Runnable::run,
				ConnectionThreads.factory("listener-test-accept-", false), this.loops, this.scheduler,
				new BufferBudget(-1), new SocketEventListener() {
				}, new AtomicLong());
		SocketOptions options = SocketOptions.builder().handler((connection) -> {
		}).build();
		UnixSocketListener listener = UnixSocketListener.open(path, 1, options, context, slowReBinder);
		Files.delete(Path.of(path));
		CompletableFuture<SocketSnapshot.FileStatus> check = CompletableFuture.supplyAsync(listener::checkFile);
		assertThat(rebinding.await(10, TimeUnit.SECONDS)).as("the file check is re-binding").isTrue();
		// The old listener held its lock through the bind: this stop would wait for it.
		assertTimeoutPreemptively(Duration.ofSeconds(5), listener::stopAccepting);
		listener.unlink();
		release.countDown();
		assertThat(check.get(10, TimeUnit.SECONDS)).isEqualTo(SocketSnapshot.FileStatus.MISSING);
		assertThat(Path.of(path)).as("a re-bind that finished after the stop publishes nothing").doesNotExist();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
