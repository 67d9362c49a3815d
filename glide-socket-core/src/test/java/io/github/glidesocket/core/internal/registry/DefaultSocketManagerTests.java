package io.github.glidesocket.core.internal.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketLimitException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.internal.transport.Listener;
import io.github.glidesocket.core.internal.transport.UnboundListener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DefaultSocketManager}.
 */
@Timeout(60)
class DefaultSocketManagerTests {

	private final List<SocketManager> managers = new ArrayList<>();

	@TempDir
	Path directory;

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(SocketManager.Builder builder, Listener.Factory listeners) {
		SocketManager manager = Handles.withListeners(builder.name("manager-test").shutdownHook(false), listeners);
		this.managers.add(manager);
		return manager;
	}

	@Test
	void racingCreatorsOfANewPathAtTheSocketLimitShareOneSocket() throws Exception {
		SocketManager manager = manager(SocketManager.builder().maxSockets(1), UnboundListener.FACTORY);
		int threads = 4;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 20_000; round++) {
				String path = "/tmp/limit-" + (round % 2) + ".sock";
				CyclicBarrier start = new CyclicBarrier(threads);
				List<Future<SocketReference>> acquired = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					acquired.add(executor.submit(() -> {
						start.await();
						return manager.getOrCreate(path);
					}));
				}
				List<SocketReference> references = new ArrayList<>();
				List<Throwable> failures = new ArrayList<>();
				for (Future<SocketReference> future : acquired) {
					try {
						references.add(future.get());
					}
					catch (ExecutionException ex) {
						failures.add(ex.getCause());
					}
				}
				references.forEach(SocketReference::close);
				assertThat(failures).as("round %d: callers refused while sharing one new socket", round).isEmpty();
				assertThat(references).extracting(Handles::generation).containsOnly(Handles.generation(references.get(0)));
				assertThat(manager.activeSocketCount()).isZero();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void callersThatMeetACreatorRefusedAtTheLimitAreRefusedTooAndTheLimitStaysExact() throws Exception {
		SocketManager manager = manager(SocketManager.builder().maxSockets(1), UnboundListener.FACTORY);
		int threads = 4;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try (SocketReference held = manager.getOrCreate("/tmp/limit-held.sock")) {
			for (int round = 0; round < 2_000; round++) {
				CyclicBarrier start = new CyclicBarrier(threads);
				List<Future<SocketReference>> acquired = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					acquired.add(executor.submit(() -> {
						start.await();
						return manager.getOrCreate("/tmp/limit-new.sock");
					}));
				}
				for (Future<SocketReference> future : acquired) {
					assertThat(future).failsWithin(Duration.ofSeconds(10))
						.withThrowableOfType(ExecutionException.class)
						.withCauseInstanceOf(SocketLimitException.class);
				}
				assertThat(manager.snapshots()).hasSize(1);
			}
			assertThat(held.isActive()).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
		try (SocketReference now = manager.getOrCreate("/tmp/limit-new.sock")) {
			assertThat(now.isActive()).isTrue();
		}
	}

	@Test
	void aSlowBindDoesNotDelayTheEndOfALinger() throws Exception {
		CountDownLatch binding = new CountDownLatch(1);
		CountDownLatch finishBind = new CountDownLatch(1);
		SocketManager manager = manager(
				SocketManager.builder().defaults(SocketOptions.builder().cleanupDelay(Duration.ofMillis(50)).build()),
				(path, generation, options, context) -> {
					if (path.endsWith("slow.sock")) {
						binding.countDown();
						awaitQuietly(finishBind);
					}
					return new UnboundListener();
				});
		try {
			CompletableFuture<SocketReference> slow = manager.startSocketListenerWithReference("/tmp/slow.sock");
			assertThat(binding.await(10, TimeUnit.SECONDS)).isTrue();
			manager.getOrCreate("/tmp/lingering.sock").close();
			assertThat(manager.isSocketActive("/tmp/lingering.sock")).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> !manager.isSocketActive("/tmp/lingering.sock"));
			assertThat(slow).isNotDone();
			finishBind.countDown();
			assertThat(slow).succeedsWithin(Duration.ofSeconds(10)).satisfies(SocketReference::close);
		}
		finally {
			finishBind.countDown();
		}
	}

	@Test
	void aStartCallbackThatThrowsHasItsReferenceClosed() {
		SocketManager manager = SocketManager.builder().name("callback-test").shutdownHook(false).build();
		this.managers.add(manager);
		String path = this.directory.resolve("callback.sock").toString();
		AtomicReference<SocketReference> received = new AtomicReference<>();
		manager.startSocketListenerWithReference(path, (reference, failure) -> {
			received.set(reference);
			throw new IllegalStateException("callback failed");
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> received.get() != null);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(received.get().isActive()).isFalse();
			assertThat(manager.totalReferenceCount()).isZero();
			assertThat(manager.activeSocketCount()).isZero();
			assertThat(Files.exists(Path.of(path))).isFalse();
		});
	}

	@Test
	void lastCloseReturnsWhileASocketClosedListenerBlocksAndDoesNotRunItOnTheCallersThread() throws Exception {
		CountDownLatch inListener = new CountDownLatch(1);
		CountDownLatch releaseListener = new CountDownLatch(1);
		AtomicReference<Thread> listenerThread = new AtomicReference<>();
		List<String> otherListener = new CopyOnWriteArrayList<>();
		SocketManager manager = manager(SocketManager.builder().eventListener(new SocketEventListener() {

			@Override
			public void socketClosed(String path, Duration cleanupTime) {
				listenerThread.set(Thread.currentThread());
				inListener.countDown();
				awaitQuietly(releaseListener);
			}

		}).eventListener(new SocketEventListener() {

			@Override
			public void socketClosed(String path, Duration cleanupTime) {
				otherListener.add("closed " + path);
			}

		}), UnboundListener.FACTORY);
		ExecutorService closer = Executors.newSingleThreadExecutor();
		try {
			SocketReference reference = manager.getOrCreate("/tmp/events.sock");
			AtomicReference<Thread> closingThread = new AtomicReference<>();
			Future<?> closed = closer.submit(() -> {
				closingThread.set(Thread.currentThread());
				reference.close();
			});
			assertThat(closed).as("close() returns while the listener is blocked").succeedsWithin(Duration.ofSeconds(10));
			assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(listenerThread.get()).isNotSameAs(closingThread.get());
			assertThat(listenerThread.get().isDaemon()).isTrue();
			assertThat(listenerThread.get().getName()).startsWith("manager-test-events-");
			// A blocked listener holds back only its own events.
			await().atMost(Duration.ofSeconds(10)).until(() -> otherListener.contains("closed /tmp/events.sock"));
		}
		finally {
			releaseListener.countDown();
			closer.shutdownNow();
		}
	}

	@Test
	void aPlainJavaProgramThatLeavesItsManagerOpenExits() throws Exception {
		// The manager's threads are daemons: the JVM exits once main returns, with no close().
		String java = ProcessHandle.current().info().command().orElseThrow();
		Path output = this.directory.resolve("child.log");
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				ManagerLeftOpenMain.class.getName())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			// Less than the time idle pool threads take to end, so a pool of non-daemon threads fails too.
			boolean exited = child.waitFor(50, TimeUnit.SECONDS);
			String printed = Files.readString(output);
			assertThat(exited).as("the program returned from main and its JVM exited; its output:%n%s", printed).isTrue();
			assertThat(child.exitValue()).as(printed).isZero();
			assertThat(printed).contains("manager left open");
		}
		finally {
			child.destroyForcibly();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
