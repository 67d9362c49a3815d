package io.github.glidesocket.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;

/**
 * What bound sockets cost as their number grows, in one manager whose sockets are in event-loop
 * mode: time to bind them all, platform threads, resident memory per idle bound socket, time to
 * close them, and bind-plus-last-close cycles per second on one path, in a directory only this
 * user can enter and in one others may enter. Counts and ratios, printed as a table; not a timed
 * test.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.glidesocket.benchmarks.SocketScale [N ...]}
 * (default 100 1000 10000; the process needs a descriptor per socket), or {@code … SocketScale cycles}
 * for the cycles alone. Sockets go to {@code java.io.tmpdir}: a file system that allocates inodes
 * slowly after many were just freed (ext4) makes the cycles right after thousands of binds slower.
 */
public final class SocketScale {

	private SocketScale() {
	}

	public static void main(String[] args) throws Exception {
		boolean cyclesOnly = args.length == 1 && args[0].equals("cycles");
		if (!cyclesOnly) {
			int[] counts = (args.length > 0) ? Stream.of(args).mapToInt(Integer::parseInt).toArray()
					: new int[] { 100, 1_000, 10_000 };
			System.out.println("| sockets bound | bind all | platform threads | RSS growth per socket | close all |");
			System.out.println("| ---: | ---: | ---: | ---: | ---: |");
			for (int count : counts) {
				measure(count);
			}
			System.out.println();
		}
		cycles(20_000, "rwx------");
		cycles(20_000, "rwxr-xr-x");
	}

	private static void measure(int count) throws IOException {
		Path directory = Files.createTempDirectory("glide-scale");
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		try (SocketManager manager = manager()) {
			// One socket first, so the event loops and classes exist before the baseline.
			manager.getOrCreate(directory.resolve("warm.sock").toString()).close();
			long rssBefore = settledRss();
			int threadsBefore = threads.getThreadCount();
			List<SocketReference> references = new ArrayList<>(count);
			long start = System.nanoTime();
			for (int i = 0; i < count; i++) {
				references.add(manager.getOrCreate(directory.resolve(i + ".sock").toString()));
			}
			long bindNanos = System.nanoTime() - start;
			int threadsBound = threads.getThreadCount();
			long rssBound = settledRss();
			start = System.nanoTime();
			references.forEach(SocketReference::close);
			long closeNanos = System.nanoTime() - start;
			System.out.printf("| %,d | %,d ms | %d (before: %d) | %.1f KB | %,d ms |%n", count, bindNanos / 1_000_000,
					threadsBound, threadsBefore, (rssBound - rssBefore) / 1024.0 / count, closeNanos / 1_000_000);
		}
		finally {
			deleteTree(directory);
		}
	}

	/**
	 * Bind and last close on one path in a directory of the given mode: one only this user can
	 * enter needs no staging directory, one that others may enter does (see the binder).
	 */
	private static void cycles(int cycles, String directoryMode) throws IOException {
		Path directory = Files.createTempDirectory("glide-scale");
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(directoryMode));
		try (SocketManager manager = manager()) {
			String path = directory.resolve("cycle.sock").toString();
			for (int i = 0; i < 2_000; i++) {
				manager.getOrCreate(path).close();
			}
			long start = System.nanoTime();
			for (int i = 0; i < cycles; i++) {
				manager.getOrCreate(path).close();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			System.out.printf("bind + last close, directory %s: %,.0f cycles/s (%,d cycles)%n", directoryMode,
					cycles / seconds, cycles);
		}
		finally {
			deleteTree(directory);
		}
	}

	private static SocketManager manager() {
		return SocketManager.builder()
			.name("scale")
			.shutdownHook(false)
			.defaults(SocketOptions.builder().eventHandler((connection) -> connection::write).build())
			.build();
	}

	private static long settledRss() throws IOException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		throw new IllegalStateException("No VmRSS in /proc/self/status");
	}

	private static void deleteTree(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
