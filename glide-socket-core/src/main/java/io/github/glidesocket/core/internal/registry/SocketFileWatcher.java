package io.github.glidesocket.core.internal.registry;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.transport.ConnectionThreads;

import org.jspecify.annotations.Nullable;

/**
 * Tells the manager at once when an entry appears in or leaves the directory of a socket that
 * may be taken over, so the socket notices that its file was replaced within milliseconds rather
 * than at the next periodic file check (which stays, for file systems without notifications).
 * The JDK's {@link WatchService} is inotify on Linux: one descriptor and one thread per manager,
 * made when the first such socket is bound, and one watch per directory, cancelled with the last
 * socket in that directory (the kernel limits watches per user).
 * <p>
 * A rename over the path is reported as a created entry. Events for names that are not sockets
 * of the manager (staging names, other files) cost a map lookup. When the kernel's queue
 * overflows, every socket is checked.
 */
final class SocketFileWatcher {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private final String threadName;

	/** Receives the path of an entry that changed, or {@code null} when events were lost. */
	private final Consumer<@Nullable String> changed;

	/** The watch of each directory and how many sockets in it are watched; guarded by this. */
	private final Map<Path, Watch> directories = new ConcurrentHashMap<>();

	private @Nullable WatchService service;

	private boolean closed;

	SocketFileWatcher(String managerName, Consumer<@Nullable String> changed) {
		this.threadName = managerName + "-file-watch-";
		this.changed = changed;
	}

	/**
	 * Watch the directory of a socket. Without notifications (or after {@link #close()}) the
	 * periodic file check alone finds changes. Each call is paired with one {@link #unwatch}.
	 * @param path the socket's canonical path
	 */
	synchronized void watch(String path) {
		Path directory = Objects.requireNonNull(Path.of(path).getParent());
		Watch watch = this.directories.get(directory);
		if (watch != null) {
			watch.sockets++;
			return;
		}
		if (this.closed) {
			return;
		}
		try {
			WatchService watching = this.service;
			if (watching == null) {
				watching = FileSystems.getDefault().newWatchService();
				this.service = watching;
				WatchService started = watching;
				ConnectionThreads.daemons(this.threadName).newThread(() -> run(started)).start();
			}
			this.directories.put(directory, new Watch(directory.register(watching,
					StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE)));
		}
		catch (IOException | RuntimeException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "Cannot watch '" + directory
					+ "'; changes of its socket files are found by the periodic file check: " + ex);
		}
	}

	/**
	 * Stop watching for a socket; the directory's watch is cancelled with its last socket.
	 * @param path the socket's canonical path
	 */
	synchronized void unwatch(String path) {
		Path directory = Objects.requireNonNull(Path.of(path).getParent());
		Watch watch = this.directories.get(directory);
		if (watch != null && --watch.sockets == 0) {
			this.directories.remove(directory);
			watch.key.cancel();
		}
	}

	private void run(WatchService watching) {
		try {
			for (;;) {
				WatchKey key = watching.take();
				Path directory = (Path) key.watchable();
				for (WatchEvent<?> event : key.pollEvents()) {
					if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
						this.changed.accept(null);
					}
					else if (event.context() instanceof Path name) {
						this.changed.accept(directory.resolve(name).toString());
					}
				}
				if (!key.reset()) {
					forget(directory, key);
				}
			}
		}
		catch (ClosedWatchServiceException | InterruptedException ex) {
			// The manager stopped.
		}
	}

	/**
	 * The directory is gone (or its watch was cancelled): a socket bound there again watches
	 * anew.
	 */
	private synchronized void forget(Path directory, WatchKey key) {
		Watch watch = this.directories.get(directory);
		if (watch != null && watch.key == key) {
			this.directories.remove(directory);
		}
	}

	/**
	 * Stop watching: the descriptor is released and the thread ends.
	 */
	synchronized void close() {
		this.closed = true;
		WatchService watching = this.service;
		if (watching != null) {
			try {
				watching.close();
			}
			catch (IOException ex) {
				// Released either way.
			}
		}
	}

	/**
	 * A directory's watch, and how many sockets in it are watched.
	 */
	private static final class Watch {

		private final WatchKey key;

		private int sockets = 1;

		Watch(WatchKey key) {
			this.key = key;
		}

	}

}
