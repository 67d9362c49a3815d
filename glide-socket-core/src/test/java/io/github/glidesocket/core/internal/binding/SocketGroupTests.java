package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathValidationTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The socket file's group: given in the staging step, so the file is never at its path with
 * another group, whichever way it is bound (beside the path in a private directory, or in a
 * staging directory reached by name or through its descriptor).
 */
@Timeout(60)
class SocketGroupTests {

	private static final long NOGROUP = 65534;

	@TempDir
	Path root;

	private final List<UnixSocketBinder.BoundSocket> bound = new ArrayList<>();

	@AfterEach
	void release() {
		UnixSocketBinder.stepHook = null;
		this.bound.forEach((socket) -> UnixSocketBinder.closeQuietly(socket.server()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "rwx------", "rwxr-xr-x", "rwxrwxrwx" })
	void socketFileHasItsGroupAndModeFromTheMomentItIsPublished(String directoryMode) throws Exception {
		assumeTrue(processGid() != NOGROUP, "the test gives the socket a group other than the process's");
		Path directory = Files.createDirectory(this.root.resolve("sockets"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(directoryMode));
		Path socket = directory.resolve("app.sock");
		List<String> atPublish = new ArrayList<>();
		UnixSocketBinder.stepHook = (step, where) -> {
			if (step == UnixSocketBinder.Step.PUBLISHED) {
				// The first moment anything is at the path.
				atPublish.add(groupAndMode(socket));
			}
		};
		SocketOptions options = SocketOptions.builder().permissions("0660").group("nogroup").build();
		this.bound.add(UnixSocketBinder.bind(socket.toString(), options));
		assertThat(atPublish).containsExactly(NOGROUP + " rw-rw----");
		assertThat(groupAndMode(socket)).isEqualTo(NOGROUP + " rw-rw----");
		assertThat(SocketPathValidationTests.listing(directory)).containsExactly("app.sock");
	}

	private static String groupAndMode(Path socket) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(socket, "unix:gid,permissions", LinkOption.NOFOLLOW_LINKS);
		@SuppressWarnings("unchecked")
		var permissions = (java.util.Set<java.nio.file.attribute.PosixFilePermission>) attributes.get("permissions");
		return attributes.get("gid") + " " + PosixFilePermissions.toString(permissions);
	}

	private static long processGid() throws IOException {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
	}

}
