package io.github.glidesocket.benchmarks.baseline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.glidesocket.benchmarks.baseline.OriginalDesignRegistry.Handle;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OriginalDesignRegistry}: the model must behave like the seed, including the
 * remove-by-path race that glide-socket's design exists to avoid.
 */
@Timeout(30)
class OriginalDesignRegistryTests {

	private static final String PATH = "/tmp/glide-test.sock";

	private static final String OTHER_PATH = "/tmp/glide-test-other.sock";

	private static final Duration AT_MOST = Duration.ofSeconds(5);

	private final RecordingFileRemover fileRemover = new RecordingFileRemover();

	private final ExecutorService releasingThreads = Executors.newCachedThreadPool();

	private final OriginalDesignRegistry registry = new OriginalDesignRegistry(this.fileRemover);

	@AfterEach
	void shutDown() {
		this.fileRemover.unblock();
		this.releasingThreads.shutdownNow();
		this.registry.close();
	}

	@Test
	void getOrCreateWhenPathIsNewStartsGenerationWithCountOne() {
		Handle handle = this.registry.getOrCreate(PATH);
		assertThat(handle.path()).isEqualTo(PATH);
		assertThat(handle.referenceCount()).isOne();
		assertThat(handle.isActive()).isTrue();
		assertThat(this.registry.isSocketActive(PATH)).isTrue();
		assertThat(this.registry.activeSocketCount()).isOne();
	}

	@Test
	void getOrCreateWhenPathIsLiveSharesGenerationAndCountsEachHandle() {
		Handle first = this.registry.getOrCreate(PATH);
		Handle second = this.registry.getOrCreate(PATH);
		Handle third = this.registry.getExisting(PATH).orElseThrow();
		assertThat(second.isSameGeneration(first)).isTrue();
		assertThat(third.isSameGeneration(first)).isTrue();
		assertThat(first.referenceCount()).isEqualTo(3);
		assertThat(this.registry.activeSocketCount()).isOne();
	}

	@Test
	void getExistingWhenPathIsUnknownReturnsEmpty() {
		assertThat(this.registry.getExisting(PATH)).isEmpty();
		assertThat(this.registry.activeSocketCount()).isZero();
	}

	@Test
	void retainAddsIndependentHandleToSameGeneration() {
		Handle first = this.registry.getOrCreate(PATH);
		Handle copy = first.retain();
		assertThat(copy.isSameGeneration(first)).isTrue();
		assertThat(first.referenceCount()).isEqualTo(2);
		first.close();
		assertThat(copy.referenceCount()).isOne();
		assertThat(this.registry.isSocketActive(PATH)).isTrue();
	}

	@Test
	void retainWhenClosedThrows() {
		Handle handle = this.registry.getOrCreate(PATH);
		handle.close();
		assertThatIllegalStateException().isThrownBy(handle::retain).withMessageContaining(PATH);
	}

	@Test
	void closeTwiceReleasesOnce() {
		Handle first = this.registry.getOrCreate(PATH);
		Handle second = this.registry.getOrCreate(PATH);
		second.close();
		second.close();
		assertThat(first.referenceCount()).isOne();
		assertThat(this.registry.isSocketActive(PATH)).isTrue();
		assertThat(this.fileRemover.removed()).isEmpty();
	}

	@Test
	void closeOfLastHandleWhenLockIsFreeCleansUpAtOnce() {
		Handle first = this.registry.getOrCreate(PATH);
		Handle second = first.retain();
		first.close();
		assertThat(this.fileRemover.removed()).isEmpty();
		second.close();
		assertThat(second.isActive()).isFalse();
		assertThat(second.referenceCount()).isZero();
		assertThat(this.fileRemover.removed()).containsExactly(PATH);
		assertThat(this.registry.deferredCleanupCount()).isZero();
		assertThat(this.registry.getExisting(PATH)).isEmpty();
		assertThat(this.registry.activeSocketCount()).isZero();
	}

	@Test
	void getOrCreateAfterLastHandleClosedStartsNewGeneration() {
		Handle first = this.registry.getOrCreate(PATH);
		first.close();
		Handle second = this.registry.getOrCreate(PATH);
		assertThat(second.isSameGeneration(first)).isFalse();
		assertThat(second.referenceCount()).isOne();
		assertThat(first.referenceCount()).isZero();
	}

	@Test
	void closeOfLastHandleWhenLockIsBusyDefersCleanupToBackgroundThread() throws Exception {
		Handle handle = this.registry.getOrCreate(PATH);
		holdRegistryLock();
		handle.close();
		assertThat(handle.isActive()).isFalse();
		assertThat(this.registry.deferredCleanupCount()).isOne();
		assertThat(this.fileRemover.removed()).containsExactly(OTHER_PATH);
		this.fileRemover.unblock();
		waitAtMost().until(() -> this.fileRemover.removed().contains(PATH));
		assertThat(this.registry.isSocketActive(PATH)).isFalse();
		assertThat(this.registry.activeSocketCount()).isZero();
	}

	/**
	 * The seed's flaw, made deterministic. The last handle of one generation closes while the
	 * lock is busy, so its cleanup is deferred; a new generation starts for the same path before
	 * the deferred cleanup runs; the cleanup then removes the path's entry and file, which now
	 * belong to the new generation, although a handle to it is still open. glide-socket's
	 * cleanup checks the generation (and the file's inode) before removing anything.
	 */
	@Test
	void lateDeferredCleanupRemovesNewerLiveGenerationByPath() throws Exception {
		ScheduledExecutorService cleanupExecutor = Executors.newSingleThreadScheduledExecutor();
		try (OriginalDesignRegistry registry = new OriginalDesignRegistry(this.fileRemover, cleanupExecutor)) {
			// Park the only cleanup thread, so the deferred cleanup cannot run before we allow it.
			CountDownLatch cleanupThreadParked = new CountDownLatch(1);
			CountDownLatch releaseCleanupThread = new CountDownLatch(1);
			cleanupExecutor.execute(() -> {
				cleanupThreadParked.countDown();
				awaitQuietly(releaseCleanupThread);
			});
			assertThat(cleanupThreadParked.await(AT_MOST.toSeconds(), TimeUnit.SECONDS)).isTrue();

			Handle dying = registry.getOrCreate(PATH);
			holdRegistryLock(registry);
			dying.close();
			assertThat(registry.deferredCleanupCount()).isOne();
			this.fileRemover.unblock();

			Handle newer = registry.getOrCreate(PATH);
			assertThat(newer.isSameGeneration(dying)).isFalse();
			assertThat(registry.isSocketActive(PATH)).isTrue();

			releaseCleanupThread.countDown();
			waitAtMost().until(() -> this.fileRemover.removed().contains(PATH));

			// The newer generation is still referenced, yet its entry and file are gone.
			assertThat(newer.referenceCount()).isOne();
			assertThat(newer.isActive()).isTrue();
			assertThat(registry.isSocketActive(PATH)).isFalse();
			assertThat(registry.getExisting(PATH)).isEmpty();
			// So the next caller starts a second live generation for the same path.
			Handle third = registry.getOrCreate(PATH);
			assertThat(third.isSameGeneration(newer)).isFalse();
			assertThat(newer.referenceCount()).isOne();
			assertThat(third.referenceCount()).isOne();
		}
		finally {
			cleanupExecutor.shutdownNow();
		}
	}

	private void holdRegistryLock() throws Exception {
		holdRegistryLock(this.registry);
	}

	// The seed removes files under the registry lock, so a slow removal of another socket's file
	// holds the lock: close that socket on another thread and block its removal.
	private void holdRegistryLock(OriginalDesignRegistry registry) throws Exception {
		Handle other = registry.getOrCreate(OTHER_PATH);
		this.fileRemover.blockOn(OTHER_PATH);
		Future<?> closing = this.releasingThreads.submit(other::close);
		waitAtMost().until(() -> this.fileRemover.isBlocked() || closing.isDone());
		assertThat(closing).isNotDone();
	}

	// Cleanups take about 10 ms; poll more often than Awaitility's default 100 ms.
	private static ConditionFactory waitAtMost() {
		return await().atMost(AT_MOST).pollInterval(Duration.ofMillis(5));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Records the paths whose file the registry removes, and can block one removal to hold the
	 * registry lock.
	 */
	private static final class RecordingFileRemover implements Consumer<String> {

		private final List<String> removed = new CopyOnWriteArrayList<>();

		private final CountDownLatch proceed = new CountDownLatch(1);

		private volatile String blockedPath = "";

		private volatile boolean blocked;

		@Override
		public void accept(String path) {
			this.removed.add(path);
			if (path.equals(this.blockedPath)) {
				this.blocked = true;
				awaitQuietly(this.proceed);
			}
		}

		void blockOn(String path) {
			this.blockedPath = path;
		}

		boolean isBlocked() {
			return this.blocked;
		}

		void unblock() {
			this.proceed.countDown();
		}

		List<String> removed() {
			return this.removed;
		}

	}

}
