package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link DirectoryCheck}: a socket whose directory, or a directory above it, another
 * user can change is logged once ({@code WARN}, the default) or refused ({@code REFUSE}); a
 * directory only this user and root can change, or one with the sticky bit, passes silently.
 */
@Timeout(60)
class DirectoryCheckTests {

	@TempDir
	Path directory;

	private final Logger log = Logger.getLogger(SocketManager.class.getName());

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				DirectoryCheckTests.this.warnings.add(record.getMessage());
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final List<SocketManager> managers = new ArrayList<>();

	@BeforeEach
	void captureLog() {
		this.log.addHandler(this.capture);
	}

	@AfterEach
	void release() {
		this.managers.forEach(SocketManager::close);
		this.log.removeHandler(this.capture);
	}

	@Test
	void bindInDirectoryAllUsersCanWriteWithoutStickyBitWarnsOnceAndServes() throws IOException {
		Path shared = directory("shared", "rwxrwxrwx");
		String path = shared.resolve("s.sock").toString();
		SocketManager manager = manager(DirectoryCheck.WARN);
		for (int i = 0; i < 3; i++) {
			try (SocketReference reference = manager.getOrCreate(path); AFUNIXSocket client = reference.connect()) {
				assertThat(SocketPathValidationTests.roundTrip(client, "served")).isEqualTo("served");
			}
		}
		assertThat(directoryWarnings()).as("warnings about directories, one for three binds").singleElement()
			.asString()
			.contains("'" + path + "'")
			.contains("directory '" + shared + "' is writable by all users without the sticky bit (mode 777)")
			.contains("chmod go-w")
			.contains("REFUSE");
	}

	@Test
	void bindInDirectoryAllUsersCanWriteWithoutStickyBitWhenRefusingThrowsUnsafeDirectoryAndCreatesNothing()
			throws IOException {
		Path shared = directory("shared", "rwxrwxrwx");
		String path = shared.resolve("s.sock").toString();
		SocketManager manager = manager(DirectoryCheck.REFUSE);
		List<String> before = SocketPathValidationTests.tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.UNSAFE_DIRECTORY);
				assertThat(ex.getPath()).isEqualTo(path);
				assertThat(ex.getMessage()).contains("'" + path + "'")
					.contains("directory '" + shared + "' is writable by all users without the sticky bit")
					.contains("chmod go-w");
			});
		assertThat(SocketPathValidationTests.tree(this.directory)).isEqualTo(before);
		SocketPathValidationTests.assertRegistryEmpty(manager, path);
		assertThat(directoryWarnings()).isEmpty();
	}

	@Test
	void bindInDirectoryItsGroupCanWriteWithoutStickyBitWhenRefusingThrowsUnsafeDirectory() throws IOException {
		Path shared = directory("group", "rwxrwx---");
		String path = shared.resolve("s.sock").toString();
		assertThatExceptionOfType(SocketPathException.class)
			.isThrownBy(() -> manager(DirectoryCheck.REFUSE).getOrCreate(path))
			.satisfies((ex) -> assertThat(ex.getMessage())
				.contains("directory '" + shared + "' is writable by its group without the sticky bit (mode 770)"));
	}

	@Test
	void bindBelowDirectoryAnotherUserOwnsWarnsOrRefusesNamingThatDirectory() throws IOException {
		assumeTrue(ExternalProcesses.uid() == 0, "giving a directory to another user needs root");
		Path theirs = directory("theirs", "rwxr-xr-x");
		Files.setAttribute(theirs, "unix:uid", (int) ExternalProcesses.NOBODY);
		Path inside = Files.createDirectory(theirs.resolve("inside"));
		String path = inside.resolve("s.sock").toString();
		String problem = "directory '" + theirs + "' is owned by another user (uid " + ExternalProcesses.NOBODY + ")";
		try (SocketReference reference = manager(DirectoryCheck.WARN).getOrCreate(path)) {
			assertThat(reference.isActive()).isTrue();
		}
		assertThat(directoryWarnings()).singleElement().asString().contains(problem);
		assertThatExceptionOfType(SocketPathException.class)
			.isThrownBy(() -> manager(DirectoryCheck.REFUSE).getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.UNSAFE_DIRECTORY);
				assertThat(ex.getMessage()).contains(problem);
			});
	}

	@Test
	void bindThroughLinkInDirectoryOthersCanWriteNamesThatDirectory() throws IOException {
		// The link leads to a safe directory, but whoever can write the directory holding the
		// link can point it elsewhere.
		Path safe = directory("safe", "rwxr-xr-x");
		Path shared = directory("shared", "rwxrwxrwx");
		Path link = Files.createSymbolicLink(shared.resolve("link"), safe);
		String path = link.resolve("s.sock").toString();
		assertThatExceptionOfType(SocketPathException.class)
			.isThrownBy(() -> manager(DirectoryCheck.REFUSE).getOrCreate(path))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("directory '" + shared + "' is writable by all")
				.doesNotContain("directory '" + safe + "'"));
	}

	@Test
	void bindThroughLinkToDirectoryOthersCanWriteNamesTheRealDirectory() throws IOException {
		Path shared = directory("shared", "rwxrwxrwx");
		Path link = Files.createSymbolicLink(this.directory.resolve("link"), Path.of("shared"));
		String path = link.resolve("s.sock").toString();
		assertThatExceptionOfType(SocketPathException.class)
			.isThrownBy(() -> manager(DirectoryCheck.REFUSE).getOrCreate(path))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("directory '" + shared + "' is writable by all"));
	}

	@Test
	void bindInStickyDirectoryAllUsersCanWriteOrInDirectoryOnlyItsOwnerCanWriteLogsNothing() throws IOException {
		Path sticky = directory("sticky", "rwxrwxrwx");
		Files.setAttribute(sticky, "unix:mode", 01777);
		Path owner = directory("owner", "rwxr-xr-x");
		SocketManager manager = manager(DirectoryCheck.REFUSE);
		// The temporary directory itself (java.io.tmpdir, with the sticky bit) is on every path here.
		for (Path parent : List.of(sticky, owner, this.directory)) {
			try (SocketReference reference = manager.getOrCreate(parent.resolve("s.sock").toString());
					AFUNIXSocket client = reference.connect()) {
				assertThat(SocketPathValidationTests.roundTrip(client, "quiet")).isEqualTo("quiet");
			}
		}
		assertThat(directoryWarnings()).isEmpty();
	}

	@Test
	void bindWhenCheckIsOffLogsNothing() throws IOException {
		Path shared = directory("shared", "rwxrwxrwx");
		try (SocketReference reference = manager(DirectoryCheck.OFF).getOrCreate(shared.resolve("s.sock").toString())) {
			assertThat(reference.isActive()).isTrue();
		}
		assertThat(directoryWarnings()).isEmpty();
	}

	@Test
	void optionsDefaultToWarn() {
		assertThat(SocketOptions.defaults().directoryCheck()).isEqualTo(DirectoryCheck.WARN);
		assertThat(SocketOptions.builder().directoryCheck(DirectoryCheck.REFUSE).build().toBuilder().build()
			.directoryCheck()).isEqualTo(DirectoryCheck.REFUSE);
	}

	private SocketManager manager(DirectoryCheck check) {
		SocketManager manager = SocketManager.builder()
			.name("directory-check")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.defaults(SocketOptions.builder().handler(SocketPathValidationTests::echo).directoryCheck(check).build())
			.build();
		this.managers.add(manager);
		return manager;
	}

	private Path directory(String name, String mode) throws IOException {
		Path created = Files.createDirectory(this.directory.resolve(name));
		Files.setPosixFilePermissions(created, PosixFilePermissions.fromString(mode));
		return created;
	}

	private List<String> directoryWarnings() {
		return this.warnings.stream().filter((message) -> message.contains("directory '")).toList();
	}

}
