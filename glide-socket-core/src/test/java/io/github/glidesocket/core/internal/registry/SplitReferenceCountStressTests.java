package io.github.glidesocket.core.internal.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.internal.transport.UnboundListener;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Threads acquiring and closing references to two paths at full speed, on the registry alone (no
 * socket is bound, so nothing slows them down). They collide on a socket's count, which moves the
 * count into per-thread cells (and, so that this happens however the threads are scheduled, some
 * steps move it there on purpose), and the count reaches zero again and again while other threads
 * acquire, which exercises the hand-shake between a release that finds zero and an acquire that
 * comes in at that moment.
 * <p>
 * Every thread checks each reference right after acquiring it and right before closing it: it must
 * be active (no generation dies while referenced, none is handed out dead). At each checkpoint all
 * threads stop and one checks: each generation's count equals the references held to it, and a
 * path nobody holds has no live socket (no generation stranded at zero). At the end every socket
 * that was bound has been closed exactly once.
 */
class SplitReferenceCountStressTests {

	private static final String[] PATHS = { "/glide-split-count/a.sock", "/glide-split-count/b.sock" };

	/** A socket bound and closed after the workers, whose closed event shows that every earlier event arrived. */
	private static final String FLUSH = "/glide-split-count/flush.sock";

	private static final int OPERATIONS_PER_CHECKPOINT = 50_000;

	private static final int CHECKPOINTS = 10;

	private static final int MAX_HELD = 3;

	@ParameterizedTest(name = "{0} threads")
	@ValueSource(ints = { 2, 4, 8 })
	@Timeout(120)
	void referencesSharedAtFullSpeedAreNeverLostNorStranded(int threads) throws Exception {
		AtomicLong bound = new AtomicLong();
		AtomicLong closed = new AtomicLong();
		AtomicBoolean flushed = new AtomicBoolean();
		AtomicLong acquiredInCells = new AtomicLong();
		Queue<String> violations = new ConcurrentLinkedQueue<>();
		List<List<SocketReference>> held = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			held.add(new ArrayList<>());
		}
		try (SocketManager manager = Handles.withListeners(SocketManager.builder()
			.name("split-count")
			.shutdownHook(false)
			
			.eventListener(new SocketEventListener() {

				@Override
				public void socketBound(String path) {
					if (!path.equals(FLUSH)) {
						bound.incrementAndGet();
					}
				}

				@Override
				public void socketClosed(String path, Duration cleanupTime) {
					if (path.equals(FLUSH)) {
						flushed.set(true);
					}
					else {
						closed.incrementAndGet();
					}
				}

			}), UnboundListener.FACTORY)) {
			CyclicBarrier checkpoint = new CyclicBarrier(threads,
					() -> checkQuiescent(manager, held, violations));
			ExecutorService executor = Executors.newFixedThreadPool(threads);
			try {
				List<Future<?>> workers = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					List<SocketReference> mine = held.get(t);
					Random random = new Random(17L * t + threads);
					workers.add(executor.submit(() -> {
						try {
							for (int round = 0; round < CHECKPOINTS; round++) {
								for (int i = 0; i < OPERATIONS_PER_CHECKPOINT; i++) {
									step(manager, mine, random, violations, acquiredInCells);
								}
								// A worker that failed never arrives: the others stop waiting after a while.
								checkpoint.await(30, TimeUnit.SECONDS);
							}
						}
						catch (BrokenBarrierException | TimeoutException ex) {
							violations.add("a checkpoint was not reached by every worker: " + ex);
						}
						catch (RuntimeException ex) {
							// Such as a retain of a reference whose socket died under it.
							violations.add("worker failed: " + ex);
						}
						for (SocketReference reference : mine) {
							reference.close();
						}
						mine.clear();
						return null;
					}));
				}
				for (Future<?> worker : workers) {
					worker.get();
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(violations).isEmpty();
			assertThat(manager.activeSocketCount()).as("sockets left after every reference closed").isZero();
			assertThat(manager.snapshots()).isEmpty();
			// Events arrive in order: once this socket's close is in, every earlier event is.
			manager.getOrCreate(FLUSH).close();
			await().atMost(Duration.ofSeconds(30)).untilTrue(flushed);
			assertThat(closed.get()).as("sockets closed, of %d bound", bound.get()).isEqualTo(bound.get());
			// Each path is bound once at the start; every further bind followed a count that reached
			// zero while the threads raced. With many threads on a loaded machine a thread is often
			// descheduled holding references, so zero is reached seldom: at least once is asked.
			assertThat(bound.get()).as("sockets bound: the count reached zero while threads raced")
				.isGreaterThan(PATHS.length);
			assertThat(acquiredInCells.get()).as("references acquired on a socket that counts in cells")
				.isPositive();
		}
	}

	private static void step(SocketManager manager, List<SocketReference> mine, Random random,
			Queue<String> violations, AtomicLong acquiredInCells) {
		if (!mine.isEmpty() && (mine.size() == MAX_HELD || random.nextBoolean())) {
			SocketReference reference = mine.remove(random.nextInt(mine.size()));
			if (!reference.isActive()) {
				violations.add("A reference to " + reference.path() + " was inactive before its close");
			}
			reference.close();
			return;
		}
		SocketReference reference = (random.nextInt(4) == 0 && !mine.isEmpty())
				? mine.get(random.nextInt(mine.size())).retain()
				: manager.getOrCreate(PATHS[random.nextInt(PATHS.length)]);
		if (!reference.isActive() || reference.referenceCount() < 1) {
			violations.add("A reference to " + reference.path() + " was handed out inactive: " + reference);
		}
		if (Handles.generation(reference).countsInCells()) {
			acquiredInCells.incrementAndGet();
		}
		else if (random.nextInt(16) == 0) {
			Handles.generation(reference).countInCells();
		}
		mine.add(reference);
	}

	private static void checkQuiescent(SocketManager manager, List<List<SocketReference>> held,
			Queue<String> violations) {
		Map<SocketGeneration, Integer> expected = new IdentityHashMap<>();
		for (List<SocketReference> references : held) {
			for (SocketReference reference : references) {
				expected.merge(Handles.generation(reference), 1, Integer::sum);
			}
		}
		expected.forEach((generation, count) -> {
			if (generation.referenceCount() != count) {
				violations.add(generation + " counts " + generation.referenceCount() + ", " + count + " are held");
			}
		});
		for (String path : PATHS) {
			boolean referenced = expected.keySet().stream().anyMatch((generation) -> generation.path().equals(path));
			if (!referenced && manager.snapshot(path).isPresent()) {
				violations.add("Socket " + path + " is live with no reference held: " + manager.snapshot(path).get());
			}
		}
	}

}
