package io.github.glidesocket.core;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.glidesocket.core.internal.binding.SocketPaths;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketConnection;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.StaleSocketPolicy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests of {@link SocketPaths} and {@link UnixSocketBinder} through
 * {@link SocketManager#getOrCreate(String)}: bad paths and hostile things at the path. Every
 * failure must name the path and the reason, leave the file system exactly as it was (same
 * entries, inodes, modes, contents and directory mtimes, so not even a temporary staging
 * directory), and leave the registry empty.
 */
@Timeout(60)
public class SocketPathValidationTests {

	@TempDir
	Path directory;

	private final List<SocketManager> managers = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void cleanUp() {
		this.managers.forEach(SocketManager::close);
		this.processes.forEach(Process::destroyForcibly);
	}

	private SocketManager manager() {
		return manager(SocketOptions.builder().handler(SocketPathValidationTests::echo).build());
	}

	private SocketManager manager(SocketOptions options) {
		SocketManager manager = SocketManager.builder()
			.name("path-test")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.defaults(options)
			.build();
		this.managers.add(manager);
		return manager;
	}

	@Test
	void getOrCreateWhenPathIsEmptyThrowsEmpty() throws IOException {
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(""))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.EMPTY);
				assertThat(ex.getPath()).isEmpty();
				assertThat(ex.getMessage()).contains("must not be empty");
			});
		assertUnchanged(manager, "", before);
	}

	@Test
	void getOrCreateWhenPathContainsNulThrowsContainsNulAndCreatesNothing() throws IOException {
		SocketManager manager = manager();
		String path = this.directory + "/a\0b.sock";
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.CONTAINS_NUL);
				assertThat(ex.getPath()).isEqualTo(path);
				assertThat(ex.getMessage()).contains(this.directory + "/a\\0b.sock").contains("NUL");
			});
		assertUnchanged(manager, path, before);
	}

	@Test
	void getOrCreateWhenPathIsRootThrowsNotASocket() throws IOException {
		SocketManager manager = manager();
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate("/"))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.NOT_A_SOCKET);
				assertThat(ex.getMessage()).contains("'/'").contains("root directory");
			});
		assertRegistryEmpty(manager, "/");
	}

	@Test
	void getOrCreateWhenPathIsExactlyAtLimitBindsAndServes() throws IOException {
		// The longest parent whose staging name (parent + "/.g??????/s") still fits, and the longest
		// name in it: both the published path and the bound staging path are exactly 106 bytes.
		Path parent = directoryOfLength(SocketPaths.MAX_PATH_BYTES - SocketPaths.STAGING_SUFFIX_BYTES);
		String path = parent + "/" + "s".repeat(SocketPaths.MAX_PATH_BYTES - bytes(parent.toString()) - 1);
		assertThat(bytes(path)).isEqualTo(106);
		assertThat(bytes(parent + "/.g123456/s")).isEqualTo(106);
		SocketManager manager = manager();
		try (SocketReference reference = manager.getOrCreate(path)) {
			assertThat(reference.path()).isEqualTo(path);
			assertThat(isSocket(Path.of(path))).isTrue();
			try (AFUNIXSocket client = reference.connect()) {
				assertThat(roundTrip(client, "at-limit")).isEqualTo("at-limit");
			}
		}
		assertThat(Path.of(path)).doesNotExist();
		assertThat(stagingDirectories(parent)).isEmpty();
	}

	@Test
	void getOrCreateWhenPathIsOneByteOverLimitThrowsTooLong() throws IOException {
		Path parent = directoryOfLength(SocketPaths.MAX_PATH_BYTES - SocketPaths.STAGING_SUFFIX_BYTES);
		String path = parent + "/" + "s".repeat(SocketPaths.MAX_PATH_BYTES - bytes(parent.toString()));
		assertThat(bytes(path)).isEqualTo(107);
		assertTooLong(path, 107);
	}

	@Test
	void getOrCreateWhenStagingPathWouldBeOneByteOverLimitThrowsTooLong() throws IOException {
		// The path itself is short enough, but binding needs parent + "/.g??????/s": 107 bytes.
		Path parent = directoryOfLength(SocketPaths.MAX_PATH_BYTES - SocketPaths.STAGING_SUFFIX_BYTES + 1);
		String path = parent + "/s";
		assertThat(bytes(path)).isLessThan(106);
		assertTooLong(path, 107);
	}

	@Test
	void getOrCreateWhenPathIsFarOverLimitThrowsTooLong() throws IOException {
		String path = this.directory + "/" + "d".repeat(200) + "/" + "s".repeat(200) + "/" + "x".repeat(600) + ".sock";
		assertTooLong(path, bytes(path));
	}

	@Test
	void getOrCreateWhenRelativePathIsOverLimitOnceAbsoluteThrowsTooLongNamingAbsolutePath() throws IOException {
		String workingDirectory = Path.of("").toAbsolutePath().toString();
		int nameBytes = SocketPaths.MAX_PATH_BYTES + 1 - bytes(workingDirectory) - 1;
		assumeTrue(nameBytes > 0 && nameBytes < 200, "working directory " + workingDirectory + " is too long");
		String relative = "r".repeat(nameBytes);
		assertThat(Path.of(workingDirectory, relative)).doesNotExist();
		List<Path> stagingBefore = stagingDirectories(Path.of(workingDirectory));
		SocketManager manager = manager();
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(relative))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.TOO_LONG);
				assertThat(ex.getPath()).isEqualTo(relative);
				assertThat(ex.getMessage()).contains(workingDirectory + "/" + relative).contains("107 bytes")
					.contains("106 bytes");
			});
		assertThat(Path.of(workingDirectory, relative)).doesNotExist();
		assertThat(stagingDirectories(Path.of(workingDirectory))).isEqualTo(stagingBefore);
		assertRegistryEmpty(manager, relative);
	}

	@Test
	void getOrCreateWhenMultiByteCharactersMakePathOverLimitInBytesThrowsTooLong() throws IOException {
		assumeThat(System.getProperty("sun.jnu.encoding")).as("file names are encoded as UTF-8 in this JVM")
			.isEqualToIgnoringCase("UTF-8");
		String name = "é".repeat(40);
		String path = this.directory + "/" + name;
		assertThat(path.length()).isLessThanOrEqualTo(106);
		assertThat(bytes(path)).isGreaterThan(106);
		assertTooLong(path, bytes(path));
	}

	@Test
	void getOrCreateWhenParentIsMissingThrowsParentMissingAndCreatesNoDirectory() throws IOException {
		Path parent = this.directory.resolve("missing");
		String path = parent.resolve("s.sock").toString();
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.PARENT_MISSING);
				assertThat(ex.getPath()).isEqualTo(path);
				assertThat(ex.getMessage()).contains("'" + path + "'").contains("'" + parent + "'")
					.contains("does not exist");
			});
		assertThat(parent).doesNotExist();
		assertUnchanged(manager, path, before);
	}

	@Test
	void getOrCreateWhenParentIsRegularFileThrowsParentMissingAndKeepsFile() throws IOException {
		Path parent = Files.writeString(this.directory.resolve("plain"), "not a directory");
		String path = parent.resolve("s.sock").toString();
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.PARENT_MISSING);
				assertThat(ex.getMessage()).contains("'" + path + "'").contains("'" + parent + "'");
			});
		assertUnchanged(manager, path, before);
	}

	@Test
	void getOrCreateWhenParentIsNotWritableThrowsParentNotWritable() throws Exception {
		Path parent = Files.createDirectory(this.directory.resolve("ro"));
		String path = parent.resolve("s.sock").toString();
		if (ExternalProcesses.uid() != 0) {
			Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
			SocketManager manager = manager();
			List<String> before = tree(this.directory);
			assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.PARENT_NOT_WRITABLE);
					assertThat(ex.getMessage()).contains("'" + path + "'").contains("'" + parent + "'")
						.contains("not writable");
				});
			assertUnchanged(manager, path, before);
			return;
		}
		// Root ignores permission bits: try it as nobody in a child JVM, in a directory root owns.
		ExternalProcesses.assumeJavaForNobody();
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path work = Files.createDirectory(this.directory.resolve("child"));
		List<String> before = tree(parent);
		Map<String, String> result = ExternalProcesses.runChildJvm(work, true, "try-bind", path);
		assertThat(result).containsEntry("uid", "65534")
			.containsEntry("result", "SocketPathException")
			.containsEntry("reason", "PARENT_NOT_WRITABLE")
			.containsEntry("active", "0")
			.containsEntry("snapshots", "0");
		assertThat(result.get("message")).contains("'" + path + "'").contains("'" + parent + "'")
			.contains("not writable");
		assertThat(tree(parent)).isEqualTo(before);
	}

	@Test
	void getOrCreateWhenRegularFileAtPathThrowsNotASocketAndKeepsFile() throws IOException {
		Path file = this.directory.resolve("s.sock");
		byte[] content = "precious data\n".getBytes(StandardCharsets.UTF_8);
		Files.write(file, content);
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertNotASocket(manager, file.toString(), "regular file");
		assertThat(Files.readAllBytes(file)).isEqualTo(content);
		assertUnchanged(manager, file.toString(), before);
		// The manager is not poisoned: once the file is gone the path binds.
		Files.delete(file);
		try (SocketReference reference = manager.getOrCreate(file.toString())) {
			assertThat(isSocket(file)).isTrue();
		}
	}

	@Test
	void getOrCreateWhenDirectoryAtPathThrowsNotASocketAndKeepsDirectory() throws IOException {
		Path dir = Files.createDirectory(this.directory.resolve("s.sock"));
		Files.writeString(dir.resolve("inside"), "keep me");
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertNotASocket(manager, dir.toString(), "directory");
		assertUnchanged(manager, dir.toString(), before);
	}

	@Test
	void getOrCreateWhenSymlinkToStaleSocketAtPathThrowsNotASocketAndDoesNotFollowIt() throws IOException {
		Path elsewhere = Files.createDirectory(this.directory.resolve("elsewhere"));
		Path stale = elsewhere.resolve("stale.sock");
		leaveStaleSocket(stale);
		Path link = Files.createSymbolicLink(this.directory.resolve("s.sock"), stale);
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertNotASocket(manager, link.toString(), "symbolic link");
		assertThat(Files.readSymbolicLink(link)).isEqualTo(stale);
		assertThat(isSocket(stale)).isTrue();
		assertUnchanged(manager, link.toString(), before);
	}

	@Test
	void getOrCreateWhenDanglingSymlinkAtPathThrowsNotASocketAndCreatesNothingAtItsTarget() throws IOException {
		Path target = this.directory.resolve("nowhere.sock");
		Path link = Files.createSymbolicLink(this.directory.resolve("s.sock"), target);
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertNotASocket(manager, link.toString(), "symbolic link");
		assertThat(target).doesNotExist();
		assertUnchanged(manager, link.toString(), before);
	}

	@Test
	void getOrCreateWhenFifoAtPathThrowsNotASocketAndKeepsFifo() throws Exception {
		Path fifo = this.directory.resolve("s.sock");
		Optional<String> mkfifo = ExternalProcesses.onPath("mkfifo");
		assumeTrue(mkfifo.isPresent(), "mkfifo (coreutils) is not on the PATH; cannot create a FIFO");
		ExternalProcesses.run(List.of(mkfifo.get(), fifo.toString()), Duration.ofSeconds(10));
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertNotASocket(manager, fifo.toString(), "special file that is not a socket");
		assertUnchanged(manager, fifo.toString(), before);
	}

	@Test
	void getOrCreateWhenStaleSocketOfKilledProcessAtPathReclaimsIt() throws Exception {
		String python = ExternalProcesses.assumePython();
		Path path = this.directory.resolve("s.sock");
		Process server = startPythonServer(python, path);
		server.destroyForcibly();
		assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(isSocket(path)).as("a SIGKILLed server leaves its socket file").isTrue();
		assertThatExceptionOfType(IOException.class).as("the stale file refuses connections")
			.isThrownBy(() -> AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path.toFile())).close());
		SocketManager manager = manager();
		try (SocketReference reference = manager.getOrCreate(path.toString())) {
			assertThat(isSocket(path)).isTrue();
			// A served round trip shows the file is a live socket again. Its inode number proves
			// nothing: the file system may give the new file the number the stale one just freed.
			try (AFUNIXSocket client = reference.connect()) {
				assertThat(roundTrip(client, "mine now")).isEqualTo("mine now");
			}
		}
		assertThat(path).doesNotExist();
		assertThat(listing(this.directory)).isEmpty();
	}

	@Test
	void getOrCreateWhenStaleSocketOfKilledGlideSocketProcessAtPathReclaimsIt() throws Exception {
		Path path = this.directory.resolve("s.sock");
		Path work = Files.createDirectory(this.directory.resolve("child"));
		Process child = ExternalProcesses.startChildJvm(work, false, "hold", path.toString());
		this.processes.add(child);
		ExternalProcesses.awaitLine(child, "bound");
		child.destroyForcibly();
		assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(isSocket(path)).isTrue();
		assertThat(stagingDirectories(this.directory)).as("staging directories, gone once the socket was published")
			.isEmpty();
		SocketManager manager = manager();
		try (SocketReference reference = manager.getOrCreate(path.toString())) {
			try (AFUNIXSocket client = reference.connect()) {
				assertThat(roundTrip(client, "reclaimed")).isEqualTo("reclaimed");
			}
		}
		assertThat(path).doesNotExist();
		assertThat(stagingDirectories(this.directory)).isEmpty();
	}

	@Test
	void getOrCreateWhenStaleSocketAndPolicyFailThrowsStaleSocketAndKeepsFile() throws IOException {
		Path path = this.directory.resolve("s.sock");
		leaveStaleSocket(path);
		SocketManager manager = manager(
				SocketOptions.builder().handler(SocketPathValidationTests::echo).staleSocketPolicy(StaleSocketPolicy.FAIL).build());
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path.toString()))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.STALE_SOCKET);
				assertThat(ex.getPath()).isEqualTo(path.toString());
				assertThat(ex.getMessage()).contains("'" + path + "'").contains("stale socket");
			});
		assertThat(isSocket(path)).isTrue();
		assertUnchanged(manager, path.toString(), before);
	}

	@Test
	void getOrCreateWhenAnotherProcessServesPathThrowsInUseAndNeverStealsIt() throws Exception {
		String python = ExternalProcesses.assumePython();
		Path path = this.directory.resolve("s.sock");
		Process server = startPythonServer(python, path);
		Object key = fileKey(path);
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketInUseException.class).isThrownBy(() -> manager.getOrCreate(path.toString()))
			.satisfies((ex) -> {
				assertThat(ex.getPath()).isEqualTo(path.toString());
				assertThat(ex.getMessage()).contains("'" + path + "'").contains("in use");
			});
		assertThat(fileKey(path)).isEqualTo(key);
		assertThat(server.isAlive()).isTrue();
		try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path.toFile()))) {
			client.setSoTimeout(5000);
			assertThat(readLine(client.getInputStream())).isEqualTo("pong");
		}
		assertUnchanged(manager, path.toString(), before);
	}

	@Test
	void getOrCreateWhenAnotherManagerInThisJvmServesPathThrowsInUseAndLeavesItServing() throws IOException {
		Path path = this.directory.resolve("s.sock");
		SocketManager owner = manager();
		try (SocketReference owned = owner.getOrCreate(path.toString())) {
			SocketManager intruder = manager();
			List<String> before = tree(this.directory);
			assertThatExceptionOfType(SocketInUseException.class)
				.isThrownBy(() -> intruder.getOrCreate(path.toString()))
				.withMessageContaining("'" + path + "'");
			assertUnchanged(intruder, path.toString(), before);
			assertThat(owned.isActive()).isTrue();
			try (AFUNIXSocket client = owned.connect()) {
				assertThat(roundTrip(client, "still mine")).isEqualTo("still mine");
			}
		}
	}

	private void assertTooLong(String path, int neededBytes) throws IOException {
		SocketManager manager = manager();
		List<String> before = tree(this.directory);
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.TOO_LONG);
				assertThat(ex.getPath()).isEqualTo(path);
				assertThat(ex.getMessage()).contains("'" + path + "'").contains("too long")
					.contains(neededBytes + " bytes").contains("106 bytes");
			});
		assertUnchanged(manager, path, before);
	}

	private void assertNotASocket(SocketManager manager, String path, String what) {
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> manager.getOrCreate(path))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.NOT_A_SOCKET);
				assertThat(ex.getPath()).isEqualTo(path);
				assertThat(ex.getMessage()).contains("'" + path + "'").contains("a " + what + " is at the path");
			});
	}

	private void assertUnchanged(SocketManager manager, String path, List<String> before) throws IOException {
		// Equal trees also mean no staging directory was left (or even created and removed: the
		// directory's mtime is compared too).
		assertThat(tree(this.directory)).as("the temporary directory, entry by entry").isEqualTo(before);
		assertRegistryEmpty(manager, path);
	}

	public static void assertRegistryEmpty(SocketManager manager, String path) {
		assertThat(manager.activeSocketCount()).isZero();
		assertThat(manager.isSocketActive(path)).isFalse();
		assertThat(manager.snapshots()).isEmpty();
		assertThat(manager.totalReferenceCount()).isZero();
		assertThat(manager.getExisting(path)).isEmpty();
	}

	/**
	 * A directory whose absolute path is exactly {@code length} bytes.
	 */
	private Path directoryOfLength(int length) throws IOException {
		int padding = length - bytes(this.directory.toString()) - 1;
		assertThat(padding).as("room under " + this.directory).isPositive();
		Path parent = Files.createDirectory(this.directory.resolve("p".repeat(padding)));
		assertThat(bytes(parent.toString())).isEqualTo(length);
		return parent;
	}

	private Process startPythonServer(String python, Path path) throws IOException {
		Process server = new ProcessBuilder(python, "-c", ExternalProcesses.PYTHON_SERVER, path.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(server);
		ExternalProcesses.awaitLine(server, "ready");
		return server;
	}

	/**
	 * Leave a socket file that no one serves, as a crashed process does: bind, then close the
	 * descriptor without removing the file.
	 */
	public static void leaveStaleSocket(Path path) throws IOException {
		try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
			server.setDeleteOnClose(false);
			server.bind(AFUNIXSocketAddress.of(path.toFile()));
		}
		assertThat(isSocket(path)).isTrue();
	}

	public static void echo(SocketConnection connection) throws IOException {
		connection.inputStream().transferTo(connection.outputStream());
	}

	public static String roundTrip(AFUNIXSocket client, String line) throws IOException {
		client.setSoTimeout(10_000);
		client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
		client.getOutputStream().flush();
		return readLine(client.getInputStream());
	}

	/**
	 * Read one line byte by byte (no read-ahead, so the stream stays usable).
	 * @return the line without its terminator, or {@code null} at end-of-stream before any byte
	 */
	public static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (;;) {
			int b = in.read();
			if (b == -1) {
				return (line.length() == 0) ? null : line.toString();
			}
			if (b == '\n') {
				return line.toString();
			}
			line.append((char) b);
		}
	}

	public static int bytes(String path) {
		return path.getBytes(StandardCharsets.UTF_8).length;
	}

	public static boolean isSocket(Path path) throws IOException {
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		return (mode & 0170000) == 0140000;
	}

	public static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	public static List<String> listing(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.map((entry) -> entry.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	public static List<Path> stagingDirectories(Path parent) throws IOException {
		try (Stream<Path> entries = Files.list(parent)) {
			return entries.filter((entry) -> entry.getFileName().toString().startsWith(".g")).sorted()
				.collect(Collectors.toList());
		}
	}

	public static List<String> tree(Path root) throws IOException {
		return tree(root, Integer.MAX_VALUE);
	}

	/**
	 * Every entry under the root (the root included, as {@code ""}), with its type, inode, mode,
	 * modification time and content or link target: two equal trees mean nothing was created,
	 * removed, replaced or written in between.
	 */
	public static List<String> tree(Path root, int depth) throws IOException {
		try (Stream<Path> paths = Files.walk(root, depth)) {
			return paths.sorted().map((path) -> describe(root, path)).collect(Collectors.toList());
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private static String describe(Path root, Path path) {
		try {
			Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,ino,lastModifiedTime",
					LinkOption.NOFOLLOW_LINKS);
			int mode = (int) attributes.get("mode");
			String type = switch (mode & 0170000) {
				case 0140000 -> "socket";
				case 0100000 -> "file";
				case 0040000 -> "dir";
				case 0120000 -> "link";
				case 0010000 -> "fifo";
				default -> "other";
			};
			StringBuilder description = new StringBuilder(root.relativize(path).toString());
			if (description.length() > 0) {
				description.append(' ').append(type).append(" ino=").append(attributes.get("ino"));
				description.append(" mode=").append(Integer.toOctalString(mode & 07777));
			}
			description.append(" mtime=").append(attributes.get("lastModifiedTime"));
			if (type.equals("file")) {
				description.append(" sha256=").append(HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
			}
			else if (type.equals("link")) {
				description.append(" -> ").append(Files.readSymbolicLink(path));
			}
			return description.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Other processes for these tests: python3 servers and clients, and child JVMs running
	 * {@link ChildMain}, optionally as the user {@code nobody} through {@code setpriv}.
	 */
	public static final class ExternalProcesses {

		public static final long NOBODY = 65534;

		/** Binds and listens at argv[1], prints "ready", and answers every connection with "pong". */
		public static final String PYTHON_SERVER = String.join("\n", "import socket, sys",
				"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1])", "s.listen(16)",
				"print('ready', flush=True)", "while True:", "    c, _ = s.accept()", "    try:",
				"        c.sendall(b'pong\\n')", "    except OSError:", "        pass", "    c.close()");

		/**
		 * Binds at argv[1] + ".new", renames it over argv[1] (as a takeover or an attacker would,
		 * so the path is never empty), prints "ready", and answers every connection with "pong".
		 */
		public static final String PYTHON_RENAMING_SERVER = String.join("\n", "import os, socket, sys",
				"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1] + '.new')", "s.listen(16)",
				"os.rename(sys.argv[1] + '.new', sys.argv[1])", "print('ready', flush=True)", "while True:",
				"    c, _ = s.accept()", "    try:", "        c.sendall(b'pong\\n')", "    except OSError:",
				"        pass", "    c.close()");

		private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
				"--clear-groups");

		private ExternalProcesses() {
		}

		/**
		 * The real user id of this process (read through the {@code /proc/self} link, not of it).
		 */
		public static long uid() throws IOException {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		}

		public static Optional<String> onPath(String program) {
			String path = System.getenv("PATH");
			if (path == null) {
				return Optional.empty();
			}
			for (String directory : path.split(File.pathSeparator)) {
				Path candidate = Path.of(directory, program);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return Optional.of(candidate.toString());
				}
			}
			return Optional.empty();
		}

		public static String assumePython() {
			Optional<String> python = onPath("python3").filter((candidate) -> succeeds(List.of(candidate, "-c", "pass")));
			assumeTrue(python.isPresent(), "python3 is not on the PATH; it plays the other process in this test");
			return python.get();
		}

		public static void assumeCanRunAsNobody() throws IOException {
			assumeTrue(uid() == 0, "switching to user nobody needs root; this process is uid " + uid());
			assumeTrue(onPath("setpriv").isPresent(),
					"setpriv (package util-linux) is not on the PATH; it is needed to run a process as nobody");
			assumeTrue(succeeds(asNobody(List.of("true"))), "setpriv cannot switch to uid/gid " + NOBODY);
		}

		/**
		 * Open the directory to others and check that nobody can reach it (its ancestors too).
		 */
		public static void assumeNobodyCanEnter(Path directory) throws IOException {
			assumeCanRunAsNobody();
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
			assumeTrue(succeeds(asNobody(List.of("test", "-x", directory.toString()))),
					"user nobody cannot reach " + directory + " (an ancestor directory is closed to others)");
		}

		/**
		 * Check that user nobody can run this JVM's java (a JDK under /root is out of its reach).
		 */
		public static void assumeJavaForNobody() throws IOException {
			assumeCanRunAsNobody();
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			assumeTrue(succeeds(asNobody(List.of(java, "-version"))), "user nobody cannot run " + java);
		}

		/**
		 * A python3 that user nobody can run (a pyenv shim under /root is not one).
		 */
		public static String assumePythonForNobody() throws IOException {
			assumeCanRunAsNobody();
			List<String> candidates = new ArrayList<>(List.of("/usr/bin/python3", "/usr/local/bin/python3"));
			onPath("python3").ifPresent(candidates::add);
			for (String candidate : candidates) {
				if (Files.isExecutable(Path.of(candidate)) && succeeds(asNobody(List.of(candidate, "-c", "pass")))) {
					return candidate;
				}
			}
			assumeTrue(false, "no python3 that user nobody can run (tried " + candidates + ")");
			return "";
		}

		public static List<String> asNobody(List<String> command) {
			List<String> full = new ArrayList<>(AS_NOBODY);
			full.addAll(command);
			return full;
		}

		public static boolean succeeds(List<String> command) {
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				if (!process.waitFor(30, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					return false;
				}
				return process.exitValue() == 0;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		/**
		 * Run a command to its end and return its standard output.
		 */
		public static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			try {
				byte[] output = process.getInputStream().readAllBytes();
				assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s ends", command).isTrue();
				assertThat(process.exitValue()).as("exit status of %s", command).isZero();
				return new String(output, StandardCharsets.UTF_8);
			}
			finally {
				process.destroyForcibly();
			}
		}

		/**
		 * Read the process's standard output until a line equals the expected one.
		 */
		public static void awaitLine(Process process, String expected) throws IOException {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			List<String> seen = new ArrayList<>();
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.equals(expected)) {
					return;
				}
				seen.add(line);
			}
			throw new AssertionError("process ended without printing '" + expected + "'; it printed " + seen);
		}

		public static Map<String, String> runChildJvm(Path work, boolean asNobody, String... args)
				throws IOException, InterruptedException {
			return runChildJvm(work, asNobody, Map.of(), args);
		}

		public static Map<String, String> runChildJvm(Path work, boolean asNobody, Map<String, String> environment,
				String... args) throws IOException, InterruptedException {
			Process child = startChildJvm(work, asNobody, environment, args);
			try {
				byte[] output = child.getInputStream().readAllBytes();
				assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child JVM ends").isTrue();
				String text = new String(output, StandardCharsets.UTF_8);
				assertThat(child.exitValue()).as("child JVM exit status; it printed:%n%s%nstderr:%n%s", text,
						Files.readString(work.resolve("stderr.txt"))).isZero();
				Map<String, String> result = new LinkedHashMap<>();
				for (String line : text.split("\n")) {
					int equals = line.indexOf('=');
					if (equals > 0) {
						result.put(line.substring(0, equals), line.substring(equals + 1));
					}
				}
				return result;
			}
			finally {
				child.destroyForcibly();
			}
		}

		/**
		 * Start {@link ChildMain} in a new JVM. As nobody, the JVM cannot read this process's
		 * classpath (the Maven repository is under /root), so the classes it needs are copied to a
		 * world-readable directory first.
		 */
		public static Process startChildJvm(Path work, boolean asNobody, String... args) throws IOException {
			return startChildJvm(work, asNobody, Map.of(), args);
		}

		/**
		 * Start {@link ChildMain} in a new JVM with changes to its environment: a variable mapped
		 * to {@code null} is removed.
		 */
		public static Process startChildJvm(Path work, boolean asNobody, Map<String, String> environment,
				String... args) throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			String classpath = asNobody ? copyClasspath(work) : System.getProperty("java.class.path");
			List<String> command = new ArrayList<>();
			if (asNobody) {
				command.addAll(AS_NOBODY);
			}
			command.add(java);
			if (Runtime.version().feature() >= 22) {
				command.add("--enable-native-access=ALL-UNNAMED");
			}
			Path tmp = Files.createDirectories(work.resolve("tmp"));
			Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
			Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
			command.add("-Djava.io.tmpdir=" + tmp);
			command.add("-cp");
			command.add(classpath);
			command.add(ChildMain.class.getName());
			command.addAll(List.of(args));
			ProcessBuilder builder = new ProcessBuilder(command).redirectError(work.resolve("stderr.txt").toFile());
			environment.forEach((name, value) -> {
				if (value == null) {
					builder.environment().remove(name);
				}
				else {
					builder.environment().put(name, value);
				}
			});
			return builder.start();
		}

		private static String copyClasspath(Path work) throws IOException {
			Path target = Files.createDirectories(work.resolve("cp"));
			List<String> entries = new ArrayList<>();
			int index = 0;
			for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
				Path source = Path.of(entry);
				String name = source.getFileName().toString();
				if (Files.isDirectory(source)) {
					Path copy = target.resolve("dir" + index++);
					copyTree(source, copy);
					entries.add(copy.toString());
				}
				else if (name.startsWith("junixsocket") && name.endsWith(".jar")) {
					Path copy = target.resolve(name);
					Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
					entries.add(copy.toString());
				}
			}
			makeReadableByAll(work);
			return String.join(File.pathSeparator, entries);
		}

		private static void copyTree(Path source, Path target) throws IOException {
			Files.walkFileTree(source, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
					Files.createDirectories(target.resolve(source.relativize(dir).toString()));
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
					Files.copy(file, target.resolve(source.relativize(file).toString()));
					return FileVisitResult.CONTINUE;
				}

			});
		}

		private static void makeReadableByAll(Path root) throws IOException {
			try (Stream<Path> paths = Files.walk(root)) {
				for (Path path : paths.collect(Collectors.toList())) {
					Files.setPosixFilePermissions(path,
							PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
				}
			}
		}

	}

	/**
	 * The program a child JVM runs. It uses only the core (no test libraries), and prints its
	 * results as {@code key=value} lines.
	 */
	static final class ChildMain {

		private ChildMain() {
		}

		public static void main(String[] args) throws Exception {
			String mode = args[0];
			// A path given as \\uXXXX escapes reaches the JVM intact whatever its locale.
			String path = mode.endsWith("-escaped") ? unescape(args[1]) : args[1];
			System.out.println("uid=" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
			System.out.println("fileNameEncoding=" + System.getProperty("sun.jnu.encoding"));
			SocketManager manager = SocketManager.builder()
				.name("child")
				.shutdownHook(false)
				.fileCheckInterval(Duration.ZERO)
				.defaults(SocketOptions.builder().handler(ChildMain::greet).build())
				.build();
			switch (mode) {
				case "hold" -> {
					manager.getOrCreate(path);
					System.out.println("bound");
					System.out.flush();
					new CountDownLatch(1).await();
				}
				case "try-bind", "try-bind-escaped" -> tryBind(manager, path);
				case "self-connect" -> selfConnect(manager, path);
				default -> throw new IllegalArgumentException(mode);
			}
			manager.close();
			System.out.flush();
			System.exit(0);
		}

		private static String unescape(String escaped) {
			StringBuilder path = new StringBuilder();
			for (int i = 0; i < escaped.length(); i++) {
				if (escaped.startsWith("\\u", i)) {
					path.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
					i += 5;
				}
				else {
					path.append(escaped.charAt(i));
				}
			}
			return path.toString();
		}

		private static void greet(SocketConnection connection) throws IOException {
			connection.outputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
			connection.inputStream().transferTo(OutputStream.nullOutputStream());
		}

		private static void tryBind(SocketManager manager, String path) {
			try (SocketReference reference = manager.getOrCreate(path)) {
				System.out.println("result=bound");
			}
			catch (SocketPathException ex) {
				System.out.println("result=" + ex.getClass().getSimpleName());
				System.out.println("reason=" + ex.getReason());
				System.out.println("message=" + ex.getMessage());
			}
			catch (RuntimeException ex) {
				System.out.println("result=" + ex.getClass().getSimpleName());
				System.out.println("message=" + ex.getMessage());
			}
			System.out.println("active=" + manager.activeSocketCount());
			System.out.println("snapshots=" + manager.snapshots().size());
		}

		private static void selfConnect(SocketManager manager, String path) throws IOException {
			System.out.println("processIdentityUid=" + PeerCredentials.processUid());
			try (SocketReference reference = manager.getOrCreate(path); AFUNIXSocket client = reference.connect()) {
				client.setSoTimeout(10_000);
				StringBuilder reply = new StringBuilder();
				int b;
				while ((b = client.getInputStream().read()) != -1 && b != '\n') {
					reply.append((char) b);
				}
				System.out.println("reply=" + ((b == -1 && reply.length() == 0) ? "EOF" : reply));
				SocketSnapshot snapshot = manager.snapshot(path).orElseThrow();
				System.out.println("rejected=" + snapshot.rejectedConnections());
			}
		}

	}

}
