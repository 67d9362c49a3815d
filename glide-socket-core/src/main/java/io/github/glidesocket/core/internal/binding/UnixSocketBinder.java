package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.StaleSocketPolicy;

import org.jspecify.annotations.Nullable;

/**
 * Binds a server socket channel at a path so that it is never reachable with a wider mode than
 * configured and never replaces a file it does not own.
 * <p>
 * A Unix socket's file is created by {@code bind(2)} with the process's umask, which Java cannot
 * set. So the socket is bound in a private staging directory (mode {@code rwx------}, created
 * next to the final path and held open), given its mode there, and then hard-linked into place.
 * {@code link(2)} fails if the path exists, so publishing is atomic and never replaces anything.
 * The staging name and directory are removed at once, relative to the open directory and without
 * following links: the JDK's channel keeps accepting whatever happens to the path. The file key
 * (device and inode) recorded at bind time lets cleanup later remove only the file this socket
 * published.
 */
public final class UnixSocketBinder {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int PUBLISH_ATTEMPTS = 5;

	private static final String STAGING_PREFIX = ".g";

	private static final Path STAGING_NAME = Path.of("s");

	private static final int FILE_TYPE_MASK = 0170000;

	private static final int SOCKET_TYPE = 0140000;

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private UnixSocketBinder() {
	}

	/**
	 * Bind and publish a socket at a canonical path.
	 * @param path the canonical path
	 * @param options the socket's options
	 * @return the bound server channel and the key of the file it published
	 */
	public static BoundSocket bind(String path, SocketOptions options) {
		Path target = Path.of(path);
		Path parent = Objects.requireNonNull(target.getParent());
		checkParent(path, parent);
		for (int attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
			clearPath(path, target, options.staleSocketPolicy());
			BoundSocket bound = bindAndPublish(path, target, parent, options);
			if (bound != null) {
				return bound;
			}
		}
		throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED, "Cannot create socket '" + path
				+ "': another process keeps creating files at the path");
	}

	/**
	 * Whether the file at the path is still the one with this key.
	 * @param path the path
	 * @param fileKey the key recorded at bind time
	 * @return the file's status
	 */
	public static SocketSnapshot.FileStatus fileStatus(Path path, Object fileKey) {
		Object current = fileKey(path);
		if (current == null) {
			return SocketSnapshot.FileStatus.MISSING;
		}
		return current.equals(fileKey) ? SocketSnapshot.FileStatus.INTACT : SocketSnapshot.FileStatus.REPLACED;
	}

	/**
	 * Remove the file at the path if it is still the one with this key. The check and the removal
	 * act on the parent directory opened once and never follow a link; between them, someone who
	 * can write the directory could still swap the entry, and then only that entry is removed.
	 * @param path the path
	 * @param fileKey the key recorded at bind time
	 * @return whether the file was removed
	 */
	public static boolean unlinkIfOwned(Path path, Object fileKey) {
		Path parent = path.getParent();
		Path name = path.getFileName();
		if (parent == null || name == null) {
			return false;
		}
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent)) {
			if (stream instanceof SecureDirectoryStream<Path> directory) {
				Object current = directory.getFileAttributeView(name, PosixFileAttributeView.class,
						LinkOption.NOFOLLOW_LINKS).readAttributes().fileKey();
				if (!fileKey.equals(current)) {
					return false;
				}
				directory.deleteFile(name);
				return true;
			}
			// Without directory handles (not Linux): check by path, then remove by path.
			if (!fileKey.equals(fileKey(path))) {
				return false;
			}
			return Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			return false;
		}
	}

	public static @Nullable Object fileKey(Path path) {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void checkParent(String path, Path parent) {
		if (!Files.isDirectory(parent)) {
			String problem = Files.exists(parent) ? "is not a directory" : "does not exist";
			throw new SocketPathException(path, SocketPathException.Reason.PARENT_MISSING,
					"Cannot create socket '" + path + "': '" + parent + "' " + problem);
		}
		if (!Files.isWritable(parent)) {
			throw new SocketPathException(path, SocketPathException.Reason.PARENT_NOT_WRITABLE,
					"Cannot create socket '" + path + "': directory '" + parent + "' is not writable by this process");
		}
	}

	/**
	 * Make sure nothing but a stale socket is at the path, and reclaim a stale socket if allowed.
	 */
	private static void clearPath(String path, Path target, StaleSocketPolicy policy) {
		Map<String, Object> attributes;
		try {
			// One read, so the type and the key describe the same file.
			attributes = Files.readAttributes(target, "unix:mode,fileKey", LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED,
					"Cannot create socket '" + path + "': cannot read what is at the path: " + ex.getMessage(), ex);
		}
		int type = (int) attributes.get("mode") & FILE_TYPE_MASK;
		if (type != SOCKET_TYPE) {
			throw new SocketPathException(path, SocketPathException.Reason.NOT_A_SOCKET, "Cannot create socket '"
					+ path + "': a " + describe(type) + " is at the path, and it is never replaced");
		}
		if (isServed(target)) {
			throw new SocketInUseException(path);
		}
		if (policy == StaleSocketPolicy.FAIL) {
			throw new SocketPathException(path, SocketPathException.Reason.STALE_SOCKET, "Cannot create socket '"
					+ path + "': a stale socket file left by a process that exited is at the path");
		}
		// Remove it only if it is still the file just probed.
		Object staleKey = Objects.requireNonNull(attributes.get("fileKey"));
		if (unlinkIfOwned(target, staleKey)) {
			logger.log(System.Logger.Level.INFO,
					"Reclaimed stale socket file '" + path + "' left by a process that exited without removing it");
		}
	}

	private static @Nullable BoundSocket bindAndPublish(String path, Path target, Path parent,
			SocketOptions options) {
		StagingDirectory staging = StagingDirectory.create(path, parent);
		try {
			ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			boolean published = false;
			try {
				server.bind(UnixDomainSocketAddress.of(staging.socketPath()), options.backlog());
				Object fileKey = staging.restrict(path, options.permissions());
				try {
					Files.createLink(target, staging.socketPath());
				}
				catch (FileAlreadyExistsException ex) {
					return null;
				}
				published = true;
				return new BoundSocket(server, fileKey);
			}
			finally {
				if (!published) {
					closeQuietly(server);
				}
			}
		}
		catch (AccessDeniedException ex) {
			throw new SocketPathException(path, SocketPathException.Reason.PARENT_NOT_WRITABLE,
					"Cannot create socket '" + path + "': permission denied: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED,
					"Cannot create socket '" + path + "': " + ex.getMessage(), ex);
		}
		finally {
			staging.remove();
		}
	}

	private static String describe(int type) {
		return switch (type) {
			case 0100000 -> "regular file";
			case 0040000 -> "directory";
			case 0120000 -> "symbolic link";
			default -> "special file that is not a socket";
		};
	}

	/**
	 * Probe with a connection: a socket that accepts one (or whose backlog is full) belongs to a
	 * live process. Anything but a refusal counts as live, so a socket is never reclaimed on a
	 * doubt. The connect does not block: a Unix-domain connect completes or fails at once.
	 */
	private static boolean isServed(Path path) {
		try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			probe.configureBlocking(false);
			probe.connect(UnixDomainSocketAddress.of(path));
			return true;
		}
		catch (ConnectException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	public static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// Closing is best effort; the descriptor is released either way.
			}
		}
	}

	/**
	 * A bound, published server channel.
	 *
	 * @param server the server channel, in blocking mode
	 * @param fileKey the key of the file published at the path
	 */
	public record BoundSocket(ServerSocketChannel server, Object fileKey) {
	}

	/**
	 * A directory created for one bind, {@code rwx------}, held open so that the socket name in it
	 * is checked and removed relative to this very directory, whatever someone who can write the
	 * parent does to the path meanwhile.
	 */
	private static final class StagingDirectory {

		private final Path path;

		private final @Nullable SecureDirectoryStream<Path> handle;

		private final Object key;

		private StagingDirectory(Path path, @Nullable SecureDirectoryStream<Path> handle, Object key) {
			this.path = path;
			this.handle = handle;
			this.key = key;
		}

		static StagingDirectory create(String socket, Path parent) {
			Path directory = createDirectory(socket, parent);
			DirectoryStream<Path> stream = null;
			try {
				stream = Files.newDirectoryStream(directory);
				if (!(stream instanceof SecureDirectoryStream<Path> handle)) {
					Object key = Objects.requireNonNull(fileKey(directory), "staging directory key");
					closeQuietly(stream);
					return new StagingDirectory(directory, null, key);
				}
				// What was opened must be the private directory just made, not something put in its place.
				PosixFileAttributes attributes = handle.getFileAttributeView(PosixFileAttributeView.class)
					.readAttributes();
				if (!attributes.permissions().equals(OWNER_ONLY_DIRECTORY) || handle.iterator().hasNext()) {
					throw new SocketPathException(socket, SocketPathException.Reason.BIND_FAILED, "Cannot create socket '"
							+ socket + "': its staging directory '" + directory + "' was replaced while binding");
				}
				return new StagingDirectory(directory, handle, attributes.fileKey());
			}
			catch (IOException ex) {
				closeQuietly(stream);
				deleteEmptyDirectory(directory, null);
				throw new SocketPathException(socket, SocketPathException.Reason.BIND_FAILED,
						"Cannot create socket '" + socket + "': " + ex.getMessage(), ex);
			}
			catch (RuntimeException ex) {
				closeQuietly(stream);
				throw ex;
			}
		}

		private static Path createDirectory(String socket, Path parent) {
			for (int attempt = 0;; attempt++) {
				String name = STAGING_PREFIX + Integer
					.toString(ThreadLocalRandom.current().nextInt(0x4000000, 0x7FFFFFFF), 36)
					.substring(0, 6);
				try {
					return Files.createDirectory(parent.resolve(name),
							PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
				}
				catch (FileAlreadyExistsException ex) {
					if (attempt > 100) {
						throw new SocketPathException(socket, SocketPathException.Reason.BIND_FAILED, "Cannot create socket '"
								+ socket + "': no free staging directory name in '" + parent + "'");
					}
				}
				catch (AccessDeniedException ex) {
					throw new SocketPathException(socket, SocketPathException.Reason.PARENT_NOT_WRITABLE,
							"Cannot create socket '" + socket + "': directory '" + parent
									+ "' is not writable by this process",
							ex);
				}
				catch (IOException ex) {
					throw new SocketPathException(socket, SocketPathException.Reason.BIND_FAILED,
							"Cannot create socket '" + socket + "': " + ex.getMessage(), ex);
				}
			}
		}

		Path socketPath() {
			return this.path.resolve(STAGING_NAME);
		}

		/**
		 * Give the bound socket its mode and return its file key. The socket must be in this
		 * directory (checked through the open handle): a bind that followed a replaced path is
		 * refused. {@code chmod} has no no-follow form for sockets, so the path is checked to
		 * still lead to this directory just before it.
		 */
		Object restrict(String socket, Set<PosixFilePermission> permissions) throws IOException {
			Object socketKey = socketKey(socket);
			if (!this.key.equals(fileKey(this.path))) {
				throw replaced(socket);
			}
			Files.setPosixFilePermissions(socketPath(), permissions);
			if (!socketKey.equals(socketKey(socket))) {
				throw replaced(socket);
			}
			return socketKey;
		}

		private Object socketKey(String socket) throws IOException {
			SecureDirectoryStream<Path> handle = this.handle;
			BasicFileAttributes attributes;
			try {
				attributes = (handle != null)
						? handle.getFileAttributeView(STAGING_NAME, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
							.readAttributes()
						: Files.readAttributes(socketPath(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			}
			catch (NoSuchFileException ex) {
				throw replaced(socket);
			}
			if (!attributes.isOther()) {
				throw replaced(socket);
			}
			return Objects.requireNonNull(attributes.fileKey(), "socket file key");
		}

		private SocketPathException replaced(String socket) {
			return new SocketPathException(socket, SocketPathException.Reason.BIND_FAILED, "Cannot create socket '"
					+ socket + "': its staging directory '" + this.path + "' was replaced while binding");
		}

		/**
		 * Remove the socket name and the directory. The name goes relative to the open handle; the
		 * directory only if the entry in the parent is still this directory, and {@code rmdir}
		 * never follows a link.
		 */
		void remove() {
			SecureDirectoryStream<Path> handle = this.handle;
			if (handle != null) {
				try {
					handle.deleteFile(STAGING_NAME);
				}
				catch (IOException ex) {
					// Not bound, or already gone.
				}
				closeQuietly(handle);
			}
			else {
				try {
					Files.deleteIfExists(socketPath());
				}
				catch (IOException ex) {
					// Not bound, or already gone.
				}
			}
			deleteEmptyDirectory(this.path, this.key);
		}

		private static void deleteEmptyDirectory(Path directory, @Nullable Object key) {
			if (key != null && !key.equals(fileKey(directory))) {
				return;
			}
			try {
				Files.deleteIfExists(directory);
			}
			catch (IOException ex) {
				// A leftover, empty, private directory: harmless, and named so it is recognisable.
			}
		}

	}

}
