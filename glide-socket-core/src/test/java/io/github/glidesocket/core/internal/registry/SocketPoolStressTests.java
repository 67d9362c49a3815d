package io.github.glidesocket.core.internal.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import io.github.glidesocket.core.SocketPool;
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
 * Random acquire, retain and close on a {@link SocketPool} of real sockets from several threads,
 * in the manner of {@link SocketManagerStressTests}.
 * <p>
 * While running, every reference is checked right after it is acquired and right before it is
 * closed: it is active, it is a reference to one of the pool's members, the registry entry for
 * its member is its generation, and the file at the member's path is the one its generation
 * bound. At each checkpoint all threads stop and one checks exactly: every member's count
 * equals the references held to it (read through the pool and through the manager), no member
 * is bound without references and no member file exists without them, the base path is never
 * a file, and a reference acquired now goes to a member with the fewest references. At the end
 * nothing is left: no socket, no entry, no file.
 */
class SocketPoolStressTests {

	private static final int CHECKPOINT_EVERY = 250;

	private static final int CHECKPOINTS = 16;

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0} threads, {1} members")
	@CsvSource({ "4, 2", "6, 3", "8, 8" })
	@Timeout(180)
	void randomAcquireRetainCloseOnAPoolKeepsEveryInvariant(int threads, int size) throws Exception {
		Queue<String> violations = new ConcurrentLinkedQueue<>();
		List<List<SocketReference>> held = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			held.add(new ArrayList<>());
		}
		String name = "pool-stress-" + threads + "-" + size;
		try (SocketManager manager = SocketManager.builder()
			.name(name)
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.defaults(SocketOptions.builder()
				.handler((connection) -> connection.inputStream().transferTo(connection.outputStream()))
				.build())
			.build()) {
			SocketPool pool = manager.pool(this.directory.resolve("app.sock").toString(), size);
			StressWorkers.run(held, () -> checkQuiescent(manager, pool, held, violations), violations,
					(mine, random, barrier) -> work(manager, pool, mine, random, barrier, violations));
			assertThat(violations).as("invariant violations").isEmpty();
			assertThat(manager.activeSocketCount()).isZero();
			assertThat(manager.snapshots()).isEmpty();
			for (int member = 0; member < size; member++) {
				assertThat(pool.referenceCount(member)).isZero();
			}
			assertThat(this.directory).isEmptyDirectory();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> StressWorkers.liveThreads(name + "-accept-") == 0);
	}

	private void work(SocketManager manager, SocketPool pool, List<SocketReference> mine, Random random,
			CyclicBarrier checkpoint, Queue<String> violations) throws Exception {
		for (int round = 0; round < CHECKPOINTS && violations.isEmpty(); round++) {
			for (int op = 0; op < CHECKPOINT_EVERY; op++) {
				int choice = random.nextInt(100);
				if (choice < 50 || mine.isEmpty()) {
					SocketReference reference = pool.acquire();
					checkHeld(manager, pool, reference, "after acquire", violations);
					mine.add(reference);
				}
				else if (choice < 58) {
					SocketReference reference = mine.get(random.nextInt(mine.size())).retain();
					checkHeld(manager, pool, reference, "after retain", violations);
					mine.add(reference);
				}
				else if (choice < 60) {
					SocketReference reference = mine.get(random.nextInt(mine.size()));
					if (!"x".equals(SocketManagerTests.roundTrip(reference, "x"))) {
						violations.add("echo failed on " + reference);
					}
				}
				else {
					SocketReference reference = mine.remove(random.nextInt(mine.size()));
					checkHeld(manager, pool, reference, "before close", violations);
					reference.close();
				}
				while (mine.size() > 6) {
					mine.remove(0).close();
				}
			}
			checkpoint.await();
		}
	}

	private static void checkHeld(SocketManager manager, SocketPool pool, SocketReference reference, String when,
			Queue<String> violations) {
		SocketGeneration generation = Handles.generation(reference);
		if (!pool.memberPaths().contains(reference.path())) {
			violations.add(when + ": reference to " + reference.path() + ", which is not a member of " + pool);
			return;
		}
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
				violations.add(when + ": file of generation " + generation.number() + " at " + reference.path() + " is "
						+ ((fileKey != null) ? "replaced" : "gone") + " while referenced");
			}
		}
	}

	private void checkQuiescent(SocketManager manager, SocketPool pool, List<List<SocketReference>> held,
			Queue<String> violations) {
		Map<String, Integer> expected = new HashMap<>();
		for (List<SocketReference> mine : held) {
			for (SocketReference reference : mine) {
				expected.merge(reference.path(), 1, Integer::sum);
			}
		}
		int fewest = Integer.MAX_VALUE;
		for (int member = 0; member < pool.size(); member++) {
			String path = pool.memberPaths().get(member);
			int count = expected.getOrDefault(path, 0);
			fewest = Math.min(fewest, count);
			if (pool.referenceCount(member) != count) {
				violations.add("member " + member + " counts " + pool.referenceCount(member) + " references but "
						+ count + " are open");
			}
			int registered = manager.snapshot(path).map((snapshot) -> snapshot.references()).orElse(0);
			if (registered != count) {
				violations.add("the manager reports " + registered + " references to member " + member + " but " + count
						+ " are open");
			}
		}
		Set<String> registry = new HashSet<>(Handles.manager(manager).registry().keySet());
		if (!registry.equals(expected.keySet())) {
			violations.add("registry holds " + registry + " but references exist for " + expected.keySet());
		}
		Set<String> files = new HashSet<>();
		try (Stream<Path> entries = Files.list(this.directory)) {
			entries.forEach((entry) -> files.add(entry.toString()));
		}
		catch (IOException ex) {
			violations.add("cannot list " + this.directory + ": " + ex);
		}
		if (!files.equals(expected.keySet())) {
			violations.add("directory holds " + files + "; members with references are " + expected.keySet());
		}
		// Nobody else acquires now: the choice must be a member with the fewest references.
		try (SocketReference probe = pool.acquire()) {
			int chosen = expected.getOrDefault(probe.path(), 0);
			if (chosen != fewest) {
				violations.add("acquire chose " + probe.path() + " with " + chosen + " references while a member had "
						+ fewest);
			}
		}
		catch (RuntimeException ex) {
			violations.add("acquire at a checkpoint failed: " + ex);
		}
	}

}
