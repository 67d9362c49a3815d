package io.github.glidesocket.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.glidesocket.core.internal.binding.SocketPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.github.glidesocket.core.SocketManagerTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketPool} with real sockets: member paths, the balancing rule, and members
 * that keep every rule of a single socket.
 */
@Timeout(30)
class SocketPoolTests {

	@TempDir
	Path directory;

	private final RecordingEvents events = new RecordingEvents();

	private final List<SocketManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	private SocketManager manager(SocketManager.Builder builder) {
		SocketManager manager = builder.name("pool-test").shutdownHook(false).eventListener(this.events).build();
		this.managers.add(manager);
		return manager;
	}

	private SocketManager manager() {
		return manager(SocketManager.builder().fileCheckInterval(Duration.ZERO).defaults(echo()));
	}

	private static SocketOptions echo() {
		return SocketOptions.builder().handler((connection) -> connection.inputStream().transferTo(connection.outputStream())).build();
	}

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void memberPathInsertsTheIndexBeforeTheLastExtension() {
		assertThat(SocketPool.memberPath("/run/app.sock", 0)).isEqualTo("/run/app-0.sock");
		assertThat(SocketPool.memberPath("/run/app.sock", 12)).isEqualTo("/run/app-12.sock");
		assertThat(SocketPool.memberPath("/run/app.v2.sock", 1)).isEqualTo("/run/app.v2-1.sock");
		assertThat(SocketPool.memberPath("/run/app", 1)).isEqualTo("/run/app-1");
		assertThat(SocketPool.memberPath("/run/.app", 1)).isEqualTo("/run/.app-1");
		assertThat(SocketPool.memberPath("/run.d/app", 1)).isEqualTo("/run.d/app-1");
		assertThat(SocketPool.memberPath("app.sock", 3)).isEqualTo("app-3.sock");
	}

	@Test
	void memberPathRefusesABasePathWithoutAFileNameAndANegativeIndex() {
		assertThatIllegalArgumentException().isThrownBy(() -> SocketPool.memberPath("/run/", 0))
			.withMessageContaining("'/run/'");
		assertThatIllegalArgumentException().isThrownBy(() -> SocketPool.memberPath("/run/..", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> SocketPool.memberPath("", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> SocketPool.memberPath("/run/app.sock", -1));
	}

	@Test
	void poolBindsNothingAndTheSameBasePathAndSizeGiveTheSamePool() {
		SocketManager manager = manager();
		SocketPool pool = manager.pool(path("app.sock"), 3);
		assertThat(pool.basePath()).isEqualTo(path("app.sock"));
		assertThat(pool.size()).isEqualTo(3);
		assertThat(pool.memberPaths()).containsExactly(path("app-0.sock"), path("app-1.sock"), path("app-2.sock"));
		assertThat(manager.pool(this.directory.resolve(".").resolve("app.sock").toString(), 3)).isSameAs(pool);
		assertThat(manager.pool(path("app.sock"), 2)).isNotSameAs(pool);
		assertThat(manager.activeSocketCount()).isZero();
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void sizeMustBePositive() {
		SocketManager manager = manager();
		assertThatIllegalArgumentException().isThrownBy(() -> manager.pool(path("app.sock"), 0))
			.withMessage("'size' must be positive, got 0");
	}

	@Test
	void aMemberPathTooLongIsRefusedBeforeAnythingIsBound() {
		SocketManager manager = manager();
		String prefix = this.directory + "/";
		int room = SocketPaths.MAX_PATH_BYTES - prefix.length() - ".sock".length();
		String base = prefix + "a".repeat(room) + ".sock";
		assertThat(base).hasSize(SocketPaths.MAX_PATH_BYTES);
		manager.getOrCreate(base).close();
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.pool(base, 2))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.TOO_LONG))
			.withMessageContaining(SocketPool.memberPath(base, 0));
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void referencesLandOnePerMemberAndEachReachesItsOwnSocket() throws Exception {
		SocketManager manager = manager();
		SocketPool pool = manager.pool(path("app.sock"), 3);
		List<SocketReference> references = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			references.add(pool.acquire());
		}
		assertThat(references).extracting(SocketReference::path).containsExactly(pool.memberPaths().toArray(String[]::new));
		for (int member = 0; member < 3; member++) {
			assertThat(pool.referenceCount(member)).isOne();
			assertThat(Path.of(pool.memberPaths().get(member))).exists();
		}
		assertThat(Path.of(pool.basePath())).doesNotExist();
		for (SocketReference reference : references) {
			assertThat(roundTrip(reference, reference.path())).isEqualTo(reference.path());
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.count("accepted") == 3);
		for (String member : pool.memberPaths()) {
			assertThat(this.events.events).containsOnlyOnce("accepted " + member);
		}
		references.forEach(SocketReference::close);
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void afterClosesTheNextReferencesFillTheEmptiestMembers() {
		SocketManager manager = manager();
		SocketPool pool = manager.pool(path("app.sock"), 3);
		List<List<SocketReference>> byMember = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		for (int i = 0; i < 9; i++) {
			SocketReference reference = pool.acquire();
			byMember.get(pool.memberPaths().indexOf(reference.path())).add(reference);
		}
		assertThat(byMember).allSatisfy((held) -> assertThat(held).hasSize(3));
		byMember.get(1).remove(0).close();
		byMember.get(1).remove(0).close();
		byMember.get(2).remove(0).close();
		// Counts 3, 1, 2: the next go to member 1, then 1 and 2 tie.
		assertThat(pool.acquire().path()).isEqualTo(pool.memberPaths().get(1));
		SocketReference tieFirst = pool.acquire();
		SocketReference tieSecond = pool.acquire();
		assertThat(List.of(tieFirst.path(), tieSecond.path())).containsExactlyInAnyOrder(pool.memberPaths().get(1),
				pool.memberPaths().get(2));
		for (int member = 0; member < 3; member++) {
			assertThat(pool.referenceCount(member)).isEqualTo(3);
		}
		manager.cleanupAllSockets();
	}

	@Test
	void membersWithEquallyFewReferencesAreChosenInTurn() {
		SocketManager manager = manager();
		SocketPool pool = manager.pool(path("app.sock"), 3);
		List<String> chosen = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			try (SocketReference reference = pool.acquire()) {
				chosen.add(reference.path());
			}
		}
		assertThat(chosen).containsExactly(pool.memberPaths().get(0), pool.memberPaths().get(1), pool.memberPaths().get(2),
				pool.memberPaths().get(0), pool.memberPaths().get(1), pool.memberPaths().get(2));
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void eachMemberKeepsItsOwnCountAndItsLastCloseRemovesOnlyItsFile() {
		SocketManager manager = manager();
		SocketPool pool = manager.pool(path("app.sock"), 2);
		SocketReference first = pool.acquire();
		SocketReference second = pool.acquire();
		SocketReference retained = first.retain();
		assertThat(first.referenceCount()).isEqualTo(2);
		assertThat(pool.referenceCount(0)).isEqualTo(2);
		assertThat(pool.referenceCount(1)).isOne();
		second.close();
		assertThat(Path.of(pool.memberPaths().get(1))).doesNotExist();
		assertThat(Path.of(pool.memberPaths().get(0))).exists();
		assertThat(pool.referenceCount(1)).isZero();
		first.close();
		retained.close();
		assertThat(this.directory).isEmptyDirectory();
		assertThat(manager.activeSocketCount()).isZero();
	}

	@Test
	void aMemberAtItsReferenceLimitRefusesLikeAnySocket() {
		SocketManager manager = manager(SocketManager.builder()
			.fileCheckInterval(Duration.ZERO)
			.defaults(echo().toBuilder().maxReferences(1).build()));
		SocketPool pool = manager.pool(path("app.sock"), 2);
		SocketReference first = pool.acquire();
		SocketReference second = pool.acquire();
		assertThat(first.path()).isNotEqualTo(second.path());
		assertThatExceptionOfType(SocketLimitException.class).isThrownBy(pool::acquire)
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(SocketLimitException.Kind.REFERENCES));
		assertThat(pool.referenceCount(0)).isOne();
		assertThat(pool.referenceCount(1)).isOne();
		first.close();
		second.close();
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void aMemberWhoseFileIsRemovedFromOutsideIsBoundAgainAndServes() throws Exception {
		SocketManager manager = manager(SocketManager.builder().defaults(echo()).fileCheckInterval(Duration.ofMillis(50)));
		SocketPool pool = manager.pool(path("app.sock"), 2);
		try (SocketReference first = pool.acquire(); SocketReference second = pool.acquire()) {
			Files.delete(Path.of(pool.memberPaths().get(1)));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.events.count("rebound") == 1);
			assertThat(this.events.events).contains("rebound " + pool.memberPaths().get(1));
			assertThat(manager.snapshot(pool.memberPaths().get(1)).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.INTACT);
			assertThat(roundTrip(second, "back")).isEqualTo("back");
			assertThat(roundTrip(first, "untouched")).isEqualTo("untouched");
			assertThat(pool.referenceCount(0)).isOne();
			assertThat(pool.referenceCount(1)).isOne();
		}
		assertThat(this.directory).isEmptyDirectory();
	}

}
