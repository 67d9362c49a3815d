package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketPathValidationTests;
import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

	@FunctionalInterface
	private interface Action {

		void run(Path staging) throws IOException;

	}

}
