package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.StaleSocketPolicy;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Binds a junixsocket server socket at a path so that it is never reachable with a wider mode
 * than configured and never replaces a file it does not own.
 * <p>
 * junixsocket makes every socket file {@code rw-rw-rw-} and, by default, unlinks whatever is at the
 * path before binding and again on close. So the socket is bound in a private staging directory
 * (mode {@code rwx------}, next to the final path), given its mode there, and then hard-linked into
 * place. {@code link(2)} fails if the path exists, so publishing is atomic and never replaces
 * anything. The staging name stays for the socket's life: junixsocket's accept checks that the
 * path it bound still exists and closes the server socket if not. The file key (device and inode)
 * recorded at bind time lets cleanup later remove only the file this socket published.
 * <p>
 * A process killed with {@code SIGKILL} leaves both names behind. When a later bind reclaims the
 * stale socket at the path, it also removes the staging directory that holds the same file.
 */
public final class UnixSocketBinder {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int PUBLISH_ATTEMPTS = 5;

	private static final String STAGING_PREFIX = ".g";

	private static final String STAGING_NAME = "s";

	private static final int FILE_TYPE_MASK = 0170000;

	private static final int SOCKET_TYPE = 0140000;

	private static final int PROBE_TIMEOUT_MILLIS = 1000;

	private UnixSocketBinder() {
	}

	/**
	 * Bind and publish a socket at a canonical path.
	 * @param path the canonical path
	 * @param options the socket's options
	 * @return the bound server socket and the key of the file it published
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
	 * Remove the file at the path if it is still the one with this key.
	 * @param path the path
	 * @param fileKey the key recorded at bind time
	 * @return whether the file was removed
	 */
	public static boolean unlinkIfOwned(Path path, Object fileKey) {
		if (!fileKey.equals(fileKey(path))) {
			return false;
		}
		try {
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
			removeStaleStaging(Objects.requireNonNull(target.getParent()), staleKey);
			logger.log(System.Logger.Level.INFO,
					"Reclaimed stale socket file '" + path + "' left by a process that exited without removing it");
		}
	}

	private static @Nullable BoundSocket bindAndPublish(String path, Path target, Path parent,
			SocketOptions options) {
		Path stagingDirectory = createStagingDirectory(path, parent);
		Path staging = stagingDirectory.resolve(STAGING_NAME);
		boolean published = false;
		try {
			AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
			try {
				server.setReuseAddress(false);
				server.setDeleteOnClose(false);
				server.bind(AFUNIXSocketAddress.of(staging.toFile()), options.backlog());
				Files.setPosixFilePermissions(staging, options.permissions());
				Object fileKey = Objects.requireNonNull(fileKey(staging), "socket file key");
				try {
					Files.createLink(target, staging);
				}
				catch (FileAlreadyExistsException ex) {
					server.close();
					return null;
				}
				published = true;
				return new BoundSocket(server, fileKey, stagingDirectory);
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(server);
				throw ex;
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
			if (!published) {
				deleteStaging(stagingDirectory);
			}
		}
	}

	/**
	 * Remove the published file if it is still this socket's, then the staging directory.
	 * @param target the published path
	 * @param bound the bound socket
	 */
	public static void unpublish(Path target, BoundSocket bound) {
		unlinkIfOwned(target, bound.fileKey());
		deleteStaging(bound.stagingDirectory());
	}

	public static void deleteStaging(Path stagingDirectory) {
		deleteQuietly(stagingDirectory.resolve(STAGING_NAME));
		deleteQuietly(stagingDirectory);
	}

	/**
	 * Remove the staging directory a crashed process left for the stale socket with this key.
	 */
	private static void removeStaleStaging(Path parent, Object staleKey) {
		try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, STAGING_PREFIX + "??????")) {
			for (Path candidate : candidates) {
				if (staleKey.equals(fileKey(candidate.resolve(STAGING_NAME)))) {
					deleteStaging(candidate);
				}
			}
		}
		catch (IOException | DirectoryIteratorException ex) {
			// Best effort: a leftover staging directory holds no live socket.
		}
	}

	private static Path createStagingDirectory(String path, Path parent) {
		for (int attempt = 0;; attempt++) {
			String name = STAGING_PREFIX + Integer.toString(ThreadLocalRandom.current().nextInt(0x4000000, 0x7FFFFFFF), 36)
				.substring(0, 6);
			try {
				return Files.createDirectory(parent.resolve(name),
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			catch (FileAlreadyExistsException ex) {
				if (attempt > 100) {
					throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED,
							"Cannot create socket '" + path + "': no free staging directory name in '" + parent + "'");
				}
			}
			catch (AccessDeniedException ex) {
				throw new SocketPathException(path, SocketPathException.Reason.PARENT_NOT_WRITABLE,
						"Cannot create socket '" + path + "': directory '" + parent + "' is not writable by this process",
						ex);
			}
			catch (IOException ex) {
				throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED,
						"Cannot create socket '" + path + "': " + ex.getMessage(), ex);
			}
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
	 * Probe with a connection: a socket that accepts one belongs to a live process. Anything but a
	 * refusal counts as live, so a socket is never reclaimed on a doubt.
	 */
	private static boolean isServed(Path path) {
		try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
			probe.connect(AFUNIXSocketAddress.of(path.toFile()), PROBE_TIMEOUT_MILLIS);
			return true;
		}
		catch (SocketException ex) {
			String message = String.valueOf(ex.getMessage());
			return !(ex instanceof java.net.ConnectException || message.contains("Connection refused"));
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// A staging name left behind is harmless; the next bind uses another.
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
	 * A bound, published server socket.
	 *
	 * @param server the server socket
	 * @param fileKey the key of the file published at the path
	 * @param stagingDirectory the private directory holding the socket's other name
	 */
	public record BoundSocket(AFUNIXServerSocket server, Object fileKey, Path stagingDirectory) {
	}

}
