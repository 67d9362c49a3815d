package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
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

	/**
	 * A connect flood that never lets the queue empty (each connection refused makes the next)
	 * neither holds the handover's accepting of the queue for ever nor keeps the acceptor from
	 * the other sockets.
	 */
	@Test
	void acceptingTheQueueAtAHandoverEndsDuringAFloodAndLeavesTheAcceptorToOtherSockets() throws Exception {
		String path = this.directory.resolve("flood.sock").toString();
		AtomicBoolean flooding = new AtomicBoolean(true);
		AtomicReference<SocketChannel> lastFlooder = new AtomicReference<>();
		PeerPolicy refillingQueue = new PeerPolicy() {

			@Override
			public boolean allows(PeerCredentials peer) {
				if (flooding.get()) {
					try {
						UnixSocketBinder.closeQuietly(
								lastFlooder.getAndSet(SocketChannel.open(UnixDomainSocketAddress.of(path))));
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}
				return false;
			}

			@Override
			public boolean mayBlock() {
				return false;
			}

		};
		ListenerContext context = new ListenerContext("listener-test", Runnable::run, this.loops, this.scheduler,
				new ConnectionTimeouts(this.scheduler), new BufferBudget(-1), new SocketEventListener() {
				}, new AtomicLong()::incrementAndGet);
		UnixSocketListener flooded = UnixSocketListener.open(path, 1, SocketOptions.builder().handler((connection) -> {
		}).takeover(true).peerPolicy(refillingQueue).build(), context);
		String bystanderPath = this.directory.resolve("bystander.sock").toString();
		UnixSocketListener bystander = UnixSocketListener.open(bystanderPath, 1,
				SocketOptions.builder().eventHandler((connection) -> (input) -> connection.write(input)).build(), context);
		try {
			lastFlooder.set(SocketChannel.open(UnixDomainSocketAddress.of(path)));
			CompletableFuture<Void> queueAccepted = flooded.acceptQueued();
			try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(bystanderPath))) {
				client.write(ByteBuffer.wrap(new byte[] { 42 }));
				CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> {
					ByteBuffer reply = ByteBuffer.allocate(1);
					try {
						client.read(reply);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					return (int) reply.get(0);
				});
				assertThat(answer.get(10, TimeUnit.SECONDS)).as("the bystander socket is served during the flood")
					.isEqualTo(42);
			}
			queueAccepted.get(10, TimeUnit.SECONDS);
			assertThat(flooding.get()).as("the flood still runs").isTrue();
		}
		finally {
			flooding.set(false);
			flooded.stopAccepting();
			bystander.stopAccepting();
			UnixSocketBinder.closeQuietly(lastFlooder.get());
		}
	}

	/**
	 * Connections served on threads of their own are timed out by one check for the manager,
	 * scheduled only while such connections exist: a socket without any costs the scheduler
	 * nothing, and a writer whose peer stopped reading is still cut off at the write timeout.
	 */
	@Test
	void timeoutsAreCheckedOnlyWhileThreadModeConnectionsExistAndStillEndAStalledWriter() throws Exception {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
		timer.setRemoveOnCancelPolicy(true);
		ExecutorService connectionThreads = Executors.newCachedThreadPool();
		AtomicInteger writeTimeouts = new AtomicInteger();
		ListenerContext context = new ListenerContext("listener-test", connectionThreads, this.loops, timer,
				new ConnectionTimeouts(timer), new BufferBudget(-1), new SocketEventListener() {

					@Override
					public void writeTimedOut(String path) {
						writeTimeouts.incrementAndGet();
					}

				}, new AtomicLong()::incrementAndGet);
		CompletableFuture<String> handlerEnded = new CompletableFuture<>();
		SocketOptions options = SocketOptions.builder().writeTimeout(Duration.ofMillis(200)).handler((connection) -> {
			// The first byte says what to do: 'r' read until the end, 'w' write until it fails.
			int command = connection.inputStream().read();
			try {
				if (command == 'w') {
					byte[] chunk = new byte[64 * 1024];
					for (;;) {
						connection.outputStream().write(chunk);
					}
				}
				while (connection.inputStream().read() != -1) {
					// read until the client closes
				}
				handlerEnded.complete("end of input");
			}
			catch (IOException ex) {
				handlerEnded.complete(ex.getMessage());
			}
		}).build();
		String path = this.directory.resolve("timeouts.sock").toString();
		UnixSocketListener listener = UnixSocketListener.open(path, 1, options, context);
		try {
			assertThat(timer.getQueue()).as("scheduled without connections").isEmpty();
			try (SocketChannel reader = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
				reader.write(ByteBuffer.wrap(new byte[] { 'r' }));
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> timer.getQueue().size() == 1);
			}
			assertThat(handlerEnded.get(10, TimeUnit.SECONDS)).isEqualTo("end of input");
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.activeConnections() == 0);
			assertThat(timer.getQueue()).as("scheduled once the connections ended").isEmpty();
			try (SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
				stalled.write(ByteBuffer.wrap(new byte[] { 'w' }));
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writeTimeouts.get() == 1);
			}
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.activeConnections() == 0);
			assertThat(timer.getQueue()).isEmpty();
		}
		finally {
			listener.stopAccepting();
			listener.closeConnections();
			connectionThreads.shutdownNow();
			timer.shutdownNow();
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
