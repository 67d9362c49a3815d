package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A socket in a directory that another user can write, without the sticky bit, while that user
 * (nobody, through {@code setpriv}) attacks the staging directories: it renames every
 * {@code .g*} directory it sees away, puts a symbolic link to a directory only root can write in
 * its place, and removes the published socket file so that the periodic file check binds again
 * and again. Whatever the attacker does, nothing outside the shared directory is removed,
 * created or changed, and once the attack ends the socket is served again.
 */
@Timeout(180)
class StagingAttackTests {

	/**
	 * argv: directory, link targets (':'-separated), seconds, names to remove (':'-separated, may
	 * be empty), mode ('swap' leaves each link in place; 'toggle' puts the directory back
	 * after a moment, so that it is real half the time). Prints its counts at the end.
	 */
	private static final String ATTACKER = String.join("\n", "import os, sys, time",
			"d, targets, seconds = sys.argv[1], sys.argv[2].split(':'), float(sys.argv[3])",
			"names = [n for n in sys.argv[4].split(':') if n]", "toggle = sys.argv[5] == 'toggle'",
			"end = time.monotonic() + seconds", "n = swaps = removals = 0", "while time.monotonic() < end:",
			"    with os.scandir(d) as it:", "        entries = [e.name for e in it]", "    for name in entries:",
			"        p = os.path.join(d, name)", "        if not name.startswith('.g') or os.path.islink(p):",
			"            continue", "        held = os.path.join(d, 'held-%d' % n)", "        n += 1", "        try:",
			"            os.rename(p, held)", "            os.symlink(targets[n % len(targets)], p)",
			"            swaps += 1", "        except OSError:", "            continue", "        if toggle:",
			"            try:", "                os.unlink(p)", "                os.rename(held, p)",
			"            except OSError:", "                pass", "    for name in names:", "        try:",
			"            os.unlink(os.path.join(d, name))", "            removals += 1", "        except OSError:",
			"            pass", "print('swaps=%d removals=%d' % (swaps, removals), flush=True)");

	@TempDir
	Path root;

	private Path shared;

	private Path victim;

	private Path empty;

	private Path victimFile;

	private final List<SocketManager> managers = new ArrayList<>();

	@BeforeEach
	void prepareDirectories() throws IOException {
		// The shared directory: anyone may create, rename and remove entries in it.
		this.shared = Files.createDirectory(this.root.resolve("shared"));
		Files.setPosixFilePermissions(this.shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		// Directories only root can write: one holds a file named like the staging socket, one is empty.
		this.victim = Files.createDirectory(this.root.resolve("victim"));
		this.victimFile = Files.writeString(this.victim.resolve("s"), "precious\n");
		Files.setPosixFilePermissions(this.victimFile, PosixFilePermissions.fromString("rw-r--r--"));
		Files.setPosixFilePermissions(this.victim, PosixFilePermissions.fromString("rwx------"));
		this.empty = Files.createDirectory(this.root.resolve("empty"));
		Files.setPosixFilePermissions(this.empty, PosixFilePermissions.fromString("rwx------"));
	}

	@AfterEach
	void closeManagers() {
		this.managers.forEach(SocketManager::close);
	}

	@Test
	void rebindWhileAnotherUserReplacesStagingDirectoriesWithLinksNeverTouchesFilesOutsideTheDirectory()
			throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		ExternalProcesses.assumeNobodyCanEnter(this.root);
		Map<Path, List<String>> before = outside();
		Object victimKey = SocketPathValidationTests.fileKey(this.victimFile);
		AtomicInteger rebinds = new AtomicInteger();
		SocketManager manager = manager(new SocketEventListener() {

			@Override
			public void socketRebound(String path) {
				rebinds.incrementAndGet();
			}

		});
		Path socket = this.shared.resolve("app.sock");
		try (SocketReference reference = manager.getOrCreate(socket.toString())) {
			String counts = attack(python, "4", "app.sock", "swap");
			assertThat(counts).as("the attacker's counts").matches("swaps=[1-9][0-9]* removals=[1-9][0-9]*");
			assertThat(rebinds).as("re-binds while the attacker removed the socket file").hasPositiveValue();
			assertOutsideUnchanged(before, victimKey);
			// The attack is over: the file check binds the socket again and it is served.
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(SocketPathValidationTests.isSocket(socket)).isTrue();
				try (AFUNIXSocket client = reference.connect()) {
					assertThat(SocketPathValidationTests.roundTrip(client, "still served")).isEqualTo("still served");
				}
			});
		}
		assertThat(socket).doesNotExist();
		assertOutsideUnchanged(before, victimKey);
		assertNoSocketLeftIn(this.shared);
	}

	@Test
	void reclaimWhileAnotherUserTogglesStagingDirectoriesWithLinksNeverTouchesFilesOutsideTheDirectory()
			throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		ExternalProcesses.assumeNobodyCanEnter(this.root);
		Map<Path, List<String>> before = outside();
		Object victimKey = SocketPathValidationTests.fileKey(this.victimFile);
		SocketManager manager = manager(new SocketEventListener() {
		});
		Path socket = this.shared.resolve("app.sock");
		// Links named like staging directories, planted next to the stale socket.
		Files.createSymbolicLink(this.shared.resolve(".gplant1"), this.victim);
		Files.createSymbolicLink(this.shared.resolve(".gplant2"), this.empty);
		Process attacker = startAttacker(python, "30", "", "toggle");
		int reclaimed = 0;
		try {
			for (int round = 0; round < 100; round++) {
				// What a crashed process leaves: the stale socket and, next to it, a private
				// directory holding another name of the same socket file.
				// It is made aside and moved in whole: made in place, the attacker could swap it
				// for a link before this test's own link into it.
				SocketPathValidationTests.leaveStaleSocket(socket);
				Path crashed = Files.createDirectory(this.root.resolve(String.format("crash%04d", round)),
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
				Files.createLink(crashed.resolve("s"), socket);
				Files.move(crashed, this.shared.resolve(String.format(".gcr%04d", round)), StandardCopyOption.ATOMIC_MOVE);
				try (SocketReference reference = manager.getOrCreate(socket.toString());
						AFUNIXSocket client = reference.connect()) {
					assertThat(SocketPathValidationTests.roundTrip(client, "reclaimed")).isEqualTo("reclaimed");
					reclaimed++;
				}
				catch (SocketPathException ex) {
					// The attacker replaced this bind's own staging directory every time it tried:
					// the bind fails, and leaves nothing behind but the stale socket it reclaimed.
					assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.BIND_FAILED);
					SocketPathValidationTests.assertRegistryEmpty(manager, socket.toString());
					Files.deleteIfExists(socket);
				}
				assertOutsideUnchanged(before, victimKey);
			}
		}
		finally {
			attacker.destroyForcibly();
			attacker.waitFor(10, TimeUnit.SECONDS);
		}
		assertThat(reclaimed).as("rounds in which the stale socket was reclaimed and served").isPositive();
		assertOutsideUnchanged(before, victimKey);
	}

	private SocketManager manager(SocketEventListener events) {
		SocketManager manager = SocketManager.builder()
			.name("staging-attack")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ofMillis(50))
			.eventListener(events)
			.defaults(SocketOptions.builder().handler(SocketPathValidationTests::echo).build())
			.build();
		this.managers.add(manager);
		return manager;
	}

	private String attack(String python, String seconds, String remove, String mode) throws Exception {
		Process attacker = startAttacker(python, seconds, remove, mode);
		try {
			byte[] output = attacker.getInputStream().readAllBytes();
			assertThat(attacker.waitFor(60, TimeUnit.SECONDS)).as("the attacker ends").isTrue();
			assertThat(attacker.exitValue()).as("the attacker's exit status").isZero();
			return new String(output, StandardCharsets.UTF_8).trim();
		}
		finally {
			attacker.destroyForcibly();
		}
	}

	private Process startAttacker(String python, String seconds, String remove, String mode) throws IOException {
		String targets = this.victim + ":" + this.empty;
		return new ProcessBuilder(ExternalProcesses
			.asNobody(List.of(python, "-c", ATTACKER, this.shared.toString(), targets, seconds, remove, mode)))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	/**
	 * Everything outside the shared directory that an attack through it could reach.
	 */
	private Map<Path, List<String>> outside() throws IOException {
		Map<Path, List<String>> trees = new LinkedHashMap<>();
		trees.put(this.victim, SocketPathValidationTests.tree(this.victim));
		trees.put(this.empty, SocketPathValidationTests.tree(this.empty));
		return trees;
	}

	private void assertOutsideUnchanged(Map<Path, List<String>> before, Object victimKey) throws IOException {
		assertThat(this.victimFile).as("the file in the directory only root can write").exists();
		assertThat(SocketPathValidationTests.fileKey(this.victimFile)).isEqualTo(victimKey);
		assertThat(Files.readString(this.victimFile)).isEqualTo("precious\n");
		assertThat(outside()).as("directories outside the shared one, entry by entry (type, inode, mode, content)")
			.isEqualTo(before);
	}

	private static void assertNoSocketLeftIn(Path directory) throws IOException {
		List<String> sockets = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				if (SocketPathValidationTests.isSocket(entry)) {
					sockets.add(entry.getFileName().toString());
				}
				else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					try (DirectoryStream<Path> inside = Files.newDirectoryStream(entry)) {
						for (Path nested : inside) {
							sockets.add(directory.relativize(nested).toString());
						}
					}
				}
			}
		}
		assertThat(sockets).as("sockets left in the shared directory").isEmpty();
	}

}
