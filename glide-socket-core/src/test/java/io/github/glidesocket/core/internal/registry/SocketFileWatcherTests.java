package io.github.glidesocket.core.internal.registry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketFileWatcher}: the directories of sockets that may be taken over are
 * watched while such a socket is bound there, and no longer (the kernel limits watches per user).
 */
@Timeout(120)
class SocketFileWatcherTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void theWatchOfADirectoryIsCancelledWithItsLastSocket() throws Exception {
		try (SocketManager manager = SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.defaults(SocketOptions.builder().takeover(true).directoryCheck(DirectoryCheck.OFF).build())
			.build()) {
			long before = inotifyWatches();
			Path shared = Files.createDirectory(this.directory.resolve("shared"));
			SocketReference first = manager.getOrCreate(shared.resolve("a.sock").toString());
			SocketReference second = manager.getOrCreate(shared.resolve("b.sock").toString());
			await().atMost(WAIT).until(() -> inotifyWatches() == before + 1);
			first.close();
			assertThat(inotifyWatches()).as("b.sock is still bound there").isEqualTo(before + 1);
			second.close();
			for (int i = 0; i < 200; i++) {
				Path own = Files.createDirectory(this.directory.resolve("d" + i));
				manager.getOrCreate(own.resolve("s.sock").toString()).close();
			}
			// The kernel's watches go as the JDK's watch service processes the cancellations.
			await().atMost(WAIT).until(() -> inotifyWatches() == before);
		}
	}

	/**
	 * The inotify watches this process holds, as the kernel lists them.
	 */
	private static long inotifyWatches() throws IOException {
		long watches = 0;
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fdinfo"))) {
			for (Path descriptor : descriptors) {
				try {
					watches += Files.readAllLines(descriptor)
						.stream()
						.filter((line) -> line.startsWith("inotify wd:"))
						.count();
				}
				catch (IOException ex) {
					// Closed meanwhile.
				}
			}
		}
		return watches;
	}

}
