package io.github.glidesocket.core;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SocketManager#referenceHolders(String)}: the live references of a socket, with when and
 * (when paranoid) where each was acquired; nothing tracked when leak detection is off.
 */
@Timeout(30)
class ReferenceHoldersTests {

	@TempDir
	Path directory;

	private static int identity(SocketManager manager, SocketReference reference) {
		return manager.holderIdentity(reference).orElseThrow();
	}

	private SocketManager manager(LeakDetection leakDetection) {
		return SocketManager.builder()
			.name("holders-test")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.leakDetection(leakDetection)
			.build();
	}

	@Test
	void holdersAreTheLiveReferencesOldestFirstWithTheirAcquisitionTime() {
		String path = this.directory.resolve("s.sock").toString();
		try (SocketManager manager = manager(LeakDetection.SIMPLE)) {
			Instant before = Instant.now().minusMillis(1);
			SocketReference first = manager.getOrCreate(path);
			SocketReference second = first.retain();
			Instant after = Instant.now().plusMillis(1);
			List<ReferenceHolder> holders = manager.referenceHolders(path);
			assertThat(holders).extracting(ReferenceHolder::identity)
				.containsExactlyInAnyOrder(identity(manager, first), identity(manager, second));
			assertThat(holders).allSatisfy((holder) -> {
				// To within the leak check interval of a second, which the scheduler may run late.
				assertThat(holder.acquiredAt()).isBetween(before.minusSeconds(5), after);
				assertThat(holder.acquisitionSite()).as("recorded only when paranoid").isEmpty();
			});
			assertThat(holders.get(0).acquiredAt()).isBeforeOrEqualTo(holders.get(1).acquiredAt());
			first.close();
			assertThat(manager.referenceHolders(path)).extracting(ReferenceHolder::identity)
				.containsExactly(identity(manager, second));
			second.close();
			assertThat(manager.referenceHolders(path)).isEmpty();
		}
	}

	@Test
	void paranoidHoldersNameTheCallerThatAcquiredThem() {
		String path = this.directory.resolve("s.sock").toString();
		Instant before = Instant.now().minusMillis(1);
		try (SocketManager manager = manager(LeakDetection.PARANOID);
				SocketReference reference = manager.getOrCreate(path)) {
			List<ReferenceHolder> holders = manager.referenceHolders(path);
			assertThat(holders).hasSize(1);
			assertThat(holders.get(0).acquiredAt()).as("exact when paranoid").isAfterOrEqualTo(before);
			assertThat(holders.get(0).acquisitionSite()).first()
				.asString()
				.startsWith(ReferenceHoldersTests.class.getName() + ".paranoidHoldersNameTheCallerThatAcquiredThem(");
		}
	}

	@Test
	void withLeakDetectionDisabledNothingIsTracked() {
		String path = this.directory.resolve("s.sock").toString();
		try (SocketManager manager = manager(LeakDetection.DISABLED);
				SocketReference reference = manager.getOrCreate(path)) {
			assertThat(reference.referenceCount()).isOne();
			assertThat(manager.referenceHolders(path)).isEmpty();
			assertThat(manager.holderIdentity(reference)).isEmpty();
		}
	}

	@Test
	void holdersOfAnotherSocketOrOfNoSocketAreNotListed() {
		String path = this.directory.resolve("s.sock").toString();
		try (SocketManager manager = manager(LeakDetection.SIMPLE);
				SocketReference reference = manager.getOrCreate(path);
				SocketReference other = manager.getOrCreate(this.directory.resolve("o.sock").toString())) {
			assertThat(manager.referenceHolders(path)).extracting(ReferenceHolder::identity)
				.containsExactly(identity(manager, reference));
			assertThat(manager.referenceHolders(this.directory.resolve("none.sock").toString())).isEmpty();
		}
	}

}
