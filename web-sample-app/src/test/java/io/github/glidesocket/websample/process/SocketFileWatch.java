package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks at a path as fast as it can, from before a process binds a socket there, and keeps
 * every mode and group the file at the path was seen with.
 */
final class SocketFileWatch implements AutoCloseable {

	private final Path path;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final Thread watcher;

	private volatile boolean running = true;

	private SocketFileWatch(Path path) {
		this.path = path;
		this.watcher = new Thread(this::watch, "socket-file-watch");
		this.watcher.setDaemon(true);
	}

	static SocketFileWatch start(Path path) {
		SocketFileWatch watch = new SocketFileWatch(path);
		watch.watcher.start();
		return watch;
	}

	private void watch() {
		while (this.running) {
			try {
				PosixFileAttributes attributes = Files.readAttributes(this.path, PosixFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				this.seen.add(PosixFilePermissions.toString(attributes.permissions()) + " "
						+ attributes.group().getName());
			}
			catch (NoSuchFileException ex) {
				// Not bound yet, or between a stop and the next bind.
			}
			catch (IOException ex) {
				this.seen.add("unreadable: " + ex);
			}
			// Leaves the CPU to the process starting beside it on a busy machine.
			Thread.yield();
		}
	}

	/**
	 * Every mode and group seen, as {@code rw-rw---- group}.
	 * @return what was seen
	 */
	Set<String> seen() {
		return Set.copyOf(this.seen);
	}

	/**
	 * Whether any mode seen gives a permission outside the allowed ones.
	 * @param allowed the widest mode allowed, such as {@code rw-rw----}
	 * @return whether it does
	 */
	boolean sawWiderThan(String allowed) {
		Set<PosixFilePermission> allowedPermissions = PosixFilePermissions.fromString(allowed);
		return this.seen.stream()
			.anyMatch((mode) -> mode.startsWith("unreadable")
					|| !allowedPermissions.containsAll(PosixFilePermissions.fromString(mode.substring(0, 9))));
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.watcher.join();
	}

}
