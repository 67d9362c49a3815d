package io.github.glidesocket.metrics;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GlideSocketMetrics} with a real manager and real connections.
 */
@Timeout(30)
class GlideSocketMetricsTests {

	@TempDir
	Path directory;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch served = new CountDownLatch(1);

	private final List<AFUNIXSocket> clients = new ArrayList<>();

	private SocketManager manager;

	private GlideSocketMetrics metrics;

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@AfterEach
	void closeEverything() throws IOException {
		this.release.countDown();
		for (AFUNIXSocket client : this.clients) {
			client.close();
		}
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private void createManager() {
		SocketOptions blocking = SocketOptions.builder().maxConnections(1).handler((connection) -> {
			this.served.countDown();
			this.release.await(20, TimeUnit.SECONDS);
		}).build();
		SocketManager.Builder builder = SocketManager.builder()
			.name("metrics-test")
			.shutdownHook(false)
			.defaults(blocking)
			.socket(path("a.sock"), SocketOptions.defaults());
		// The binder is the manager's event listener; it needs the manager only when measured.
		GlideSocketMetrics[] binder = new GlideSocketMetrics[1];
		builder.eventListener(new io.github.glidesocket.core.SocketEventListener() {

			@Override
			public void connectionAccepted(String path) {
				binder[0].connectionAccepted(path);
			}

			@Override
			public void connectionRejected(String path, RejectReason reason) {
				binder[0].connectionRejected(path, reason);
			}

			@Override
			public void socketClosed(String path, Duration cleanupTime) {
				binder[0].socketClosed(path, cleanupTime);
			}

		});
		this.manager = builder.build();
		this.metrics = new GlideSocketMetrics(this.manager,
				Map.of("default", path("d.sock"), "admin", path("a.sock")));
		binder[0] = this.metrics;
		this.metrics.bindTo(this.registry);
	}

	private AFUNIXSocket connect(String path) throws IOException {
		AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new File(path)));
		this.clients.add(client);
		return client;
	}

	private double gauge(GlideSocketMeters meter, String socket) {
		return this.registry.get(meter.meterName()).tag(GlideSocketMeters.SOCKET_TAG, socket).gauge().value();
	}

	private double counter(GlideSocketMeters meter, String socket) {
		return this.registry.get(meter.meterName()).tag(GlideSocketMeters.SOCKET_TAG, socket).functionCounter().count();
	}

	private double rejected(String socket, RejectReason reason) {
		return this.registry.get(GlideSocketMeters.CONNECTIONS_REJECTED.meterName())
			.tag(GlideSocketMeters.SOCKET_TAG, socket)
			.tag(GlideSocketMeters.REASON_TAG, reason.tagValue())
			.functionCounter()
			.count();
	}

	@Test
	void bytesAndConnectionDurationsAreCountedAndSurviveTheSocketClosing() throws Exception {
		this.manager = SocketManager.builder()
			.name("metrics-bytes")
			.shutdownHook(false)
			.defaults(SocketOptions.builder()
				.handler((connection) -> connection.inputStream().transferTo(connection.outputStream()))
				.build())
			.build();
		this.metrics = new GlideSocketMetrics(this.manager, Map.of("default", path("d.sock")));
		this.manager.addEventListener(this.metrics);
		this.metrics.bindTo(this.registry);
		SocketReference reference = this.manager.getOrCreate(path("d.sock"));
		try (AFUNIXSocket client = reference.connect()) {
			client.getOutputStream().write(new byte[1000]);
			client.getInputStream().readNBytes(1000);
		}
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(counter(GlideSocketMeters.BYTES_RECEIVED, "default")).isEqualTo(1000);
			assertThat(counter(GlideSocketMeters.BYTES_SENT, "default")).isEqualTo(1000);
			assertThat(this.registry.get(GlideSocketMeters.CONNECTION_DURATION.meterName())
				.tag(GlideSocketMeters.SOCKET_TAG, "default")
				.timer()
				.count()).isEqualTo(1);
		});
		reference.close();
		// Closed: its counts leave the snapshots and stay in the meters.
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.manager.snapshots()).isEmpty();
			assertThat(counter(GlideSocketMeters.BYTES_RECEIVED, "default")).isEqualTo(1000);
			assertThat(counter(GlideSocketMeters.BYTES_SENT, "default")).isEqualTo(1000);
		});
		try (SocketReference again = this.manager.getOrCreate(path("d.sock")); AFUNIXSocket client = again.connect()) {
			client.getOutputStream().write(new byte[24]);
			client.getInputStream().readNBytes(24);
			Awaitility.await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(counter(GlideSocketMeters.BYTES_RECEIVED, "default")).isEqualTo(1024));
		}
	}

	@Test
	void everyMeterIsRegisteredWithItsDeclaredTypeUnitAndDescription() {
		createManager();
		for (GlideSocketMeters meter : GlideSocketMeters.values()) {
			List<Meter> meters = new ArrayList<>(this.registry.find(meter.meterName()).meters());
			assertThat(meters).as(meter.meterName()).isNotEmpty();
			for (Meter registered : meters) {
				assertThat(registered.getId().getType()).isEqualTo(meter.type());
				assertThat(registered.getId().getDescription()).isEqualTo(meter.description());
				if (meter.baseUnit() != null) {
					assertThat(registered.getId().getBaseUnit()).isEqualTo(meter.baseUnit());
				}
				assertThat(registered.getId().getTags()).extracting((tag) -> tag.getKey())
					.containsExactlyInAnyOrderElementsOf(meter.tagKeys());
			}
		}
	}

	@Test
	void socketTagsAreTheConfiguredNamesAndOther() {
		createManager();
		assertThat(this.registry.find(GlideSocketMeters.REFERENCES.meterName()).gauges())
			.extracting((gauge) -> gauge.getId().getTag(GlideSocketMeters.SOCKET_TAG))
			.containsExactlyInAnyOrder("default", "admin", "other");
		assertThat(this.registry.find(GlideSocketMeters.CONNECTIONS_REJECTED.meterName()).functionCounters())
			.hasSize(3 * RejectReason.values().length);
	}

	@Test
	void referenceGaugesFollowReferencesPerSocket() {
		createManager();
		assertThat(this.registry.get(GlideSocketMeters.ACTIVE.meterName()).gauge().value()).isZero();
		SocketReference first = this.manager.getOrCreate(path("d.sock"));
		SocketReference second = first.retain();
		SocketReference other = this.manager.getOrCreate(path("o.sock"));
		assertThat(gauge(GlideSocketMeters.REFERENCES, "default")).isEqualTo(2);
		assertThat(gauge(GlideSocketMeters.REFERENCES, "other")).isEqualTo(1);
		assertThat(gauge(GlideSocketMeters.REFERENCES, "admin")).isZero();
		assertThat(this.registry.get(GlideSocketMeters.ACTIVE.meterName()).gauge().value()).isEqualTo(2);
		second.close();
		other.close();
		assertThat(gauge(GlideSocketMeters.REFERENCES, "default")).isEqualTo(1);
		assertThat(gauge(GlideSocketMeters.REFERENCES, "other")).isZero();
		assertThat(this.registry.get(GlideSocketMeters.ACTIVE.meterName()).gauge().value()).isEqualTo(1);
		first.close();
	}

	@Test
	void connectionMetersFollowRealConnections() throws Exception {
		createManager();
		try (SocketReference reference = this.manager.getOrCreate(path("d.sock"))) {
			connect(path("d.sock"));
			assertThat(this.served.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(gauge(GlideSocketMeters.CONNECTIONS_ACTIVE, "default")).isEqualTo(1));
			assertThat(counter(GlideSocketMeters.CONNECTIONS_ACCEPTED, "default")).isEqualTo(1);
			// The connection limit is 1: a second connection is refused and counted with its reason.
			AFUNIXSocket refused = connect(path("d.sock"));
			assertThat(readsEnd(refused.getInputStream())).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(rejected("default", RejectReason.LIMIT)).isEqualTo(1));
			this.release.countDown();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(gauge(GlideSocketMeters.CONNECTIONS_ACTIVE, "default")).isZero());
		}
	}

	@Test
	void connectionToSocketWithoutHandlerIsCountedAsRejected() throws Exception {
		createManager();
		try (SocketReference reference = this.manager.getOrCreate(path("a.sock"))) {
			assertThat(readsEnd(connect(path("a.sock")).getInputStream())).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(rejected("admin", RejectReason.NO_HANDLER)).isEqualTo(1));
			assertThat(rejected("default", RejectReason.NO_HANDLER)).isZero();
		}
	}

	@Test
	void cleanupIsTimedPerSocket() {
		createManager();
		this.manager.getOrCreate(path("a.sock")).close();
		Timer timer = this.registry.get(GlideSocketMeters.CLEANUP.meterName())
			.tag(GlideSocketMeters.SOCKET_TAG, "admin")
			.timer();
		await().atMost(Duration.ofSeconds(5)).until(() -> timer.count() == 1);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void leaksAreCountedPerSocket() {
		createManager();
		this.metrics.referenceLeaked(path("d.sock"), null);
		this.metrics.referenceLeaked(path("x.sock"), null);
		assertThat(counter(GlideSocketMeters.LEAKS, "default")).isEqualTo(1);
		assertThat(counter(GlideSocketMeters.LEAKS, "other")).isEqualTo(1);
	}

	@Test
	void acceptFailuresAreCountedPerSocket() {
		createManager();
		IOException tooManyOpenFiles = new IOException("Too many open files");
		this.metrics.acceptFailed(path("a.sock"), tooManyOpenFiles);
		this.metrics.acceptFailed(path("a.sock"), tooManyOpenFiles);
		this.metrics.acceptFailed(path("x.sock"), tooManyOpenFiles);
		assertThat(counter(GlideSocketMeters.ACCEPT_FAILURES, "admin")).isEqualTo(2);
		assertThat(counter(GlideSocketMeters.ACCEPT_FAILURES, "default")).isZero();
		assertThat(counter(GlideSocketMeters.ACCEPT_FAILURES, "other")).isEqualTo(1);
	}

	@Test
	void countsBeforeBindingAreKeptAndEveryRegistryAgrees() {
		createManager();
		this.metrics.connectionAccepted(path("d.sock"));
		SimpleMeterRegistry late = new SimpleMeterRegistry();
		this.metrics.bindTo(late);
		this.metrics.connectionAccepted(path("d.sock"));
		FunctionCounter inLate = late.get(GlideSocketMeters.CONNECTIONS_ACCEPTED.meterName())
			.tag(GlideSocketMeters.SOCKET_TAG, "default")
			.functionCounter();
		assertThat(inLate.count()).isEqualTo(2);
		assertThat(counter(GlideSocketMeters.CONNECTIONS_ACCEPTED, "default")).isEqualTo(2);
		Gauge active = late.get(GlideSocketMeters.ACTIVE.meterName()).gauge();
		assertThat(active.value()).isZero();
	}

	private static boolean readsEnd(InputStream input) {
		try {
			return input.read() == -1;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
