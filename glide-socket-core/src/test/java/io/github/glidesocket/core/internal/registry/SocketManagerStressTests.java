package io.github.glidesocket.core.internal.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketManagerTests;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;
import io.github.glidesocket.core.internal.transport.UnixSocketListener;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random getOrCreate / retain / close on real sockets from several threads, with the invariants
 * of the registry checked all the time and, at quiescent checkpoints, exactly.
 * <p>
 * While running, every thread checks each reference it holds, right after acquiring it and again
 * right before closing it: the reference is active (no resurrection: a handle is only handed out
 * for a live generation), the registry entry for its path is its generation (no other cleanup
 * removed it), and the file at the path is the one its generation bound (no other cleanup
 * unlinked it). A cleanup that removes by path, as the original design does, breaks the last two
 * within seconds. At each checkpoint all threads stop and one checks: every count equals the
 * references held, one generation per path, the socket count and totals agree with the registry,
 * and the directory holds exactly the live sockets (staging directories go once a socket is
 * published).
 */
class SocketManagerStressTests {

	private static final int CHECKPOINT_EVERY = 250;

	private static final int CHECKPOINTS = 16;

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0} threads, {1} paths")
	@CsvSource({ "4, 1", "4, 4", "6, 16", "8, 64" })
	@Timeout(180)
	void randomAcquireRetainCloseKeepsEveryInvariant(int threads, int paths) throws Exception {
		int checkpoints = CHECKPOINTS;
		Queue<String> violations = new ConcurrentLinkedQueue<>();
		List<List<SocketReference>> held = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			held.add(new ArrayList<>());
		}
		String name = "stress-" + threads + "-" + paths;
		try (SocketManager manager = SocketManager.builder()
			.name(name)
			.shutdownHook(false)
			.fileCheckInterval(java.time.Duration.ZERO)
			.defaults(SocketOptions.builder()
				.handler((connection) -> connection.inputStream().transferTo(connection.outputStream()))
				.build())
			.build()) {
			StressWorkers.run(held, () -> checkQuiescent(manager, held, violations), violations,
					(mine, random, barrier) -> work(manager, mine, random, paths, checkpoints, barrier, violations));
			assertThat(violations).as("invariant violations").isEmpty();
			assertThat(manager.activeSocketCount()).isZero();
			assertThat(manager.snapshots()).isEmpty();
			assertThat(this.directory).isEmptyDirectory();
		}
		await().atMost(java.time.Duration.ofSeconds(10)).until(() -> StressWorkers.liveThreads(name + "-accept-") == 0);
	}

	private void work(SocketManager manager, List<SocketReference> mine, Random random, int paths, int checkpoints,
			CyclicBarrier checkpoint, Queue<String> violations) throws Exception {
		for (int round = 0; round < checkpoints && violations.isEmpty(); round++) {
			for (int op = 0; op < CHECKPOINT_EVERY; op++) {
				int choice = random.nextInt(100);
				if (choice < 45 || mine.isEmpty()) {
					SocketReference reference = manager.getOrCreate(path(random.nextInt(paths)));
					checkHeld(manager, reference, "after getOrCreate", violations);
					mine.add(reference);
				}
				else if (choice < 60) {
					SocketReference reference = mine.get(random.nextInt(mine.size())).retain();
					checkHeld(manager, reference, "after retain", violations);
					mine.add(reference);
				}
				else if (choice < 62) {
					SocketReference reference = mine.get(random.nextInt(mine.size()));
					if (!"x".equals(SocketManagerTests.roundTrip(reference, "x"))) {
						violations.add("echo failed on " + reference);
					}
				}
				else {
					SocketReference reference = mine.remove(random.nextInt(mine.size()));
					checkHeld(manager, reference, "before close", violations);
					reference.close();
				}
				while (mine.size() > 6) {
					mine.remove(0).close();
				}
			}
			checkpoint.await();
		}
	}

	private static void checkHeld(SocketManager manager, SocketReference reference, String when,
			Queue<String> violations) {
		SocketGeneration generation = Handles.generation(reference);
		if (!reference.isActive()) {
			violations.add(when + ": inactive reference " + reference + " (generation " + generation.number() + ")");
			return;
		}
		SocketGeneration registered = Handles.manager(manager).registry().get(reference.path());
		if (registered != generation) {
			violations.add(when + ": registry entry for " + reference.path() + " is "
					+ ((registered != null) ? "generation " + registered.number() : "missing")
					+ " while generation " + generation.number() + " is referenced");
		}
		if (generation.listener() instanceof UnixSocketListener listener) {
			Object fileKey = UnixSocketBinder.fileKey(Path.of(reference.path()));
			if (!listener.fileKey().equals(fileKey)) {
				violations.add(when + ": file of generation " + generation.number() + " at " + reference.path()
						+ " is " + ((fileKey != null) ? "replaced" : "gone") + " while referenced");
			}
		}
	}

	private void checkQuiescent(SocketManager manager, List<List<SocketReference>> held, Queue<String> violations) {
		Map<SocketGeneration, Integer> expected = new HashMap<>();
		Map<String, SocketGeneration> byPath = new HashMap<>();
		for (List<SocketReference> mine : held) {
			for (SocketReference reference : mine) {
				expected.merge(Handles.generation(reference), 1, Integer::sum);
				SocketGeneration other = byPath.put(reference.path(), Handles.generation(reference));
				if (other != null && other != Handles.generation(reference)) {
					violations.add("two live generations for " + reference.path() + ": " + other.number() + " and "
							+ Handles.generation(reference).number());
				}
			}
		}
		Map<String, SocketGeneration> registry = new HashMap<>(Handles.manager(manager).registry());
		if (!registry.keySet().equals(byPath.keySet())) {
			violations.add("registry holds " + registry.keySet() + " but references exist for " + byPath.keySet());
		}
		expected.forEach((generation, count) -> {
			if (generation.referenceCount() != count) {
				violations.add("generation " + generation.number() + " of " + generation.path() + " counts "
						+ generation.referenceCount() + " references but " + count + " are open");
			}
		});
		int total = expected.values().stream().mapToInt(Integer::intValue).sum();
		if (manager.activeSocketCount() != byPath.size() || manager.totalReferenceCount() != total) {
			violations.add("manager reports " + manager.activeSocketCount() + " sockets and "
					+ manager.totalReferenceCount() + " references; expected " + byPath.size() + " and " + total);
		}
		Set<String> files = new HashSet<>();
		int staging = 0;
		try (Stream<Path> entries = Files.list(this.directory)) {
			for (Path entry : (Iterable<Path>) entries::iterator) {
				if (entry.getFileName().toString().startsWith(".g")) {
					staging++;
				}
				else {
					files.add(entry.toString());
				}
			}
		}
		catch (IOException ex) {
			violations.add("cannot list " + this.directory + ": " + ex);
		}
		if (!files.equals(byPath.keySet()) || staging != 0) {
			violations.add("directory holds " + files + " and " + staging + " staging directories; live sockets are "
					+ byPath.keySet());
		}
	}

	private String path(int index) {
		return this.directory.resolve("s" + index + ".sock").toString();
	}

}
