package io.github.glidesocket.actuate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.actuate.GlideSocketsEndpoint.HolderDescriptor;
import io.github.glidesocket.actuate.GlideSocketsEndpoint.Injection;
import io.github.glidesocket.actuate.GlideSocketsEndpoint.SocketDescriptor;
import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The holders of each socket in {@link GlideSocketsEndpoint}, and sockets at paths that are not
 * configured selected by their path.
 */
@Timeout(30)
class GlideSocketsEndpointHoldersTests {

	@TempDir
	Path directory;

	private final List<SocketManager> managers = new ArrayList<>();

	private final List<Injection> injections = new ArrayList<>();

	@AfterEach
	void close() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(LeakDetection leakDetection) {
		SocketManager manager = SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.leakDetection(leakDetection)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private GlideSocketsEndpoint endpoint(SocketManager manager, String path) {
		return new GlideSocketsEndpoint(manager, Map.of("default", path), (socket) -> this.injections.stream()
			.filter((injection) -> socket.equals(path))
			.toList());
	}

	private Injection injected(SocketManager manager, SocketReference reference, Instant at) {
		int identity = manager.holderIdentity(reference).orElse(System.identityHashCode(reference));
		Injection injection = new Injection(identity, "client",
				"parameter 0 of constructor of com.example.Client", at);
		this.injections.add(injection);
		return injection;
	}

	@Test
	void holdersAreEveryLiveReferenceOldestFirstAndInjectedOnesNameTheirBean() {
		String path = this.directory.resolve("d.sock").toString();
		SocketManager manager = manager(LeakDetection.SIMPLE);
		SocketReference injected = manager.getOrCreate(path);
		SocketReference other = manager.getOrCreate(path);
		injected(manager, injected, Instant.EPOCH);
		SocketDescriptor socket = endpoint(manager, path).socket("default");
		assertThat(socket.getReferences()).isEqualTo(2);
		assertThat(socket.getUntrackedReferences()).isZero();
		assertThat(socket.getHolders()).extracting(HolderDescriptor::getBean, HolderDescriptor::getInjectionPoint)
			.containsExactlyInAnyOrder(tuple("client", "parameter 0 of constructor of com.example.Client"),
					tuple(null, null));
		assertThat(socket.getHolders()).extracting(HolderDescriptor::getAcquiredAt)
			.as("the manager's acquisition times, oldest first")
			.allMatch((acquiredAt) -> acquiredAt.isAfter(Instant.EPOCH))
			.isSorted();
		other.close();
		assertThat(endpoint(manager, path).socket("default").getHolders()).hasSize(1);
		assertThat(endpoint(manager, path).sockets().getSockets().get(0).getHolders()).hasSize(1);
	}

	@Test
	void withLeakDetectionDisabledOnlyInjectedReferencesAreListedAndTheOthersCounted() {
		String path = this.directory.resolve("d.sock").toString();
		SocketManager manager = manager(LeakDetection.DISABLED);
		SocketReference injected = manager.getOrCreate(path);
		manager.getOrCreate(path);
		manager.getOrCreate(path);
		Instant injectedAt = Instant.parse("2026-01-02T03:04:05Z");
		injected(manager, injected, injectedAt);
		SocketDescriptor socket = endpoint(manager, path).socket("default");
		assertThat(socket.getHolders()).extracting(HolderDescriptor::getBean, HolderDescriptor::getAcquiredAt)
			.containsExactly(tuple("client", injectedAt));
		assertThat(socket.getUntrackedReferences()).isEqualTo(2);
	}

	@Test
	void paranoidHoldersShowWhereTheyWereAcquired() {
		String path = this.directory.resolve("d.sock").toString();
		SocketManager manager = manager(LeakDetection.PARANOID);
		manager.getOrCreate(path);
		List<HolderDescriptor> holders = endpoint(manager, path).socket("default").getHolders();
		assertThat(holders).hasSize(1);
		assertThat(holders.get(0).getAcquisitionSite()).first()
			.asString()
			.startsWith(getClass().getName() + ".paranoidHoldersShowWhereTheyWereAcquired(");
	}

	@Test
	void aSocketAtAPathThatIsNotConfiguredIsSelectedAsOtherByItsPath() {
		String configured = this.directory.resolve("d.sock").toString();
		String unconfigured = this.directory.resolve("x.sock").toString();
		SocketManager manager = manager(LeakDetection.SIMPLE);
		manager.getOrCreate(configured);
		manager.getOrCreate(unconfigured);
		GlideSocketsEndpoint endpoint = endpoint(manager, configured);
		SocketDescriptor other = endpoint.socketAtPath("other", segments(unconfigured));
		assertThat(other).isNotNull();
		assertThat(other.getName()).isEqualTo("other");
		assertThat(other.getPath()).isEqualTo(unconfigured);
		assertThat(other.getHolders()).hasSize(1);
		assertThat(endpoint.socketAtPath("other", segments(configured)).getName()).as("a configured path")
			.isEqualTo("default");
		assertThat(endpoint.socketAtPath("other", segments(this.directory.resolve("none.sock").toString()))).isNull();
		assertThat(endpoint.socketAtPath("default", segments(unconfigured))).isNull();
	}

	private static String[] segments(String path) {
		return path.substring(1).split("/");
	}

}
