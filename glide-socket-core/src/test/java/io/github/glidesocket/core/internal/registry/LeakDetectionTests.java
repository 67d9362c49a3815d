package io.github.glidesocket.core.internal.registry;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketStop;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leak detection: a {@link SocketReference} that becomes unreachable without {@code close()} is
 * released, counted and reported (unless detection is disabled), exactly once, and a closed one
 * never is. The first tests go through the garbage collector; the others run the tracker's
 * release action directly, without waiting for a collection.
 */
@Timeout(60)
class LeakDetectionTests {

	@TempDir
	Path directory;

	private final List<SocketManager> managers = new ArrayList<>();

	private final List<Leak> leaks = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(LeakDetection level) {
		SocketManager manager = SocketManager.builder()
			.name("leak-test")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.leakDetection(level)
			.eventListener(new SocketEventListener() {

				@Override
				public void referenceLeaked(String path, @Nullable Throwable acquiredAt) {
					LeakDetectionTests.this.leaks.add(new Leak(path, acquiredAt));
				}

			})
			.build();
		this.managers.add(manager);
		return manager;
	}

	private String path() {
		return this.directory.resolve("s.sock").toString();
	}

	@Test
	void unclosedReferenceCollectedByGcIsReleasedCountedAndReported() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference kept = manager.getOrCreate(path())) {
			WeakReference<SocketReference> dropped = acquireAndDrop(manager);
			assertThat(kept.referenceCount()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				// The count moves before the event is delivered: wait for both.
				return manager.leakCount() == 1 && this.leaks.size() == 1;
			});
			assertThat(dropped.get()).isNull();
			assertThat(kept.referenceCount()).isEqualTo(1);
			assertThat(kept.isActive()).isTrue();
			assertThat(this.leaks).containsExactly(new Leak(path(), null));
		}
		assertThat(manager.leakCount()).isEqualTo(1);
		assertThat(Path.of(path())).doesNotExist();
	}

	@Test
	void unclosedLastReferenceCollectedByGcClosesSocketAndRemovesFile() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		acquireAndDrop(manager);
		assertThat(Path.of(path())).exists();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			System.gc();
			return manager.leakCount() == 1 && this.leaks.size() == 1;
		});
		assertThat(Path.of(path())).doesNotExist();
		assertThat(manager.isSocketActive(path())).isFalse();
		assertThat(manager.activeSocketCount()).isZero();
		assertThat(manager.snapshots()).isEmpty();
		assertThat(this.leaks).containsExactly(new Leak(path(), null));
	}

	@Test
	void aHolderThatAskedForTheStopNoticeAndIsDroppedUnclosedIsStillFoundAsALeak() throws Exception {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference kept = manager.getOrCreate(path())) {
			CompletableFuture<SocketStop> keptNotice = kept.whenStopping().toCompletableFuture();
			WeakReference<Holder> dropped = new WeakReference<>(new Holder(manager.getOrCreate(path())));
			assertThat(kept.referenceCount()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				return manager.leakCount() == 1 && this.leaks.size() == 1;
			});
			assertThat(dropped.get()).isNull();
			assertThat(kept.referenceCount()).isEqualTo(1);
			// The other holder is still told.
			manager.cleanupAllSockets();
			assertThat(keptNotice.get(10, TimeUnit.SECONDS)).isEqualTo(SocketStop.FORCED);
		}
	}

	/**
	 * A client object that reacts to its socket's stop notice with an action that reaches itself,
	 * as client objects do.
	 */
	static final class Holder {

		private final SocketReference socket;

		private volatile @Nullable SocketStop stopped;

		Holder(SocketReference socket) {
			this.socket = socket;
			socket.whenStopping().thenAccept((stop) -> {
				this.stopped = stop;
				this.socket.close();
			});
		}

	}

	@Test
	void paranoidLeakReportsAcquisitionSiteWhoseFirstFrameIsTheCaller() {
		SocketManager manager = manager(LeakDetection.PARANOID);
		try (SocketReference kept = manager.getOrCreate(path())) {
			acquireAndDrop(manager);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				return !this.leaks.isEmpty();
			});
			assertThat(this.leaks).hasSize(1);
			Throwable acquiredAt = this.leaks.get(0).acquiredAt();
			assertThat(acquiredAt).isNotNull();
			assertThat(acquiredAt.getMessage()).contains("'" + path() + "'")
				.contains("'" + Thread.currentThread().getName() + "'");
			StackTraceElement[] stack = acquiredAt.getStackTrace();
			assertThat(stack[0].getClassName()).isEqualTo(LeakDetectionTests.class.getName());
			assertThat(stack[0].getMethodName()).isEqualTo("acquireAndDrop");
			assertThat(stack[1].getMethodName()).isEqualTo("paranoidLeakReportsAcquisitionSiteWhoseFirstFrameIsTheCaller");
			assertThat(kept.referenceCount()).isEqualTo(1);
		}
	}

	@Test
	@SuppressWarnings("deprecation")
	void paranoidAcquisitionSiteStartsAtTheCallerForEveryWayOfAcquiring() {
		SocketManager manager = manager(LeakDetection.PARANOID);
		String method = "paranoidAcquisitionSiteStartsAtTheCallerForEveryWayOfAcquiring";
		String other = this.directory.resolve("o.sock").toString();
		try (SocketReference binding = manager.getOrCreate(path());
				SocketReference sharing = manager.getOrCreate(path());
				SocketReference existing = manager.getExisting(path()).orElseThrow();
				SocketReference retained = binding.retain();
				SocketReference registered = manager.registerNewSocket(other)) {
			for (SocketReference reference : List.of(binding, sharing, existing, retained, registered)) {
				Throwable acquiredAt = tracked(reference).acquiredAt;
				assertThat(acquiredAt).isNotNull();
				StackTraceElement first = acquiredAt.getStackTrace()[0];
				assertThat(first.getClassName() + "." + first.getMethodName()).as("first frame for %s", reference)
					.isEqualTo(LeakDetectionTests.class.getName() + "." + method);
			}
		}
	}

	@Test
	void simpleDetectionRecordsNoAcquisitionSite() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference reference = manager.getOrCreate(path())) {
			assertThat(tracked(reference).acquiredAt).isNull();
		}
	}

	@Test
	void closedReferenceCollectedByGcIsNeverReported() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference kept = manager.getOrCreate(path())) {
			WeakReference<SocketReference> closed = acquireCloseAndDrop(manager);
			// A leaked handle collected alongside shows when collection and draining have happened.
			WeakReference<SocketReference> canary = acquireAndDrop(manager);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				return closed.get() == null && canary.get() == null && manager.leakCount() == 1;
			});
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
				.until(() -> manager.leakCount() == 1 && this.leaks.size() == 1);
			assertThat(kept.referenceCount()).isEqualTo(1);
		}
	}

	@Test
	void disabledDetectionNeverReleasesUnclosedReference() {
		SocketManager manager = manager(LeakDetection.DISABLED);
		try (SocketReference kept = manager.getOrCreate(path())) {
			assertThat(Handles.tracked(kept)).isNull();
			WeakReference<SocketReference> dropped = acquireAndDrop(manager);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				return dropped.get() == null;
			});
			// Longer than two runs of the manager's leak check (every second).
			await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
				.until(() -> kept.referenceCount() == 2 && manager.leakCount() == 0);
			assertThat(this.leaks).isEmpty();
			assertThat(Handles.manager(manager).leaks().trackedCount()).isZero();
		}
	}

	@Test
	void leakedReleasesTheLeaseCountsAndReportsOnce() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference kept = manager.getOrCreate(path())) {
			SocketReference leaked = manager.getOrCreate(path());
			LeakTracker.Tracked reference = tracked(leaked);
			assertThat(Handles.manager(manager).leaks().trackedCount()).isEqualTo(2);
			Handles.manager(manager).leaks().leaked(reference);
			assertThat(kept.referenceCount()).isEqualTo(1);
			assertThat(leaked.isActive()).isFalse();
			assertThat(kept.isActive()).isTrue();
			assertThat(manager.leakCount()).isEqualTo(1);
			assertThat(Handles.manager(manager).leaks().trackedCount()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.leaks.isEmpty());
			assertThat(this.leaks).containsExactly(new Leak(path(), null));
			// Neither a second report nor the handle's own close() releases again.
			Handles.manager(manager).leaks().leaked(reference);
			leaked.close();
			assertThat(kept.referenceCount()).isEqualTo(1);
			assertThat(manager.leakCount()).isEqualTo(1);
			assertThat(this.leaks).hasSize(1);
		}
	}

	@Test
	void leakedLastReferenceClosesSocketAndRemovesFile() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		SocketReference leaked = manager.getOrCreate(path());
		Handles.manager(manager).leaks().leaked(tracked(leaked));
		assertThat(Path.of(path())).doesNotExist();
		assertThat(manager.activeSocketCount()).isZero();
		assertThat(manager.snapshots()).isEmpty();
		assertThat(manager.leakCount()).isEqualTo(1);
	}

	@Test
	void leakedAfterCloseIsNeitherCountedNorReported() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference kept = manager.getOrCreate(path())) {
			SocketReference closed = manager.getOrCreate(path());
			LeakTracker.Tracked reference = tracked(closed);
			closed.close();
			// Closing unlinks the phantom reference: unreachable, it can never be enqueued.
			assertThat(Handles.manager(manager).leaks().trackedCount()).isEqualTo(1);
			assertThat(reference.isReleased()).isTrue();
			Handles.manager(manager).leaks().leaked(reference);
			assertThat(kept.referenceCount()).isEqualTo(1);
			assertThat(manager.leakCount()).isZero();
			assertThat(this.leaks).isEmpty();
		}
	}

	@Test
	void leakedAfterForcedStopIsNeitherCountedNorReported() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		SocketReference reference = manager.getOrCreate(path());
		manager.cleanupAllSockets();
		Handles.manager(manager).leaks().leaked(tracked(reference));
		assertThat(manager.leakCount()).isZero();
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void enqueuedReferenceIsReleasedByTheManagersPeriodicCheck() {
		SocketManager manager = manager(LeakDetection.SIMPLE);
		try (SocketReference kept = manager.getOrCreate(path())) {
			SocketReference leaked = manager.getOrCreate(path());
			// What the collector does when the handle becomes phantom reachable.
			assertThat(tracked(leaked).enqueue()).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> manager.leakCount() == 1 && this.leaks.size() == 1);
			assertThat(kept.referenceCount()).isEqualTo(1);
			assertThat(leaked.isActive()).isFalse();
			assertThat(this.leaks).containsExactly(new Leak(path(), null));
		}
	}

	private static LeakTracker.Tracked tracked(SocketReference reference) {
		assertThat(Handles.tracked(reference)).isNotNull();
		return Handles.tracked(reference);
	}

	/**
	 * Acquire a reference and drop it without closing it. In a method of its own so that no
	 * local variable of the caller keeps it reachable.
	 */
	private WeakReference<SocketReference> acquireAndDrop(SocketManager manager) {
		return new WeakReference<>(manager.getOrCreate(path()));
	}

	private WeakReference<SocketReference> acquireCloseAndDrop(SocketManager manager) {
		SocketReference reference = manager.getOrCreate(path());
		reference.close();
		return new WeakReference<>(reference);
	}

	record Leak(String path, @Nullable Throwable acquiredAt) {
	}

}
