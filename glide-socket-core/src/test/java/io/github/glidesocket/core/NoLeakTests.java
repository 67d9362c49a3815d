package io.github.glidesocket.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static io.github.glidesocket.core.SocketPathValidationTests.listing;
import static io.github.glidesocket.core.SocketPathValidationTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After many binds, closes and connections, everything a socket uses comes back: open file
 * descriptors, the manager's threads, registry entries and files. Descriptor and thread counts are
 * read from {@code /proc/self/fd} and the live threads named after the manager. Afterwards there must
 * be no more descriptors than before: equality would fail whenever an unrelated descriptor (a jar, a
 * previous test's client) happens to close meanwhile, while any leak here adds descriptors.
 */
@Timeout(120)
class NoLeakTests {

	private static final Duration SETTLE = Duration.ofSeconds(10);

	private static final String CLOSED_WHILE_LISTING = "(closed while listing)";

	@TempDir
	Path directory;

	private final List<SocketManager> managers = new ArrayList<>();

	private final AtomicInteger bound = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private final AtomicInteger connectionsClosed = new AtomicInteger();

	@BeforeEach
	void warmUp() throws IOException {
		// Load classes and the native library, and open the jars they come from, before counting.
		try (SocketManager manager = SocketManager.builder().name("noleak-warmup").shutdownHook(false)
			.defaults(SocketOptions.builder().handler(SocketPathValidationTests::echo).build()).build();
				SocketReference reference = manager.getOrCreate(this.directory.resolve("w.sock").toString());
				AFUNIXSocket client = reference.connect()) {
			assertThat(roundTrip(client, "warm")).isEqualTo("warm");
		}
		await().atMost(SETTLE).until(() -> threads("noleak-warmup") == 0);
	}

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(String name) {
		return manager(name, SocketOptions.builder().handler(SocketPathValidationTests::echo).build());
	}

	private SocketManager manager(String name, SocketOptions options) {
		SocketManager manager = SocketManager.builder()
			.name(name)
			.eventLoopThreads(1)
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.defaults(options)
			.eventListener(new SocketEventListener() {

				@Override
				public void socketBound(String path) {
					NoLeakTests.this.bound.incrementAndGet();
				}

				@Override
				public void socketClosed(String path, Duration cleanupTime) {
					NoLeakTests.this.closed.incrementAndGet();
				}

				@Override
				public void connectionClosed(String path) {
					NoLeakTests.this.connectionsClosed.incrementAndGet();
				}

			})
			.build();
		this.managers.add(manager);
		return manager;
	}

	/**
	 * Both ways of binding: beside the path in a directory only this user can enter, and through
	 * a staging directory in one that others may enter.
	 */
	@ParameterizedTest(name = "event loops: {0}, directory {1}")
	@CsvSource({ "false, rwx------", "true, rwx------", "false, rwxr-xr-x", "true, rwxr-xr-x" })
	void tenThousandBindAndCloseCyclesLeaveNoDescriptorsThreadsEntriesOrFiles(boolean eventLoops, String directoryMode)
			throws IOException {
		String name = "noleak-binds";
		Path sockets = Files.createDirectory(this.directory.resolve("sockets"));
		Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString(directoryMode));
		SocketOptions.Builder options = SocketOptions.builder();
		if (eventLoops) {
			options.eventHandler((connection) -> connection::write);
		}
		else {
			options.handler(SocketPathValidationTests::echo);
		}
		SocketManager manager = manager(name, options.build());
		// Start the manager's acceptor loop, which accepts for every socket, and in event-loop mode
		// its one serving loop (each an epoll and an eventfd descriptor) before counting.
		try (SocketReference warm = manager.getOrCreate(sockets.resolve("warm.sock").toString());
				AFUNIXSocket client = warm.connect()) {
			assertThat(roundTrip(client, "warm")).isEqualTo("warm");
		}
		await().atMost(SETTLE).until(() -> this.connectionsClosed.get() == 1 && this.closed.get() == 1);
		this.connectionsClosed.set(0);
		this.bound.set(0);
		this.closed.set(0);
		Map<String, Long> kinds = settledDescriptorKinds();
		long descriptors = total(kinds);
		int connections = 0;
		for (int i = 0; i < 10_000; i++) {
			String path = sockets.resolve("s" + (i % 3) + ".sock").toString();
			try (SocketReference reference = manager.getOrCreate(path); SocketReference retained = reference.retain()) {
				assertThat(retained.referenceCount()).isEqualTo(2);
				if (i % 50 == 0) {
					try (AFUNIXSocket client = reference.connect()) {
						assertThat(roundTrip(client, "cycle " + i)).isEqualTo("cycle " + i);
					}
					connections++;
				}
			}
		}
		assertThat(connections).isEqualTo(200);
		await().atMost(SETTLE).untilAsserted(() -> {
			assertThat(this.bound).hasValue(10_000);
			assertThat(this.closed).hasValue(10_000);
		});
		assertRegistryEmpty(manager);
		assertThat(listing(sockets)).isEmpty();
		await().atMost(SETTLE).untilAsserted(() -> {
			assertThat(threads(name + "-accept-")).isZero();
			assertThat(threads(name + "-loop-")).isEqualTo(eventLoops ? 1 : 0);
			assertThat(this.connectionsClosed).hasValue(200);
			assertThat(openDescriptors()).as(() -> change(kinds, descriptorKinds())).isLessThanOrEqualTo(descriptors);
		});
		manager.close();
		await().atMost(SETTLE).untilAsserted(() -> {
			assertThat(threads(name)).as("threads named %s-*", name).isZero();
			assertThat(openDescriptors()).as(() -> change(kinds, descriptorKinds())).isLessThanOrEqualTo(descriptors);
		});
	}

	@Test
	void twoHundredClientConnectionsLeaveNoDescriptorsConnectionsOrThreads() throws Exception {
		String name = "noleak-connections";
		Map<String, Long> kinds = settledDescriptorKinds();
		long descriptors = total(kinds);
		SocketManager manager = manager(name);
		String path = this.directory.resolve("s.sock").toString();
		try (SocketReference reference = manager.getOrCreate(path)) {
			Map<String, Long> kindsBound = settledDescriptorKinds();
			long descriptorsBound = total(kindsBound);
			ExecutorService clients = Executors.newFixedThreadPool(8);
			try {
				List<Future<?>> done = new ArrayList<>();
				CountDownLatch start = new CountDownLatch(1);
				for (int client = 0; client < 8; client++) {
					int id = client;
					done.add(clients.submit(() -> {
						start.await();
						for (int i = 0; i < 25; i++) {
							try (AFUNIXSocket socket = reference.connect()) {
								String line = "client " + id + " connection " + i;
								assertThat(roundTrip(socket, line)).isEqualTo(line);
							}
						}
						return null;
					}));
				}
				start.countDown();
				for (Future<?> future : done) {
					future.get();
				}
			}
			finally {
				clients.shutdownNow();
			}
			await().atMost(SETTLE).untilAsserted(() -> {
				assertThat(manager.activeConnectionCount()).isZero();
				assertThat(this.connectionsClosed).hasValue(200);
				assertThat(openDescriptors()).as(() -> change(kindsBound, descriptorKinds())).isLessThanOrEqualTo(descriptorsBound);
			});
			SocketSnapshot snapshot = manager.snapshot(path).orElseThrow();
			assertThat(snapshot.acceptedConnections()).isEqualTo(200);
			assertThat(snapshot.rejectedConnections()).isZero();
			assertThat(threads(name + "-accept-")).as("thread-mode sockets accept on the acceptor loop too").isZero();
		}
		assertRegistryEmpty(manager);
		assertThat(listing(this.directory)).isEmpty();
		manager.close();
		await().atMost(SETTLE).untilAsserted(() -> {
			assertThat(threads(name)).as("threads named %s-*", name).isZero();
			assertThat(openDescriptors()).as(() -> change(kinds, descriptorKinds())).isLessThanOrEqualTo(descriptors);
		});
	}

	@Test
	void connectionsStillOpenAtLastCloseAreEndedAndTheirDescriptorsReleased() throws Exception {
		String name = "noleak-open-connections";
		SocketManager manager = manager(name);
		// Start the manager's acceptor loop (an epoll and an eventfd descriptor) before counting.
		manager.getOrCreate(this.directory.resolve("warm.sock").toString()).close();
		Map<String, Long> kinds = settledDescriptorKinds();
		long descriptors = total(kinds);
		String path = this.directory.resolve("s.sock").toString();
		List<AFUNIXSocket> clients = new ArrayList<>();
		try {
			try (SocketReference reference = manager.getOrCreate(path)) {
				for (int i = 0; i < 20; i++) {
					AFUNIXSocket client = reference.connect();
					clients.add(client);
					assertThat(roundTrip(client, "open " + i)).isEqualTo("open " + i);
				}
				assertThat(manager.activeConnectionCount()).isEqualTo(20);
			}
			for (AFUNIXSocket client : clients) {
				assertThat(client.getInputStream().read()).as("the server ended the connection").isEqualTo(-1);
			}
		}
		finally {
			for (AFUNIXSocket client : clients) {
				client.close();
			}
		}
		assertRegistryEmpty(manager);
		assertThat(listing(this.directory)).isEmpty();
		await().atMost(SETTLE).untilAsserted(() -> {
			assertThat(this.connectionsClosed).hasValue(20);
			assertThat(threads(name + "-accept-")).isZero();
			assertThat(openDescriptors()).as(() -> change(kinds, descriptorKinds())).isLessThanOrEqualTo(descriptors);
		});
		manager.close();
		await().atMost(SETTLE).until(() -> threads(name) == 0);
	}

	private static void assertRegistryEmpty(SocketManager manager) {
		assertThat(manager.activeSocketCount()).isZero();
		assertThat(manager.snapshots()).isEmpty();
		assertThat(manager.totalReferenceCount()).isZero();
		assertThat(manager.activeConnectionCount()).isZero();
	}

	/**
	 * The descriptor kinds once two listings in a row agree and none closed while being listed, so
	 * the baseline holds no descriptor that some other thread was about to close.
	 */
	static Map<String, Long> settledDescriptorKinds() {
		Map<String, Long> previous = descriptorKinds();
		for (int attempt = 0; attempt < 50; attempt++) {
			Map<String, Long> current = descriptorKinds();
			if (current.equals(previous) && !current.containsKey(CLOSED_WHILE_LISTING)) {
				return current;
			}
			previous = current;
			sleep(Duration.ofMillis(20));
		}
		return previous;
	}

	static long total(Map<String, Long> kinds) {
		return kinds.values().stream().mapToLong(Long::longValue).sum();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static long openDescriptors() {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What the open descriptors point at, counted by kind ({@code socket:[]}, a jar, a pipe...).
	 */
	static Map<String, Long> descriptorKinds() {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.map(NoLeakTests::target)
				.collect(Collectors.groupingBy((target) -> target.replaceAll("\\[\\d+\\]", "[]").replaceAll("^/proc/\\d+/fd$", "/proc/<pid>/fd"),
						TreeMap::new, Collectors.counting()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String target(Path descriptor) {
		try {
			return Files.readSymbolicLink(descriptor).toString();
		}
		catch (IOException ex) {
			return CLOSED_WHILE_LISTING;
		}
	}

	/**
	 * The kinds whose count changed, for a failure message that says what leaked.
	 */
	static String change(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> change = new TreeMap<>();
		for (String kind : union(before.keySet(), after.keySet())) {
			long difference = after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L);
			if (difference != 0) {
				change.put(kind, difference);
			}
		}
		return "open descriptors, change by kind " + change;
	}

	private static Set<String> union(Set<String> first, Set<String> second) {
		Set<String> union = new TreeSet<>(first);
		union.addAll(second);
		return union;
	}

	static long threads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith(prefix))
			.count();
	}

}
