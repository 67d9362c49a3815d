package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UnixSocketBinder#unlinkIfOwned(Path, Object)} checks that the path holds the socket's
 * file and then removes it: two steps, between which whoever can write the directories on the
 * path can change them. While another thread swaps, as fast as it can, the socket's directory
 * for a link to another directory or for another directory renamed into its place, and the
 * socket's name for a link or an empty directory, thousands of removals may remove only the
 * socket's own file or a link put at its name: never a file in another directory, never a file
 * through a link, never a directory.
 */
@Timeout(180)
class UnlinkRaceTests {

	private static final int REMOVALS = 3000;

	@TempDir
	Path root;

	@Test
	void removalWhileDirectoriesAndNamesAreSwappedNeverRemovesAnythingElsewhereOrThroughALink() throws Exception {
		// parent/d holds the socket's name x; parent/w and victims hold files named x too.
		Path parent = Files.createDirectory(this.root.resolve("parent"));
		Path directory = Files.createDirectory(parent.resolve("d"));
		Path other = Files.createDirectory(parent.resolve("w"));
		Path victims = Files.createDirectory(this.root.resolve("victims"));
		Path otherFile = Files.writeString(other.resolve("x"), "in the directory renamed into place\n");
		Path victimFile = Files.writeString(victims.resolve("x"), "in the directory a link leads to\n");
		// Second names, in a directory nobody swaps: their link counts drop if a file loses its name.
		Path keep = Files.createDirectory(this.root.resolve("keep"));
		Path otherWatch = Files.createLink(keep.resolve("other"), otherFile);
		Path victimWatch = Files.createLink(keep.resolve("victim"), victimFile);
		Path socketFile = staleSocket(Files.createDirectory(this.root.resolve("source")).resolve("socket"));
		Object socketKey = UnixSocketBinder.fileKey(socketFile);
		Path path = directory.resolve("x");

		Swapper swapper = new Swapper(parent, directory, other, victims, path);
		Thread swapping = new Thread(swapper, "swapper");
		swapping.start();
		long removed = 0;
		long refused = 0;
		try {
			for (int i = 0; i < REMOVALS && swapper.violations.isEmpty(); i++) {
				publish(socketFile, path, swapper);
				if (UnixSocketBinder.unlinkIfOwned(path, socketKey)) {
					removed++;
				}
				else {
					refused++;
				}
				assertIntact(otherWatch, "in the directory renamed into place\n");
				assertIntact(victimWatch, "in the directory a link leads to\n");
			}
		}
		finally {
			swapper.stop = true;
			swapping.join(10_000);
		}
		assertThat(swapper.failure).as("the swapper's failure").hasValue(null);
		assertThat(swapper.violations).as("entries of the swapper's that a removal took").isEmpty();
		assertIntact(otherWatch, "in the directory renamed into place\n");
		assertIntact(victimWatch, "in the directory a link leads to\n");
		assertThat(otherFile).exists();
		assertThat(victimFile).exists();
		assertThat(swapper.swaps).as("swaps").hasPositiveValue();
		assertThat(removed + refused).isEqualTo(REMOVALS);
		assertThat(removed).as("removals that took the socket's own name").isPositive();
	}

	/**
	 * Link the socket's file to the path, in the real directory: while the directory or the name
	 * is swapped, the link fails (something is at the name, or the directory is away) and is
	 * tried again.
	 */
	private static void publish(Path socketFile, Path path, Swapper swapper) {
		for (;;) {
			assertThat(swapper.failure).as("the swapper's failure").hasValue(null);
			try {
				Files.createLink(path, socketFile);
				return;
			}
			catch (FileAlreadyExistsException ex) {
				if (isOwnName(path, socketFile)) {
					return;
				}
			}
			catch (IOException ex) {
				// The directory is swapped away for a moment.
			}
			Thread.onSpinWait();
		}
	}

	private static boolean isOwnName(Path path, Path socketFile) {
		Object key = UnixSocketBinder.fileKey(path);
		return key != null && key.equals(UnixSocketBinder.fileKey(socketFile))
				&& Files.isDirectory(path.getParent(), LinkOption.NOFOLLOW_LINKS);
	}

	private static void assertIntact(Path watch, String content) throws IOException {
		assertThat(Files.getAttribute(watch, "unix:nlink")).as("names of the file %s also has", watch).isEqualTo(2);
		assertThat(Files.readString(watch)).isEqualTo(content);
	}

	private static Path staleSocket(Path path) throws IOException {
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(path));
		}
		return path;
	}

	/**
	 * Swaps, in turn at random: the socket's directory for a link to the victims' directory, the
	 * socket's directory for another directory renamed into its place, the socket's name for a
	 * link to the victim file, and the socket's name for an empty directory; each swap is undone
	 * after a yield. An entry of the swapper's that is gone when it undoes a swap was removed by
	 * the code under test: only the link at the socket's name may be.
	 */
	static final class Swapper implements Runnable {

		final List<String> violations = new CopyOnWriteArrayList<>();

		final AtomicReference<Throwable> failure = new AtomicReference<>();

		final AtomicLong swaps = new AtomicLong();

		volatile boolean stop;

		private final Path directory;

		private final Path real;

		private final Path other;

		private final Path victims;

		private final Path path;

		private final Path held;

		Swapper(Path parent, Path directory, Path other, Path victims, Path path) {
			this.directory = directory;
			this.real = parent.resolve("d.real");
			this.other = other;
			this.victims = victims;
			this.path = path;
			this.held = directory.resolve("x.held");
		}

		@Override
		public void run() {
			try {
				while (!this.stop) {
					switch (ThreadLocalRandom.current().nextInt(4)) {
						case 0 -> directoryToLink();
						case 1 -> directoryToOther();
						case 2 -> nameToLink();
						default -> nameToDirectory();
					}
				}
			}
			catch (Throwable ex) {
				this.failure.set(ex);
			}
		}

		private void directoryToLink() throws IOException {
			Files.move(this.directory, this.real);
			Files.createSymbolicLink(this.directory, this.victims);
			this.swaps.incrementAndGet();
			Thread.yield();
			undo(this.directory, "the link put in place of the socket's directory");
			Files.move(this.real, this.directory);
		}

		private void directoryToOther() throws IOException {
			Files.move(this.directory, this.real);
			Files.move(this.other, this.directory);
			this.swaps.incrementAndGet();
			Thread.yield();
			Files.move(this.directory, this.other);
			Files.move(this.real, this.directory);
		}

		private void nameToLink() throws IOException {
			if (!moveAside()) {
				return;
			}
			try {
				Files.createSymbolicLink(this.path, this.victims.resolve("x"));
			}
			catch (FileAlreadyExistsException ex) {
				// The socket's name was published again meanwhile.
				moveBack();
				return;
			}
			this.swaps.incrementAndGet();
			Thread.yield();
			try {
				Files.delete(this.path);
			}
			catch (NoSuchFileException ex) {
				// Removed by the code under test: a link put at the socket's name may be.
			}
			moveBack();
		}

		private void nameToDirectory() throws IOException {
			if (!moveAside()) {
				return;
			}
			try {
				Files.createDirectory(this.path);
			}
			catch (FileAlreadyExistsException ex) {
				moveBack();
				return;
			}
			this.swaps.incrementAndGet();
			Thread.yield();
			undo(this.path, "the directory put at the socket's name");
			moveBack();
		}

		/**
		 * Put the socket's name back, over one the test published again meanwhile (the same file).
		 */
		private void moveBack() throws IOException {
			Files.move(this.held, this.path, StandardCopyOption.ATOMIC_MOVE);
		}

		private boolean moveAside() throws IOException {
			try {
				Files.move(this.path, this.held);
				return true;
			}
			catch (NoSuchFileException ex) {
				return false;
			}
		}

		private void undo(Path entry, String what) throws IOException {
			try {
				Files.delete(entry);
			}
			catch (NoSuchFileException ex) {
				this.violations.add(what + " was removed");
			}
		}

	}

}
