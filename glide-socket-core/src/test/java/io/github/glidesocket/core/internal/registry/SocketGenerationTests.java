package io.github.glidesocket.core.internal.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.core.RecordingEvents;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketLimitException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.internal.transport.UnboundListener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the count of {@link SocketGeneration}, without sockets: the counter-level form of
 * "no resurrection", exact counts under contention, and the linger epoch.
 */
class SocketGenerationTests {

	private final List<SocketManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(SocketOptions options) {
		SocketManager manager = Handles.withListeners(SocketManager.builder()
			.name("generation-test")
			.shutdownHook(false)
			.defaults(options), UnboundListener.FACTORY);
		this.managers.add(manager);
		return manager;
	}

	@Test
	void tryAcquireAfterLastReleaseFailsAndNextGetOrCreateIsANewGeneration() {
		SocketManager manager = manager(SocketOptions.defaults());
		SocketReference first = manager.getOrCreate("/tmp/gen-a.sock");
		SocketGeneration dying = Handles.generation(first);
		first.close();
		assertThat(dying.tryAcquire()).isEqualTo(SocketGeneration.NOT_ACQUIRED);
		assertThat(dying.referenceCount()).isZero();
		try (SocketReference second = manager.getOrCreate("/tmp/gen-a.sock")) {
			assertThat(Handles.generation(second)).isNotSameAs(dying);
			assertThat(Handles.generation(second).number()).isGreaterThan(dying.number());
			assertThat(dying.tryAcquire()).isEqualTo(SocketGeneration.NOT_ACQUIRED);
		}
	}

	@Test
	void retainOnClosedReferenceThrowsWithPath() {
		SocketManager manager = manager(SocketOptions.defaults());
		SocketReference reference = manager.getOrCreate("/tmp/gen-b.sock");
		reference.close();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(reference::retain)
			.withMessageContaining("/tmp/gen-b.sock")
			.withMessageContaining("closed");
	}

	@Test
	void retainAfterForcedCleanupThrowsAndCountStaysZero() {
		SocketManager manager = manager(SocketOptions.defaults());
		SocketReference reference = manager.getOrCreate("/tmp/gen-c.sock");
		manager.cleanupAllSockets();
		assertThat(reference.isActive()).isFalse();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(reference::retain)
			.withMessageContaining("stopped");
		reference.close();
		assertThat(reference.referenceCount()).isZero();
	}

	@Test
	void closeTwiceReleasesOnce() {
		SocketManager manager = manager(SocketOptions.defaults());
		SocketReference first = manager.getOrCreate("/tmp/gen-d.sock");
		SocketReference second = first.retain();
		second.close();
		second.close();
		assertThat(first.referenceCount()).isEqualTo(1);
		assertThat(first.isActive()).isTrue();
		first.close();
	}

	@Test
	@Timeout(30)
	void concurrentRetainAndCloseKeepTheCountExact() throws Exception {
		SocketManager manager = manager(SocketOptions.defaults());
		SocketReference anchor = manager.getOrCreate("/tmp/gen-e.sock");
		int threads = 4;
		int rounds = 20_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int repeat = 0; repeat < 20; repeat++) {
				CyclicBarrier start = new CyclicBarrier(threads);
				List<Future<List<SocketReference>>> results = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					results.add(executor.submit(() -> {
						start.await();
						List<SocketReference> kept = new ArrayList<>();
						for (int i = 0; i < rounds; i++) {
							SocketReference extra = anchor.retain();
							if (i % 3 == 0) {
								kept.add(extra);
							}
							else {
								extra.close();
							}
						}
						return kept;
					}));
				}
				int kept = 0;
				List<SocketReference> all = new ArrayList<>();
				for (Future<List<SocketReference>> result : results) {
					all.addAll(result.get());
				}
				kept = all.size();
				assertThat(anchor.referenceCount()).isEqualTo(1 + kept);
				all.forEach(SocketReference::close);
				assertThat(anchor.referenceCount()).isEqualTo(1);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	@Timeout(30)
	void lastReleaseRacingAcquireNeverRevivesADeadGeneration() throws Exception {
		SocketManager manager = manager(SocketOptions.defaults());
		ExecutorService executor = Executors.newFixedThreadPool(2);
		AtomicInteger revived = new AtomicInteger();
		try {
			for (int i = 0; i < 20_000; i++) {
				SocketReference reference = manager.getOrCreate("/tmp/gen-f.sock");
				SocketGeneration generation = Handles.generation(reference);
				CountDownLatch start = new CountDownLatch(1);
				Future<?> closer = executor.submit(() -> {
					start.await();
					reference.close();
					return null;
				});
				Future<Integer> acquirer = executor.submit(() -> {
					start.await();
					return generation.tryAcquire();
				});
				start.countDown();
				closer.get();
				int slot = acquirer.get();
				if (slot != SocketGeneration.NOT_ACQUIRED) {
					// The acquire won: the generation must still be alive with exactly that reference.
					if (generation.isDead() || generation.referenceCount() != 1) {
						revived.incrementAndGet();
					}
					generation.release(slot);
				}
				else {
					assertThat(generation.isDead()).isTrue();
				}
				assertThat(generation.isDead()).isTrue();
				assertThat(manager.activeSocketCount()).isZero();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(revived).hasValue(0);
	}

	@Test
	@Timeout(60)
	void racingLastReleasesCleanUpExactlyOnceAndNeverStrandAReference() throws Exception {
		RecordingEvents events = new RecordingEvents();
		SocketManager manager = Handles.withListeners(SocketManager.builder()
			.name("generation-test")
			.shutdownHook(false)
			.eventListener(events), UnboundListener.FACTORY);
		this.managers.add(manager);
		int closers = 4;
		ExecutorService executor = Executors.newFixedThreadPool(closers + 1);
		try {
			for (int i = 0; i < 10_000; i++) {
				SocketReference first = manager.getOrCreate("/tmp/gen-m.sock");
				SocketGeneration generation = Handles.generation(first);
				List<SocketReference> held = new ArrayList<>(List.of(first));
				for (int r = 1; r < closers; r++) {
					held.add(first.retain());
				}
				// Odd rounds add a latecomer; even rounds have none, so a count left at zero without
				// cleanup cannot be rescued by the latecomer's own close.
				boolean latecomer = (i % 2) == 1;
				CyclicBarrier start = new CyclicBarrier(latecomer ? closers + 1 : closers);
				List<Future<?>> closes = new ArrayList<>();
				for (SocketReference reference : held) {
					closes.add(executor.submit(() -> {
						start.await();
						reference.close();
						return null;
					}));
				}
				Future<SocketReference> acquire = latecomer ? executor.submit(() -> {
					start.await();
					return manager.getOrCreate("/tmp/gen-m.sock");
				}) : null;
				for (Future<?> close : closes) {
					close.get();
				}
				if (acquire != null) {
					try (SocketReference late = acquire.get()) {
						// Revived before cleanup began, or a new generation after it: active either way.
						assertThat(late.isActive()).isTrue();
						assertThat(late.referenceCount()).isEqualTo(1);
						if (Handles.generation(late) != generation) {
							assertThat(generation.isDead()).isTrue();
						}
					}
				}
				else {
					assertThat(generation.isDead()).as("generation dead after its last close").isTrue();
				}
				assertThat(manager.activeSocketCount()).as("sockets left after every reference closed").isZero();
			}
		}
		finally {
			executor.shutdownNow();
		}
		// Events arrive in order: once this socket's close is in, every earlier event is.
		manager.getOrCreate("/tmp/gen-flush.sock").close();
		await().atMost(Duration.ofSeconds(10)).until(() -> events.count("closed /tmp/gen-flush.sock") == 1);
		assertThat(events.count("closed /tmp/gen-m.sock")).isEqualTo(events.count("bound /tmp/gen-m.sock"));
	}

	@Test
	void staleLingerTaskDoesNotKillARevivedGeneration() {
		SocketManager manager = manager(SocketOptions.builder().cleanupDelay(Duration.ofHours(1)).build());
		SocketReference first = manager.getOrCreate("/tmp/gen-g.sock");
		SocketGeneration generation = Handles.generation(first);
		first.close();
		long firstEpoch = generation.lingerEpoch();
		assertThat(generation.snapshot().state()).isEqualTo(SocketSnapshot.State.LINGERING);
		SocketReference second = manager.getOrCreate("/tmp/gen-g.sock");
		assertThat(Handles.generation(second)).isSameAs(generation);
		second.close();
		long secondEpoch = generation.lingerEpoch();
		assertThat(secondEpoch).isNotEqualTo(firstEpoch);
		generation.lingerEnded(firstEpoch);
		assertThat(generation.isServing()).isTrue();
		assertThat(manager.isSocketActive("/tmp/gen-g.sock")).isTrue();
		generation.lingerEnded(secondEpoch);
		assertThat(generation.isDead()).isTrue();
		assertThat(manager.isSocketActive("/tmp/gen-g.sock")).isFalse();
	}

	@Test
	void lingerEndsWhileReferencedDoesNothing() {
		SocketManager manager = manager(SocketOptions.builder().cleanupDelay(Duration.ofHours(1)).build());
		SocketReference first = manager.getOrCreate("/tmp/gen-h.sock");
		SocketGeneration generation = Handles.generation(first);
		first.close();
		long epoch = generation.lingerEpoch();
		try (SocketReference revived = manager.getOrCreate("/tmp/gen-h.sock")) {
			generation.lingerEnded(epoch);
			assertThat(revived.isActive()).isTrue();
			assertThat(revived.referenceCount()).isEqualTo(1);
		}
	}

	@Test
	void maxReferencesRefusesWithTheNumbersAndChangesNothing() {
		SocketManager manager = manager(SocketOptions.builder().maxReferences(2).build());
		SocketReference first = manager.getOrCreate("/tmp/gen-i.sock");
		SocketReference second = manager.getOrCreate("/tmp/gen-i.sock");
		assertThatExceptionOfType(SocketLimitException.class).isThrownBy(() -> manager.getOrCreate("/tmp/gen-i.sock"))
			.withMessage("Socket '/tmp/gen-i.sock' already has 2 references, its limit of references")
			.satisfies((ex) -> assertThat(ex.getLimit()).isEqualTo(2));
		assertThatExceptionOfType(SocketLimitException.class).isThrownBy(first::retain);
		assertThat(first.referenceCount()).isEqualTo(2);
		second.close();
		first.retain().close();
		first.close();
	}

	@Test
	void maxSocketsRefusesANewPathButSharesExistingOnes() {
		SocketManager manager = Handles.withListeners(SocketManager.builder()
			.shutdownHook(false)
			.maxSockets(1), UnboundListener.FACTORY);
		this.managers.add(manager);
		try (SocketReference first = manager.getOrCreate("/tmp/gen-j.sock")) {
			assertThatExceptionOfType(SocketLimitException.class)
				.isThrownBy(() -> manager.getOrCreate("/tmp/gen-k.sock"))
				.withMessageContaining("'/tmp/gen-k.sock'")
				.withMessageContaining("already has 1 sockets");
			manager.getOrCreate("/tmp/gen-j.sock").close();
			assertThat(manager.activeSocketCount()).isEqualTo(1);
		}
		manager.getOrCreate("/tmp/gen-k.sock").close();
	}

	@Test
	@Timeout(10)
	void awaitingBindersGetTheBindFailure() throws Exception {
		CountDownLatch binding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		SocketManager manager = Handles.withListeners(SocketManager.builder().shutdownHook(false), (path, g, o, c) -> {
			binding.countDown();
			try {
				release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			throw new SocketInUseException(path);
		});
		this.managers.add(manager);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<?> creator = executor.submit(() -> manager.getOrCreate("/tmp/gen-l.sock"));
			binding.await();
			Future<?> waiter = executor.submit(() -> manager.getOrCreate("/tmp/gen-l.sock"));
			release.countDown();
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class).isThrownBy(creator::get)
				.withCauseInstanceOf(SocketInUseException.class);
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class).isThrownBy(waiter::get)
				.withCauseInstanceOf(SocketInUseException.class);
			assertThat(manager.snapshots()).isEmpty();
		}
		finally {
			executor.shutdownNow();
		}
	}

}
