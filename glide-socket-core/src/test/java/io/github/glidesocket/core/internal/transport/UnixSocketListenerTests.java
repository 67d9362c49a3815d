package io.github.glidesocket.core.internal.transport;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManagerSettings;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;
import io.github.glidesocket.core.internal.registry.DefaultSocketManager;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
		ListenerContext context = new ListenerContext("listener-test", Runnable::run, this.loops, this.scheduler,
				new ConnectionTimeouts(this.scheduler), new BufferBudget(-1), new SocketEventListener() {
				}, new AtomicLong()::incrementAndGet);
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

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aConnectionAdmittedAsTheStopBeginsIsServedAndEndsTheDrainItHoldsOpen(boolean eventLoop) throws Exception {
		String path = this.directory.resolve("drain.sock").toString();
		CountDownLatch inWindow = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		// Connection ids are drawn after a connection took its slot and before it is tracked: a stop
		// that comes then makes its admission roll back.
		AtomicLong ids = new AtomicLong();
		LongSupplier holdingIds = () -> {
			inWindow.countDown();
			await(release);
			return ids.incrementAndGet();
		};
		ListenerContext context = new ListenerContext("listener-test", Runnable::run, this.loops, this.scheduler,
				new ConnectionTimeouts(this.scheduler), new BufferBudget(-1), new SocketEventListener() {
				}, holdingIds);
		SocketOptions.Builder options = SocketOptions.builder();
		if (eventLoop) {
			options.eventHandler((connection) -> (input) -> input.position(input.limit()));
		}
		else {
			options.handler((connection) -> {
			});
		}
		UnixSocketListener listener = UnixSocketListener.open(path, 1, options.build(), context);
		try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
			assertThat(inWindow.await(10, TimeUnit.SECONDS)).as("a connection is being admitted").isTrue();
			listener.stopAccepting();
			CompletableFuture<Void> drained = listener.drainConnections();
			release.countDown();
			drained.get(10, TimeUnit.SECONDS);
			assertThat(listener.activeConnections()).isZero();
		}
		finally {
			release.countDown();
			listener.closeConnections();
		}
	}

	@Test
	void aReBindThatOutlivesItsSocketsStopNeverTakesThePathFromTheNextSocket() throws Exception {
		String path = this.directory.resolve("next.sock").toString();
		CountDownLatch published = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger binds = new AtomicInteger();
		// The second bind is the file check's re-bind: it publishes, then is held before it switches.
		UnixSocketListener.Binder slowReBinder = (socketPath, options) -> {
			UnixSocketBinder.BoundSocket bound = UnixSocketBinder.bind(socketPath, options);
			if (binds.incrementAndGet() == 2) {
				published.countDown();
				await(release);
			}
			return bound;
		};
		SocketManagerSettings settings = new SocketManagerSettings("rebind-race", SocketOptions.builder().handler((connection) -> {
		}).build(), Map.of(), -1, LeakDetection.DISABLED, false, 1, List.of(), Duration.ofMillis(20), false, null, -1);
		DefaultSocketManager manager = DefaultSocketManager.create(settings,
				(socketPath, generation, options, context) -> UnixSocketListener.open(socketPath, generation, options, context,
						slowReBinder));
		try {
			SocketReference first = manager.getOrCreate(path);
			Files.delete(Path.of(path));
			assertThat(published.await(10, TimeUnit.SECONDS)).as("the file check re-binds").isTrue();
			first.close();
			CompletableFuture<SocketReference> next = CompletableFuture.supplyAsync(() -> manager.getOrCreate(path));
			// It waits for the late re-bind to take its file back, rather than meet it at the path.
			Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> !next.isDone());
			release.countDown();
			try (SocketReference reference = next.get(10, TimeUnit.SECONDS)) {
				assertThat(reference.isActive()).isTrue();
				assertThat(manager.snapshot(path).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
			}
		}
		finally {
			release.countDown();
			manager.close();
		}
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
