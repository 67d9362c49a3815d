package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketPathValidationTests;
import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link UnixSocketBinder}: what another process that can write the socket's directory
 * does at each step of a bind, made to happen exactly at that step. The staging directory's name
 * may lead anywhere at any moment; the bind must stay in the directory it created and opened,
 * and never create, change or remove anything elsewhere.
 */
@Timeout(60)
class UnixSocketBinderTests {

	@TempDir
	Path root;

	private Path shared;

	private Path elsewhere;

	private final List<UnixSocketBinder.BoundSocket> bound = new ArrayList<>();

	@BeforeEach
	void prepareDirectories() throws IOException {
		// A directory that others can write: renaming what is in it is up to them.
		this.shared = Files.createDirectory(this.root.resolve("shared"));
		Files.setPosixFilePermissions(this.shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		// A private, empty directory of this user's, as a fresh staging directory is.
		this.elsewhere = Files.createDirectory(this.root.resolve("elsewhere"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
	}

	@AfterEach
	void release() {
		UnixSocketBinder.stepHook = null;
		for (UnixSocketBinder.BoundSocket socket : this.bound) {
			UnixSocketBinder.closeQuietly(socket.server());
		}
	}

	@Test
	void bindWhenStagingNameLeadsElsewhereAfterOpeningBindsInTheOpenedDirectory() throws Exception {
		Path socket = this.shared.resolve("app.sock");
		List<String> elsewhereBefore = SocketPathValidationTests.tree(this.elsewhere);
		Path held = this.shared.resolve("held");
		onceAt(UnixSocketBinder.Step.OPENED, (staging) -> {
			Files.move(staging, held);
			Files.createSymbolicLink(staging, this.elsewhere);
		});
		UnixSocketBinder.BoundSocket socketBound = bind(socket);
		assertServed(socket, socketBound);
		assertThat(mode(socket)).isEqualTo("rw-------");
		assertThat(SocketPathValidationTests.tree(this.elsewhere)).as("the directory the name led to").isEqualTo(elsewhereBefore);
		assertThat(SocketPathValidationTests.listing(held)).as("the staging directory, emptied through its handle")
			.isEmpty();
	}

	@Test
	void bindWhenStagingNameLeadsToLinkNamedLikeTheSocketNeverChangesTheLinkTarget() throws Exception {
		Path socket = this.shared.resolve("app.sock");
		Path victims = Files.createDirectory(this.root.resolve("victims"));
		Path victim = Files.writeString(victims.resolve("victim"), "precious\n");
		Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
		List<String> victimBefore = SocketPathValidationTests.tree(victims);
		Path trap = Files.createDirectory(this.shared.resolve("trap"));
		Files.createSymbolicLink(trap.resolve("s"), victim);
		onceAt(UnixSocketBinder.Step.BOUND, (staging) -> {
			Files.move(staging, this.shared.resolve("held"));
			Files.createSymbolicLink(staging, trap);
		});
		UnixSocketBinder.BoundSocket socketBound = bind(socket);
		assertServed(socket, socketBound);
		assertThat(mode(socket)).isEqualTo("rw-------");
		assertThat(mode(victim)).isEqualTo("rw-r--r--");
		assertThat(SocketPathValidationTests.tree(victims)).isEqualTo(victimBefore);
	}

	@Test
	void bindWhenStagingNameLeadsToAnotherPrivateDirectoryBeforeOpeningRefusesItAndBindsAnew() throws Exception {
		Path socket = this.shared.resolve("app.sock");
		List<String> elsewhereBefore = SocketPathValidationTests.tree(this.elsewhere);
		Path held = this.shared.resolve("held");
		onceAt(UnixSocketBinder.Step.CREATED, (staging) -> {
			Files.move(staging, held);
			Files.createSymbolicLink(staging, this.elsewhere);
		});
		UnixSocketBinder.BoundSocket socketBound = bind(socket);
		assertServed(socket, socketBound);
		assertThat(SocketPathValidationTests.tree(this.elsewhere)).as("the directory the name led to").isEqualTo(elsewhereBefore);
		assertThat(SocketPathValidationTests.listing(held)).as("the first staging directory, never used").isEmpty();
	}

	@Test
	void bindWhenStagingNameIsAnotherUsersDirectoryBeforeOpeningRefusesItAndBindsAnew() throws Exception {
		assumeTrue(ExternalProcesses.uid() == 0, "giving a directory to another user needs root");
		Path socket = this.shared.resolve("app.sock");
		AtomicBoolean planted = new AtomicBoolean();
		List<Path> theirs = new ArrayList<>();
		onceAt(UnixSocketBinder.Step.CREATED, (staging) -> {
			Files.move(staging, this.shared.resolve("held"));
			Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			Files.setAttribute(staging, "unix:uid", (int) ExternalProcesses.NOBODY);
			theirs.add(staging);
			planted.set(true);
		});
		UnixSocketBinder.BoundSocket socketBound = bind(socket);
		assertThat(planted).isTrue();
		assertServed(socket, socketBound);
		assertThat(theirs.get(0)).as("the other user's directory, still there").isDirectory();
		assertThat(SocketPathValidationTests.listing(theirs.get(0))).as("nothing bound in the other user's directory")
			.isEmpty();
	}

	@Test
	void bindWhenADirectoryAboveIsReplacedByOthersNeverChangesAFileElsewhere() throws Exception {
		// The socket's own directory is private, but it sits in one that others can write: they
		// can move it away and put a directory of theirs in its place while a socket is bound.
		Path own = Files.createDirectory(this.shared.resolve("own"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path victims = Files.createDirectory(this.root.resolve("victims"));
		Path victim = Files.writeString(victims.resolve("victim"), "precious\n");
		Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
		List<String> victimBefore = SocketPathValidationTests.tree(victims);
		AtomicBoolean replaced = new AtomicBoolean();
		onceAt(UnixSocketBinder.Step.BOUND, (directory) -> {
			Path held = Files.move(own, this.shared.resolve("held"));
			Path theirs = Files.createDirectory(own);
			// Every name the bind uses leads to the victim: a staged socket's, or a staging
			// directory's socket.
			for (String name : SocketPathValidationTests.listing(held)) {
				if (Files.isDirectory(held.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
					Files.createSymbolicLink(Files.createDirectory(theirs.resolve(name)).resolve("s"), victim);
				}
				else {
					Files.createSymbolicLink(theirs.resolve(name), victim);
				}
			}
			replaced.set(true);
		});
		try {
			bind(own.resolve("app.sock"));
		}
		catch (SocketPathException ex) {
			// Failing after repeated interference is allowed; changing the victim is not.
		}
		assertThat(replaced).isTrue();
		assertThat(mode(victim)).isEqualTo("rw-r--r--");
		assertThat(SocketPathValidationTests.tree(victims)).isEqualTo(victimBefore);
	}

	@Test
	void bindWhenPublishedFileIsReplacedAtOnceFailsAndLeavesTheReplacement() throws Exception {
		Path socket = this.shared.resolve("app.sock");
		onceAt(UnixSocketBinder.Step.PUBLISHED, (staging) -> {
			Files.delete(socket);
			Files.writeString(socket, "someone else's\n");
		});
		assertThatExceptionOfType(SocketPathException.class).isThrownBy(() -> bind(socket))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(SocketPathException.Reason.NOT_A_SOCKET));
		assertThat(Files.readString(socket)).isEqualTo("someone else's\n");
		assertThat(SocketPathValidationTests.listing(this.shared)).containsExactly("app.sock");
	}

	@Test
	void bindInDirectoryThisUserCanWriteButNotReadBindsAndRemovesTheSocketAtClose() throws Exception {
		// Root reads any directory: run the bind as nobody, in a directory nobody can write and enter only.
		ExternalProcesses.assumeJavaForNobody();
		ExternalProcesses.assumeNobodyCanEnter(this.root);
		Path dropBox = Files.createDirectory(this.root.resolve("drop-box"));
		Files.setAttribute(dropBox, "unix:uid", (int) ExternalProcesses.NOBODY);
		Files.setPosixFilePermissions(dropBox, PosixFilePermissions.fromString("-wx------"));
		Path work = Files.createDirectory(this.root.resolve("child"));
		Map<String, String> result = ExternalProcesses.runChildJvm(work, true, "try-bind",
				dropBox.resolve("s.sock").toString());
		assertThat(result).containsEntry("uid", "65534").containsEntry("result", "bound");
		assertThat(SocketPathValidationTests.listing(dropBox)).as("the socket file and staging directories, all gone")
			.isEmpty();
	}

	/**
	 * A directory only this user can enter is as private as a staging directory, so the socket is
	 * bound in it directly; where others may enter, or change entries, a staging directory is
	 * made for the bind. Either way only the socket's file is left.
	 */
	@ParameterizedTest
	@CsvSource({ "rwx------, BOUND PUBLISHED", "rwxr-xr-x, CREATED OPENED BOUND PUBLISHED",
			"rwxrwxrwx, CREATED OPENED BOUND PUBLISHED" })
	void bindMakesAStagingDirectoryOnlyWhereOthersMayEnter(String directoryMode, String expectedSteps)
			throws Exception {
		Path socketDirectory = Files.createDirectory(this.root.resolve("sockets"));
		Files.setPosixFilePermissions(socketDirectory, PosixFilePermissions.fromString(directoryMode));
		List<String> steps = new ArrayList<>();
		List<Path> boundIn = new ArrayList<>();
		UnixSocketBinder.stepHook = (step, directory) -> {
			steps.add(step.name());
			if (step == UnixSocketBinder.Step.BOUND) {
				boundIn.add(directory);
			}
		};
		Path socket = socketDirectory.resolve("app.sock");
		UnixSocketBinder.BoundSocket socketBound = bind(socket);
		assertThat(String.join(" ", steps)).isEqualTo(expectedSteps);
		assertThat(boundIn).hasSize(1);
		assertThat(boundIn.get(0).equals(socketDirectory)).as("bound beside the path in %s", boundIn)
			.isEqualTo(directoryMode.equals("rwx------"));
		assertServed(socket, socketBound);
		assertThat(mode(socket)).isEqualTo("rw-------");
		assertThat(SocketPathValidationTests.listing(socketDirectory)).containsExactly("app.sock");
	}

	/**
	 * In a directory only this user can change, but others may enter (as all users, or as its
	 * group), nothing but the umask would decide who can connect to a socket the moment
	 * {@code bind(2)} creates its file; in one only this user can enter, nobody else reaches it.
	 */
	@ParameterizedTest
	@CsvSource({ "rwxr-xr-x, false", "rwx--x---, true", "rwx------, false" })
	void bindUnderUmaskThatLetsOthersWriteNeverLetsOthersConnectBeforeTheModeIsSet(String directoryMode,
			boolean nobodysGroup) throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		ExternalProcesses.assumeNobodyCanEnter(this.root);
		Path own = Files.createDirectory(this.root.resolve("own"));
		Files.setPosixFilePermissions(own, PosixFilePermissions.fromString(directoryMode));
		if (nobodysGroup) {
			Files.setAttribute(own, "unix:gid", (int) ExternalProcesses.NOBODY);
		}
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh", java));
		if (Runtime.version().feature() >= 22) {
			command.add("--enable-native-access=ALL-UNNAMED");
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), UmaskChild.class.getName(),
				own.toString(), python));
		Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue()).as("child exit status; it printed: %s", output).isZero();
		Map<String, String> result = new HashMap<>();
		for (String line : output.split("\n")) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				result.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		assertThat(result).containsEntry("umask-mode", "rw-rw-rw-");
		assertThat(Integer.parseInt(result.get("sockets-tried"))).as("sockets tried at the moment of binding")
			.isGreaterThanOrEqualTo(UmaskChild.SOCKETS);
		assertThat(result).as("sockets nobody connected to while they were being bound").containsEntry("connected", "");
		assertThat(result).containsEntry("modes", "rw-------,rw-------,rw-------");
		assertThat(SocketPathValidationTests.stagingDirectories(own)).isEmpty();
	}

	private UnixSocketBinder.BoundSocket bind(Path socket) {
		UnixSocketBinder.BoundSocket socketBound = UnixSocketBinder.bind(socket.toString(), SocketOptions.defaults());
		this.bound.add(socketBound);
		return socketBound;
	}

	private static void onceAt(UnixSocketBinder.Step step, Action action) {
		AtomicBoolean done = new AtomicBoolean();
		UnixSocketBinder.stepHook = (reached, staging) -> {
			if (reached == step && done.compareAndSet(false, true)) {
				action.run(staging);
			}
		};
	}

	private static void assertServed(Path socket, UnixSocketBinder.BoundSocket socketBound) throws IOException {
		assertThat(SocketPathValidationTests.isSocket(socket)).isTrue();
		assertThat(UnixSocketBinder.fileKey(socket)).isEqualTo(socketBound.fileKey());
		try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			client.connect(UnixDomainSocketAddress.of(socket));
			try (SocketChannel accepted = socketBound.server().accept()) {
				assertThat(accepted).isNotNull();
			}
		}
	}

	private static String mode(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

	/**
	 * Binds {@link #SOCKETS} sockets with the default mode in a directory, under the umask it was
	 * started with. Each time a socket is bound, and before its mode is set, user nobody tries
	 * every socket file in the directory's tree; the child prints which it reached.
	 */
	static final class UmaskChild {

		static final int SOCKETS = 3;

		private UmaskChild() {
		}

		public static void main(String[] args) throws Exception {
			Path directory = Path.of(args[0]);
			String python = args[1];
			Path probe = Files.createFile(directory.resolve("umask-probe"));
			System.out.println("umask-mode=" + PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)));
			Files.delete(probe);
			AtomicInteger tried = new AtomicInteger();
			List<String> connected = new ArrayList<>();
			UnixSocketBinder.stepHook = (step, where) -> {
				if (step != UnixSocketBinder.Step.BOUND) {
					return;
				}
				try (Stream<Path> files = Files.walk(directory)) {
					for (Path file : files.collect(Collectors.toList())) {
						if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
							tried.incrementAndGet();
							if (ExternalProcesses.succeeds(ExternalProcesses.asNobody(List.of(python, "-c",
									"import socket, sys\nsocket.socket(socket.AF_UNIX).connect(sys.argv[1])",
									file.toString())))) {
								connected.add(directory.relativize(file).toString());
							}
						}
					}
				}
			};
			List<String> modes = new ArrayList<>();
			for (int i = 0; i < SOCKETS; i++) {
				Path socket = directory.resolve(i + ".sock");
				UnixSocketBinder.bind(socket.toString(), SocketOptions.defaults());
				modes.add(mode(socket));
			}
			System.out.println("sockets-tried=" + tried.get());
			System.out.println("connected=" + String.join(",", connected));
			System.out.println("modes=" + String.join(",", modes));
			System.out.flush();
			System.exit(0);
		}

	}

	@FunctionalInterface
	private interface Action {

		void run(Path staging) throws IOException;

	}

}
