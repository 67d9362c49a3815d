package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Holders of a {@link SocketReference} hear through {@link SocketReference#whenStopping()} that
 * the manager is stopping its socket: a graceful stop before its drain is over, a forced one,
 * never a socket that ends with its last reference, and always on a notice thread rather than
 * the thread that stops the socket; a few notice threads serve any number of holders.
 */
@Timeout(60)
class StopNoticeTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String MANAGER = "notice-test";

	@TempDir
	Path directory;

	private final CountDownLatch handlerMayReturn = new CountDownLatch(1);

	private final CountDownLatch handlerEntered = new CountDownLatch(1);

	private final TestServers servers = new TestServers(new SocketEventListener() {
	}, WAIT);

	private final List<SocketManager> managers = new ArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		this.handlerMayReturn.countDown();
		this.servers.close();
		this.managers.forEach(SocketManager::close);
	}

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	/**
	 * A manager whose handler reads one byte and then holds its connection until the test lets it
	 * return, so that a graceful stop's drain cannot end before then.
	 */
	private SocketManager holdingManager() {
		return this.servers.manager(SocketManager.builder().name(MANAGER).defaults(SocketOptions.builder().handler((connection) -> {
			connection.inputStream().read();
			this.handlerEntered.countDown();
			this.handlerMayReturn.await();
		}).build()));
	}

	private SocketManager manager() {
		SocketManager manager = SocketManager.builder()
			.name(MANAGER)
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private AFUNIXSocket holdConnection(SocketReference reference) throws Exception {
		AFUNIXSocket client = this.servers.connect(reference);
		client.getOutputStream().write('x');
		assertThat(this.handlerEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		return client;
	}

	@Test
	void aGracefulStopIsNoticedBeforeItsDrainEndsOnANoticeThread() throws Exception {
		SocketManager manager = holdingManager();
		SocketReference reference = manager.getOrCreate(path("g.sock"));
		holdConnection(reference);
		AtomicReference<Thread> noticedOn = new AtomicReference<>();
		CompletableFuture<SocketStop> noticed = reference.whenStopping().thenApply((stop) -> {
			noticedOn.set(Thread.currentThread());
			return stop;
		}).toCompletableFuture();
		assertThat(noticed).isNotDone();
		CompletableFuture<Void> drained = manager.shutdownSocket(reference.path(), Duration.ofSeconds(60));
		assertThat(noticed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SocketStop.GRACEFUL);
		// The handler still holds its connection: the drain cannot be over.
		assertThat(drained).isNotDone();
		assertThat(noticedOn.get()).isNotSameAs(Thread.currentThread());
		assertThat(noticedOn.get().getName()).startsWith(MANAGER + "-notices-");
		assertThat(reference.isActive()).isFalse();
		this.handlerMayReturn.countDown();
		drained.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		reference.close();
	}

	@Test
	void aManagerShutdownIsAGracefulStopForEverySocket() throws Exception {
		SocketManager manager = manager();
		SocketReference first = manager.getOrCreate(path("a.sock"));
		SocketReference second = manager.getOrCreate(path("b.sock"));
		manager.shutdownGracefully(Duration.ofSeconds(5)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		for (SocketReference reference : List.of(first, second)) {
			assertThat(reference.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
				.isEqualTo(SocketStop.GRACEFUL);
		}
	}

	@Test
	void cleanupAllSocketsIsAForcedStopAndRunsNoActionOfTheHolderOnTheCallingThread() throws Exception {
		SocketManager manager = manager();
		SocketReference reference = manager.getOrCreate(path("f.sock"));
		CountDownLatch cleanupReturned = new CountDownLatch(1);
		AtomicReference<Thread> noticedOn = new AtomicReference<>();
		CompletableFuture<SocketStop> noticed = reference.whenStopping().thenApply((stop) -> {
			noticedOn.set(Thread.currentThread());
			// Were this the caller's thread, cleanupAllSockets() would wait here and the test fail.
			try {
				cleanupReturned.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return stop;
		}).toCompletableFuture();
		manager.cleanupAllSockets();
		cleanupReturned.countDown();
		assertThat(noticed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SocketStop.FORCED);
		assertThat(noticedOn.get()).isNotSameAs(Thread.currentThread());
		assertThat(noticedOn.get().getName()).startsWith(MANAGER + "-notices-");
		assertThat(Path.of(reference.path())).doesNotExist();
	}

	@Test
	void closingTheManagerIsAForcedStopNoticedOffTheClosingThread() throws Exception {
		SocketManager manager = manager();
		SocketReference reference = manager.getOrCreate(path("c.sock"));
		AtomicReference<Thread> noticedOn = new AtomicReference<>();
		CompletableFuture<SocketStop> noticed = reference.whenStopping().thenApply((stop) -> {
			noticedOn.set(Thread.currentThread());
			return stop;
		}).toCompletableFuture();
		manager.close();
		assertThat(noticed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SocketStop.FORCED);
		assertThat(noticedOn.get()).isNotSameAs(Thread.currentThread());
	}

	@Test
	void everyReferenceToTheSocketIsToldButNotOneClosedBeforeTheStop() throws Exception {
		SocketManager manager = manager();
		SocketReference first = manager.getOrCreate(path("s.sock"));
		SocketReference retained = first.retain();
		SocketReference other = manager.getOrCreate(path("s.sock"));
		SocketReference closed = manager.getOrCreate(path("s.sock"));
		CompletableFuture<SocketStop> closedNotice = closed.whenStopping().toCompletableFuture();
		closed.close();
		CompletionStage<SocketStop> notice = first.whenStopping();
		assertThat((Object) first.whenStopping()).isSameAs(notice);
		manager.cleanupAllSockets();
		for (SocketReference reference : List.of(first, retained, other)) {
			assertThat(reference.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
				.isEqualTo(SocketStop.FORCED);
		}
		// The task that completed the others would have completed it too.
		assertThat(closedNotice).isNotDone();
	}

	@Test
	void aReferenceClosedAfterTheStopStillGetsTheNotice() throws Exception {
		SocketManager manager = manager();
		SocketReference reference = manager.getOrCreate(path("after.sock"));
		manager.cleanupAllSockets();
		reference.close();
		assertThat(reference.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(SocketStop.FORCED);
	}

	@Test
	void aReferenceClosedBeforeTheStopIsNeverToldWhenItAsksOnlyAfterTheStop() throws Exception {
		SocketManager manager = manager();
		SocketReference keeper = manager.getOrCreate(path("before.sock"));
		SocketReference closedEarly = manager.getOrCreate(path("before.sock"));
		closedEarly.close();
		manager.cleanupAllSockets();
		assertThat(keeper.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(SocketStop.FORCED);
		CompletableFuture<SocketStop> askedLate = closedEarly.whenStopping().toCompletableFuture();
		// Asked before the stop, the same reference's notice never completes: asked after, neither.
		await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !askedLate.isDone());
	}

	@Test
	void aNoticeAskedForAfterTheStopBeganIsCompletedToo() throws Exception {
		SocketManager manager = manager();
		SocketReference reference = manager.getOrCreate(path("late.sock"));
		manager.cleanupAllSockets();
		assertThat(reference.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(SocketStop.FORCED);
	}

	@Test
	void holdersCannotCompleteTheNotice() {
		SocketManager manager = manager();
		try (SocketReference reference = manager.getOrCreate(path("h.sock"))) {
			CompletionStage<SocketStop> notice = reference.whenStopping();
			notice.toCompletableFuture().complete(SocketStop.FORCED);
			assertThat(notice.thenApply((stop) -> stop).toCompletableFuture()).isNotDone();
		}
	}

	@Test
	void aSocketThatEndsWithItsLastReferenceGivesNoNotice() throws Exception {
		SocketManager manager = manager();
		SocketReference ended = manager.getOrCreate(path("n.sock"));
		CompletableFuture<SocketStop> endedNotice = ended.whenStopping().toCompletableFuture();
		ended.close();
		assertThat(endedNotice).isNotDone();
		// A forced stop afterwards, of the next socket at the path and of another one: their
		// notices arrive, the ended socket's does not.
		SocketReference next = manager.getOrCreate(path("n.sock"));
		SocketReference another = manager.getOrCreate(path("o.sock"));
		manager.cleanupAllSockets();
		assertThat(next.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(SocketStop.FORCED);
		assertThat(another.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(SocketStop.FORCED);
		assertThat(endedNotice).isNotDone();
		assertThat(ended.whenStopping().toCompletableFuture()).isNotDone();
	}

	@Test
	void aSocketThatEndsAfterItsCleanupDelayGivesNoNotice() throws Exception {
		SocketManager manager = this.servers.manager(SocketManager.builder()
			.name(MANAGER)
			.defaults(SocketOptions.builder().cleanupDelay(Duration.ofMillis(20)).build()));
		SocketReference reference = manager.getOrCreate(path("l.sock"));
		CompletableFuture<SocketStop> notice = reference.whenStopping().toCompletableFuture();
		reference.close();
		await().atMost(WAIT).until(() -> !manager.isSocketActive(path("l.sock")));
		assertThat(Path.of(path("l.sock"))).doesNotExist();
		SocketReference other = manager.getOrCreate(path("m.sock"));
		manager.cleanupAllSockets();
		other.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(notice).isNotDone();
	}

	/**
	 * Thousands of holders whose actions block cost the bounded notice threads, not a thread
	 * each; every notice is delivered once the actions return.
	 */
	@Test
	void holdersWhoseActionsBlockCostAFewNoticeThreadsNotOneEach() throws Exception {
		String name = TestServers.uniqueName(MANAGER);
		SocketManager manager = SocketManager.builder().name(name).shutdownHook(false).fileCheckInterval(Duration.ZERO)
			.build();
		this.managers.add(manager);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger blocked = new AtomicInteger();
		List<CompletableFuture<Void>> actions = new ArrayList<>();
		try {
			for (int i = 0; i < 2000; i++) {
				SocketReference reference = manager.getOrCreate(path("many.sock"));
				actions.add(reference.whenStopping().thenAccept((stop) -> {
					blocked.incrementAndGet();
					awaitQuietly(release);
				}).toCompletableFuture());
			}
			manager.shutdownSocket(path("many.sock"), Duration.ofSeconds(5));
			await().atMost(WAIT).until(() -> blocked.get() >= 8);
			assertThat(threadsNamed(name + "-")).as("threads of the manager while 2,000 actions block").hasSizeLessThan(20);
			assertThat(blocked.get()).as("actions running at once").isEqualTo(8);
		}
		finally {
			release.countDown();
		}
		CompletableFuture.allOf(actions.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(blocked.get()).isEqualTo(2000);
	}

	@Test
	void anActionThatBlocksDelaysNoOtherHoldersNotice() throws Exception {
		SocketManager manager = manager();
		CountDownLatch release = new CountDownLatch(1);
		SocketReference blocking = manager.getOrCreate(path("b.sock"));
		CountDownLatch blockingRuns = new CountDownLatch(1);
		blocking.whenStopping().thenRun(() -> {
			blockingRuns.countDown();
			awaitQuietly(release);
		});
		List<CompletableFuture<SocketStop>> others = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			others.add(manager.getOrCreate(path("b.sock")).whenStopping().toCompletableFuture());
		}
		try {
			manager.cleanupAllSockets();
			assertThat(blockingRuns.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			for (CompletableFuture<SocketStop> other : others) {
				assertThat(other.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SocketStop.FORCED);
			}
		}
		finally {
			release.countDown();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<String> threadsNamed(String prefix) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((threadName) -> threadName.startsWith(prefix))
			.toList();
	}

	@Test
	void aStoppingSocketHandsOutNoReferenceAndTheNextSocketHasANoticeOfItsOwn() throws Exception {
		SocketManager manager = holdingManager();
		SocketReference reference = manager.getOrCreate(path("r.sock"));
		holdConnection(reference);
		CompletableFuture<Void> drained = manager.shutdownSocket(reference.path(), Duration.ofSeconds(60));
		assertThat(reference.whenStopping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(SocketStop.GRACEFUL);
		assertThat(drained).isNotDone();
		assertThatIllegalStateException().isThrownBy(reference::retain);
		assertThat(manager.getExisting(reference.path())).isEmpty();
		try (SocketReference next = manager.getOrCreate(reference.path())) {
			assertThat(next.isActive()).isTrue();
			assertThat(next.whenStopping().toCompletableFuture()).isNotDone();
		}
		this.handlerMayReturn.countDown();
		drained.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

}
