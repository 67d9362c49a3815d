package io.github.glidesocket.core.internal.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.glidesocket.core.SocketReference;

/**
 * Runs the workers of a stress test: one thread each, with the references it holds and a random
 * seed of its own, meeting at a checkpoint barrier whose action checks the invariants while every
 * worker stands still. A worker that fails records why and breaks the barrier, so the others stop
 * too. Afterwards every reference still held is closed.
 */
final class StressWorkers {

	private StressWorkers() {
	}

	/**
	 * Run the workers to their end.
	 * @param held the references each worker holds, one list per worker, readable by the
	 * checkpoint action
	 * @param atCheckpoint runs when every worker has reached the barrier
	 * @param violations where failures are recorded
	 * @param work what each worker does
	 */
	static void run(List<List<SocketReference>> held, Runnable atCheckpoint, Queue<String> violations, Work work)
			throws Exception {
		CyclicBarrier checkpoint = new CyclicBarrier(held.size(), atCheckpoint);
		ExecutorService executor = Executors.newFixedThreadPool(held.size());
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < held.size(); t++) {
				List<SocketReference> mine = held.get(t);
				long seed = 31L * t + System.nanoTime();
				workers.add(executor.submit(() -> {
					try {
						work.run(mine, new Random(seed), checkpoint);
					}
					catch (BrokenBarrierException ex) {
						// Another worker failed and broke the barrier; its failure is recorded.
					}
					catch (Exception ex) {
						violations.add("worker failed: " + ex);
						checkpoint.reset();
					}
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
		held.forEach((mine) -> mine.forEach(SocketReference::close));
	}

	/**
	 * The live threads whose names start with the prefix.
	 */
	static long liveThreads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((thread) -> thread.getName().startsWith(prefix)).count();
	}

	/**
	 * What one worker does, with its own references, its random source and the checkpoint
	 * barrier to wait at.
	 */
	@FunctionalInterface
	interface Work {

		void run(List<SocketReference> mine, Random random, CyclicBarrier checkpoint) throws Exception;

	}

}
