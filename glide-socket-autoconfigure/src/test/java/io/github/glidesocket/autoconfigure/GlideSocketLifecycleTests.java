package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.autoconfigure.health.GlideSocketHealthContributorAutoConfiguration;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.health.GlideSocketHealthIndicator;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.AdditionalAnswers;
import org.newsclub.net.unix.AFUNIXSocket;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link GlideSocketLifecycle} with real sockets: listening from startup, and the
 * graceful shutdown of connections within and past the shutdown timeout.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class GlideSocketLifecycleTests {

	@TempDir
	Path directory;

	/** Released by a test to let the blocked handler answer. */
	private final CountDownLatch release = new CountDownLatch(1);

	/** Counted down by the handler once it has read its request. */
	private final CountDownLatch inFlight = new CountDownLatch(1);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void phaseStopsAfterTheWebServerAndItsGracefulShutdown() {
		int webServerGracefulShutdown = SmartLifecycle.DEFAULT_PHASE - 1024;
		int webServerStartStop = SmartLifecycle.DEFAULT_PHASE - 2048;
		assertThat(GlideSocketLifecycle.PHASE).isLessThan(webServerStartStop).isLessThan(webServerGracefulShutdown);
	}

	@Test
	void drainTimeoutLeavesAMarginWithinThePhaseTimeout() {
		assertThat(GlideSocketLifecycle.drainTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(29));
		assertThat(GlideSocketLifecycle.drainTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1800));
		assertThat(GlideSocketLifecycle.drainTimeout(Duration.ZERO)).isZero();
	}

	@Test
	void listenOnStartupHoldsOneReferenceUntilClose() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock")).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			assertThat(manager.snapshot(path("d.sock"))).hasValueSatisfying((snapshot) -> assertThat(snapshot.references()).isEqualTo(1));
			assertThat(context.getBean(GlideSocketLifecycle.class).isRunning()).isTrue();
		});
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void withoutListenOnStartupTheSocketExistsOnlyWhileReferencesExist() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.listen-on-startup=false")
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				assertThat(Path.of(path("d.sock"))).doesNotExist();
				try (SocketReference reference = manager.getOrCreate(path("d.sock"))) {
					assertThat(Path.of(path("d.sock"))).exists();
					assertThat(reference.referenceCount()).isEqualTo(1);
				}
				assertThat(Path.of(path("d.sock"))).doesNotExist();
			});
	}

	@Test
	void whenAConnectionRemainsInFlightThenShutDownGracefullyLetsItFinishWithinTheTimeout() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "spring.lifecycle.timeout-per-shutdown-phase=20s")
			.withBean(SocketConnectionHandler.class, this::blockingHandler)
			.run((context) -> {
				SocketReference outstanding = context.getBean(SocketManager.class).getOrCreate(path("d.sock"));
				try (AFUNIXSocket client = TestSockets.connect(path("d.sock"))) {
					TestSockets.send(client, "request");
					assertThat(this.inFlight.await(10, TimeUnit.SECONDS)).isTrue();
					long start = System.nanoTime();
					CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
					// Shutdown stops accepting and removes the file first, then waits for the connection.
					await().atMost(Duration.ofSeconds(10)).until(() -> !Path.of(path("d.sock")).toFile().exists());
					assertThat(closed).isNotDone();
					this.release.countDown();
					assertThat(TestSockets.readLine(client.getInputStream())).isEqualTo("answer");
					closed.get(15, TimeUnit.SECONDS);
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
				}
				assertThat(outstanding.isActive()).isFalse();
				assertThat(Path.of(path("d.sock"))).doesNotExist();
			});
	}

	@Test
	void whenAConnectionOutlastsTheTimeoutThenShutDownCutsIt(CapturedOutput output) throws Exception {
		try {
			this.contextRunner
				.withPropertyValues("glide.socket.path=" + path("d.sock"),
						"spring.lifecycle.timeout-per-shutdown-phase=1500ms")
				.withBean(SocketConnectionHandler.class, this::endlessAnswerHandler)
				.run((context) -> {
					SocketManager manager = context.getBean(SocketManager.class);
					SocketReference outstanding = manager.getOrCreate(path("d.sock"));
					try (AFUNIXSocket client = TestSockets.connect(path("d.sock"))) {
						TestSockets.send(client, "request");
						assertThat(this.inFlight.await(10, TimeUnit.SECONDS)).isTrue();
						long start = System.nanoTime();
						context.close();
						Duration took = Duration.ofNanos(System.nanoTime() - start);
						assertThat(took).isBetween(Duration.ofMillis(1000), Duration.ofMillis(5000));
						assertThat(readsToEnd(client.getInputStream())).isTrue();
					}
					assertThat(outstanding.isActive()).isFalse();
					assertThat(manager.activeSocketCount()).isZero();
				});
			assertThat(Path.of(path("d.sock"))).doesNotExist();
			assertThat(output).contains("Commencing graceful shutdown of glide-socket sockets")
				.contains("Graceful shutdown of glide-socket sockets aborted");
		}
		finally {
			this.release.countDown();
		}
	}

	@Test
	void stopAndStartOfARunningContextListensAgain() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketConnectionHandler.class, TestSockets::echo)
			.run((context) -> {
				context.stop();
				assertThat(Path.of(path("d.sock"))).doesNotExist();
				assertThat(context.getBean(SocketManager.class).isShuttingDown()).isFalse();
				context.start();
				assertThat(TestSockets.roundTrip(path("d.sock"), "again")).isEqualTo("again");
			});
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void whenStartRunsWhileAStopDrainsThenTheDrainReleasesOnlyTheReferencesHeldWhenThatStopBegan() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "spring.lifecycle.timeout-per-shutdown-phase=20s")
			.withBean(SocketConnectionHandler.class, this::blockingHandler)
			.run((context) -> {
				GlideSocketLifecycle lifecycle = context.getBean(GlideSocketLifecycle.class);
				SocketManager manager = context.getBean(SocketManager.class);
				CountDownLatch stopped = new CountDownLatch(1);
				try (AFUNIXSocket client = TestSockets.connect(path("d.sock"))) {
					TestSockets.send(client, "request");
					assertThat(this.inFlight.await(10, TimeUnit.SECONDS)).isTrue();
					lifecycle.stop(stopped::countDown);
					assertThat(stopped.getCount()).as("the drain waits for the connection in flight").isOne();
					lifecycle.start();
					this.release.countDown();
					assertThat(TestSockets.readLine(client.getInputStream())).isEqualTo("answer");
					assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
				}
				assertThat(lifecycle.isRunning()).isTrue();
				assertThat(manager.snapshot(path("d.sock"))).as("the socket of the second start")
					.hasValueSatisfying((snapshot) -> {
						assertThat(snapshot.state()).isEqualTo(SocketSnapshot.State.ACTIVE);
						assertThat(snapshot.references()).isEqualTo(1);
					});
				assertThat(Path.of(path("d.sock"))).exists();
			});
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void whenTheApplicationsSocketIsStoppedFromOutsideThenItListensAgain() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketConnectionHandler.class, TestSockets::echo)
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				manager.cleanupAllSockets();
				awaitListening(manager, path("d.sock"));
				assertThat(TestSockets.roundTrip(path("d.sock"), "after cleanup")).isEqualTo("after cleanup");
				manager.shutdownSocket(path("d.sock"), Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
				awaitListening(manager, path("d.sock"));
				assertThat(TestSockets.roundTrip(path("d.sock"), "after shutdown")).isEqualTo("after shutdown");
				assertThat(context.getBean(GlideSocketLifecycle.class).unboundSockets()).isEmpty();
			});
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void whileTheApplicationsSocketCannotBeBoundAgainHealthIsDownAndSaysWhyUntilARetrySucceeds() {
		SocketManager real = SocketManager.builder().name("lifecycle-test").shutdownHook(false).build();
		SocketManager manager = mock(SocketManager.class, AdditionalAnswers.delegatesTo(real));
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(GlideSocketHealthContributorAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.file-check-interval=200ms")
			.withBean(SocketManager.class, () -> manager, (definition) -> definition.setDestroyMethodName("close"))
			.run((context) -> {
				GlideSocketHealthIndicator health = context.getBean(GlideSocketHealthIndicator.class);
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				willThrow(new SocketInUseException(path("d.sock"))).given(manager).getOrCreate(path("d.sock"));
				manager.cleanupAllSockets();
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					Health down = health.health();
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					assertThat(down.getDetails().get("failing_sockets")).asInstanceOf(InstanceOfAssertFactories.LIST)
						.singleElement()
						.asInstanceOf(InstanceOfAssertFactories.MAP)
						.containsEntry("name", "default")
						.containsEntry("path", path("d.sock"))
						.hasEntrySatisfying("reason", (reason) -> assertThat(reason).asString().contains("in use"));
				});
				willAnswer((invocation) -> real.getOrCreate(invocation.getArgument(0))).given(manager)
					.getOrCreate(path("d.sock"));
				await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.UP));
				assertThat(manager.snapshot(path("d.sock")))
					.hasValueSatisfying((snapshot) -> assertThat(snapshot.references()).isEqualTo(1));
			});
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void listenOnStartupHoldsOneReferenceToEachPoolMemberAndListensAgainOnAMemberStoppedFromOutside() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=3")
			.withBean(SocketConnectionHandler.class, TestSockets::echo)
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				for (int member = 0; member < 3; member++) {
					assertThat(manager.snapshot(path("d-" + member + ".sock")))
						.hasValueSatisfying((snapshot) -> assertThat(snapshot.references()).isEqualTo(1));
					assertThat(TestSockets.roundTrip(path("d-" + member + ".sock"), "hello")).isEqualTo("hello");
				}
				assertThat(Path.of(path("d.sock"))).doesNotExist();
				assertThat(manager.activeSocketCount()).isEqualTo(3);
				manager.shutdownSocket(path("d-1.sock"), Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
				awaitListening(manager, path("d-1.sock"));
				assertThat(TestSockets.roundTrip(path("d-1.sock"), "again")).isEqualTo("again");
				assertThat(context.getBean(GlideSocketLifecycle.class).unboundSockets()).isEmpty();
			});
		for (int member = 0; member < 3; member++) {
			assertThat(Path.of(path("d-" + member + ".sock"))).doesNotExist();
		}
	}

	private static void awaitListening(SocketManager manager, String path) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(manager.snapshot(path)).hasValueSatisfying((snapshot) -> {
				assertThat(snapshot.state()).isEqualTo(SocketSnapshot.State.ACTIVE);
				assertThat(snapshot.references()).isEqualTo(1);
			}));
	}

	@Test
	void startFailureReleasesWhatItAcquired() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"),
					"glide.socket.sockets.admin.path=" + path("missing/a.sock"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(Path.of(path("d.sock"))).doesNotExist();
			});
	}

	/** Reads the request, then waits for the test before answering. */
	private SocketConnectionHandler blockingHandler() {
		return (connection) -> {
			TestSockets.readLine(connection.inputStream());
			this.inFlight.countDown();
			this.release.await(30, TimeUnit.SECONDS);
			connection.outputStream().write("answer\n".getBytes());
		};
	}

	/**
	 * Reads the request, then streams an endless answer to a client that does not read it, so
	 * it blocks in a write until the connection is closed under it.
	 */
	private SocketConnectionHandler endlessAnswerHandler() {
		return (connection) -> {
			TestSockets.readLine(connection.inputStream());
			this.inFlight.countDown();
			byte[] chunk = new byte[64 * 1024];
			while (this.release.getCount() > 0) {
				connection.outputStream().write(chunk);
			}
		};
	}

	/**
	 * Read until the end of the stream or a failure.
	 * @return whether the stream ended within a bounded number of reads
	 */
	private static boolean readsToEnd(InputStream input) {
		byte[] buffer = new byte[64 * 1024];
		try {
			for (int i = 0; i < 100_000; i++) {
				if (input.read(buffer) == -1) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
