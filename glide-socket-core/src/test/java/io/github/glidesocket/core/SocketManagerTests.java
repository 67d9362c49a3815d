package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.internal.registry.Handles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketManager} with real sockets: the API of the original design and the
 * lifecycle of socket files.
 */
@Timeout(30)
public class SocketManagerTests {

	@TempDir
	Path directory;

	private final RecordingEvents events = new RecordingEvents();

	private final List<SocketManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(SocketOptions options) {
		return manager(SocketManager.builder().defaults(options));
	}

	private SocketManager manager(SocketManager.Builder builder) {
		SocketManager manager = builder.name("manager-test").shutdownHook(false).eventListener(this.events).build();
		this.managers.add(manager);
		return manager;
	}

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	private static SocketOptions echo() {
		return SocketOptions.builder().handler((connection) -> connection.inputStream().transferTo(connection.outputStream())).build();
	}

	@Test
	void getOrCreateBindsOwnerOnlySocketAndLastCloseRemovesIt() throws IOException {
		SocketManager manager = manager(echo());
		String path = path("a.sock");
		SocketReference reference = manager.getOrCreate(path);
		assertThat(reference.path()).isEqualTo(path);
		assertThat(reference.referenceCount()).isEqualTo(1);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path), LinkOption.NOFOLLOW_LINKS)))
			.isEqualTo("rw-------");
		assertThat(roundTrip(reference, "ping")).isEqualTo("ping");
		reference.close();
		assertThat(Path.of(path)).doesNotExist();
		assertThat(reference.isActive()).isFalse();
		assertThat(manager.isSocketActive(path)).isFalse();
		assertThat(manager.activeSocketCount()).isZero();
		assertThat(this.directory).isEmptyDirectory();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.events.size() == 4);
		assertThat(this.events.events).containsExactlyInAnyOrder("bound " + path, "accepted " + path,
				"connection-closed " + path, "closed " + path);
		assertThat(this.events.events.get(0)).isEqualTo("bound " + path);
	}

	@Test
	void getOrCreateOnLivePathSharesTheSocketAndCountsExactly() throws IOException {
		SocketManager manager = manager(echo());
		String path = path("b.sock");
		try (SocketReference first = manager.getOrCreate(path)) {
			SocketReference second = manager.getOrCreate(path);
			SocketReference third = second.retain();
			assertThat(first.referenceCount()).isEqualTo(3);
			second.close();
			second.close();
			assertThat(first.referenceCount()).isEqualTo(2);
			third.close();
			assertThat(first.referenceCount()).isEqualTo(1);
			assertThat(roundTrip(first, "still")).isEqualTo("still");
		}
		assertThat(Path.of(path)).doesNotExist();
		// A listener receives its events in order: once the close is in, so is every bind before it.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.count("closed") == 1);
		assertThat(this.events.count("bound")).isEqualTo(1);
	}

	@Test
	void nonCanonicalPathsNameTheSameSocket() {
		SocketManager manager = manager(echo());
		String path = path("c.sock");
		try (SocketReference first = manager.getOrCreate(path);
				SocketReference second = manager.getOrCreate(this.directory.resolve(".").resolve("c.sock").toString())) {
			assertThat(Handles.generationOf(second)).isSameAs(Handles.generationOf(first));
			assertThat(manager.isSocketActive(this.directory + "/./c.sock")).isTrue();
		}
	}

	@Test
	void getExistingReturnsAReferenceOnlyForALiveSocket() {
		SocketManager manager = manager(echo());
		String path = path("d.sock");
		assertThat(manager.getExisting(path)).isEmpty();
		try (SocketReference first = manager.getOrCreate(path)) {
			try (SocketReference existing = manager.getExisting(path).orElseThrow()) {
				assertThat(existing.referenceCount()).isEqualTo(2);
			}
		}
		assertThat(manager.getExisting(path)).isEmpty();
		assertThat(Path.of(path)).doesNotExist();
	}

	@Test
	@SuppressWarnings("deprecation")
	void registerNewSocketRefusesALivePathAndBindsAFreeOne() {
		SocketManager manager = manager(echo());
		String path = path("e.sock");
		try (SocketReference first = manager.registerNewSocket(path)) {
			assertThatExceptionOfType(SocketInUseException.class).isThrownBy(() -> manager.registerNewSocket(path))
				.withMessageContaining(path);
			assertThat(first.referenceCount()).isEqualTo(1);
		}
	}

	@Test
	@Timeout(30)
	void concurrentGetOrCreateOnOnePathBindsOnce() throws Exception {
		SocketManager manager = manager(echo());
		String path = path("f.sock");
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 50; round++) {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<SocketReference>> futures = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					futures.add(executor.submit(() -> {
						start.await();
						return manager.getOrCreate(path);
					}));
				}
				start.countDown();
				List<SocketReference> references = new ArrayList<>();
				for (Future<SocketReference> future : futures) {
					references.add(future.get());
				}
				assertThat(references).extracting(Handles::generationOf).containsOnly(Handles.generationOf(references.get(0)));
				assertThat(references.get(0).referenceCount()).isEqualTo(8);
				references.forEach(SocketReference::close);
				assertThat(Path.of(path)).doesNotExist();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.events.count("closed") == 50);
			assertThat(this.events.count("bound")).isEqualTo(50);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void cleanupAllSocketsMakesEveryReferenceInactiveAndLeavesTheManagerUsable() throws IOException {
		SocketManager manager = manager(echo());
		SocketReference a = manager.getOrCreate(path("g1.sock"));
		SocketReference b = manager.getOrCreate(path("g2.sock"));
		SocketReference b2 = b.retain();
		manager.cleanupAllSockets();
		assertThat(List.of(a, b, b2)).noneMatch(SocketReference::isActive);
		assertThat(this.directory).isEmptyDirectory();
		assertThat(manager.activeSocketCount()).isZero();
		b.close();
		b2.close();
		assertThat(b.referenceCount()).isZero();
		try (SocketReference again = manager.getOrCreate(path("g1.sock"))) {
			assertThat(Handles.generationOf(again)).isNotSameAs(Handles.generationOf(a));
			assertThat(roundTrip(again, "new")).isEqualTo("new");
		}
		a.close();
	}

	@Test
	void cleanupDelayKeepsTheSocketAndARevivalReusesItWithoutRebinding() throws IOException {
		SocketManager manager = manager(SocketOptions.builder()
			.handler((connection) -> connection.inputStream().transferTo(connection.outputStream()))
			.cleanupDelay(Duration.ofMillis(300))
			.build());
		String path = path("h.sock");
		SocketReference first = manager.getOrCreate(path);
		first.close();
		assertThat(Path.of(path)).exists();
		assertThat(manager.isSocketActive(path)).isTrue();
		assertThat(manager.snapshot(path).orElseThrow().state()).isEqualTo(SocketSnapshot.State.LINGERING);
		try (SocketReference revived = manager.getOrCreate(path)) {
			assertThat(Handles.generationOf(revived)).isSameAs(Handles.generationOf(first));
			assertThat(roundTrip(revived, "linger")).isEqualTo("linger");
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Path.of(path)).doesNotExist());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.count("closed") == 1);
		assertThat(this.events.count("bound")).isEqualTo(1);
		assertThat(manager.isSocketActive(path)).isFalse();
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void startSocketListenerWithReferenceCompletesWithAReference() throws Exception {
		SocketManager manager = manager(echo());
		String path = path("i.sock");
		try (SocketReference reference = manager.startSocketListenerWithReference(path).get(10, TimeUnit.SECONDS)) {
			assertThat(reference.isActive()).isTrue();
			assertThat(Path.of(path)).exists();
		}
		CompletableFuture<SocketReference> failed = manager.startSocketListenerWithReference(path("missing/x.sock"));
		assertThat(failed).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(SocketPathException.class);
	}

	@Test
	void startSocketListenerRefUsesAPrivateDefaultPathAndPassesTheReferenceToTheCallback() throws Exception {
		SocketManager manager = manager(echo());
		AtomicReference<SocketReference> received = new AtomicReference<>();
		CountDownLatch called = new CountDownLatch(1);
		manager.startSocketListenerRef((reference, failure) -> {
			received.set(reference);
			called.countDown();
		});
		assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
		try (SocketReference reference = received.get()) {
			Path socket = Path.of(reference.path());
			assertThat(socket.getFileName().toString()).matches("glide-socket-" + ProcessHandle.current().pid()
					+ "-[0-9a-f-]{36}\\.sock");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
				.isEqualTo("rwx------");
			assertThat(reference.path()).isEqualTo(manager.defaultSocketPath());
		}
		assertThat(Path.of(manager.defaultSocketPath())).doesNotExist();
	}

	@Test
	@SuppressWarnings("deprecation")
	void legacyStartSocketListenerHoldsItsReferenceUntilCleanup() throws Exception {
		SocketManager manager = manager(echo());
		String path = manager.startSocketListener(path("j.sock")).get(10, TimeUnit.SECONDS);
		assertThat(path).isEqualTo(path("j.sock"));
		assertThat(manager.isSocketActive(path)).isTrue();
		assertThat(manager.totalReferenceCount()).isEqualTo(1);
		manager.cleanupAllSockets();
		assertThat(Path.of(path)).doesNotExist();
	}

	@Test
	void getOrCreateAfterCloseThrows() {
		SocketManager manager = manager(echo());
		SocketReference reference = manager.getOrCreate(path("k.sock"));
		manager.close();
		assertThat(reference.isActive()).isFalse();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> manager.getOrCreate(path("k.sock")))
			.withMessage("SocketManager 'manager-test' is shut down");
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void lastCloseFromInsideAHandlerDoesNotDeadlock() throws Exception {
		AtomicReference<SocketReference> holder = new AtomicReference<>();
		CountDownLatch handled = new CountDownLatch(1);
		SocketManager manager = manager(SocketOptions.builder().handler((connection) -> {
			holder.get().close();
			handled.countDown();
		}).build());
		String path = path("l.sock");
		holder.set(manager.getOrCreate(path));
		try (AFUNIXSocket client = holder.get().connect()) {
			assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(client.getInputStream().read()).isEqualTo(-1);
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Path.of(path)).doesNotExist());
		assertThat(manager.activeSocketCount()).isZero();
	}

	@Test
	void socketFileRemovedFromOutsideIsBoundAgainWhileReferenced() throws Exception {
		SocketManager manager = manager(SocketManager.builder().defaults(echo()).fileCheckInterval(Duration.ofMillis(50)));
		String path = path("m.sock");
		try (SocketReference reference = manager.getOrCreate(path)) {
			Files.delete(Path.of(path));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.events.count("rebound") == 1);
			assertThat(Path.of(path)).exists();
			assertThat(manager.snapshot(path).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
			assertThat(roundTrip(reference, "back")).isEqualTo("back");
		}
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void snapshotReportsARemovedSocketFileBeforeTheNextFileCheck() throws Exception {
		// No file check runs during the test: the snapshot must look at the file itself.
		SocketManager manager = manager(SocketManager.builder().defaults(echo()).fileCheckInterval(Duration.ofHours(1)));
		String path = path("removed.sock");
		try (SocketReference reference = manager.getOrCreate(path)) {
			assertThat(manager.snapshot(path).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
			Files.delete(Path.of(path));
			assertThat(manager.snapshot(path).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.MISSING);
			Files.createFile(Path.of(path));
			assertThat(manager.snapshot(path).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.REPLACED);
			Files.delete(Path.of(path));
		}
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void lastCloseEndsOpenConnections() throws Exception {
		SocketManager manager = manager(echo());
		SocketReference reference = manager.getOrCreate(path("n.sock"));
		try (AFUNIXSocket client = reference.connect()) {
			client.getOutputStream().write('x');
			assertThat(client.getInputStream().read()).isEqualTo('x');
			reference.close();
			assertThat(client.getInputStream().read()).isEqualTo(-1);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> manager.activeConnectionCount() == 0);
	}

	@Test
	void snapshotsReportReferencesConnectionsAndPolicy() throws Exception {
		SocketManager manager = manager(echo());
		String path = path("o.sock");
		try (SocketReference reference = manager.getOrCreate(path); AFUNIXSocket client = reference.connect()) {
			client.getOutputStream().write('x');
			assertThat(client.getInputStream().read()).isEqualTo('x');
			SocketSnapshot snapshot = manager.snapshot(path).orElseThrow();
			assertThat(snapshot.path()).isEqualTo(path);
			assertThat(snapshot.state()).isEqualTo(SocketSnapshot.State.ACTIVE);
			assertThat(snapshot.references()).isEqualTo(1);
			assertThat(snapshot.connections()).isEqualTo(1);
			assertThat(snapshot.acceptedConnections()).isEqualTo(1);
			assertThat(snapshot.boundAt()).isNotNull();
			assertThat(snapshot.permissions()).isEqualTo("rw-------");
			assertThat(snapshot.peerPolicy()).contains("uids=[" + PeerCredentials.processUid() + "]");
			assertThat(manager.totalReferenceCount()).isEqualTo(1);
			assertThat(manager.activeConnectionCount()).isEqualTo(1);
		}
	}

	public static String roundTrip(SocketReference reference, String message) throws IOException {
		try (AFUNIXSocket client = reference.connect()) {
			client.setSoTimeout(10_000);
			InputStream input = client.getInputStream();
			client.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
			// Through the channel: on JDK 25, java.net.Socket refuses junixsocket's half-close.
			client.getChannel().shutdownOutput();
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
