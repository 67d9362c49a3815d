package io.github.glidesocket.core.internal.binding;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.core.StaleSocketPolicy;

import org.jspecify.annotations.Nullable;

/**
 * Binds a server socket channel at a path so that it is never reachable with a wider mode than
 * configured, never replaces a file it does not own, and never creates, changes or removes a file
 * outside the socket's directory, even while other users can write that directory.
 * <p>
 * A Unix socket's file is created by {@code bind(2)} with the process's umask, which Java cannot
 * set. So the socket is bound in a private staging directory (mode {@code rwx------}, created
 * next to the final path), given its mode there, and then hard-linked into place.
 * {@code link(2)} fails if the path exists, so publishing is atomic and never replaces anything
 * (except when taking over a live socket of a trusted server, see {@link Takeover}: then the
 * socket is renamed over the path).
 * <p>
 * Whoever can write the socket's directory can rename the staging directory at any moment and
 * put a link to another directory in its place. So the staging directory is opened once and used
 * only if the directory opened and the entry just created are the same file, owned by this
 * process's user, {@code rwx------} and empty. Where someone other than this user and root can
 * rename entries in the socket's directory or in a directory on the way to it (see
 * {@link DirectorySafety}), the staging directory
 * is from then on reached through its open descriptor ({@code /proc/self/fd/N/s}), never through
 * its name: the bind, the {@code chmod} and the link's source land in that directory whatever
 * happens to the name, and nobody else can change what is in it. Elsewhere the name cannot
 * change under this process, and is used. The socket's mode is read back before publishing, and
 * the published path is checked to hold the socket's file. The staging name and the directory
 * are removed at once, relative to the open directories and without following links: the JDK's
 * channel keeps accepting whatever happens to the path. The file key (device and inode) recorded
 * at bind time lets cleanup later remove only the file this socket published.
 * <p>
 * A directory that nobody but this user and root can enter is as private as a staging
 * directory: there the socket is bound at a fresh name beside the path, given its mode and
 * linked into place the same way, and no staging directory is made.
 * <p>
 * Without {@code /proc/self/fd} the staging directory is always reached through its name,
 * checked to still be the directory opened just before and after each step; in a directory
 * others can write, they could still redirect a step in between.
 */
public final class UnixSocketBinder {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int PUBLISH_ATTEMPTS = 5;

	private static final String STAGING_PREFIX = ".g";

	private static final Path STAGING_NAME = Path.of("s");

	private static final int FILE_TYPE_MASK = 0170000;

	private static final int SOCKET_TYPE = 0140000;

	private static final int DIRECTORY_TYPE = 0040000;

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	/**
	 * Test seam: called at each step of a bind with the path of the directory the socket is bound
	 * in (the staging directory, or the socket's own where none is made), so that tests can
	 * change the socket's directory exactly there, as another process could. {@code null} outside
	 * tests.
	 */
	static volatile @Nullable StepHook stepHook;

	private UnixSocketBinder() {
	}

	/**
	 * Bind and publish a socket at a canonical path.
	 * @param path the canonical path
	 * @param options the socket's options
	 * @return the bound server channel and the key of the file it published
	 */
	public static BoundSocket bind(String path, SocketOptions options) {
		return bind(path, options, PendingTakeovers.immediate());
	}

	/**
	 * Bind and publish a socket at a canonical path; a socket that takes over a live one is left
	 * aside while takeovers are held (see {@link PendingTakeover}).
	 * @param path the canonical path
	 * @param options the socket's options
	 * @param takeovers whether takeovers wait, and where they wait
	 * @return the bound server channel and the key of the file it published (or will publish)
	 */
	public static BoundSocket bind(String path, SocketOptions options, PendingTakeovers takeovers) {
		BoundSocket inherited = InheritedSocket.claim(path);
		if (inherited != null) {
			return inherited;
		}
		Path target = Path.of(path);
		Path parent = Objects.requireNonNull(target.getParent());
		checkParent(path, parent);
		DirectorySafety.Access access = DirectorySafety.check(path, parent, options.directoryCheck());
		String interference = "";
		for (int attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
			Object replacing = clearPath(path, target, options);
			try {
				return bindAndPublish(path, target, parent, access, options, replacing, takeovers);
			}
			catch (Interference ex) {
				interference = ex.getMessage();
			}
		}
		throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED,
				"Cannot create socket '" + path + "': " + interference + " (" + PUBLISH_ATTEMPTS + " attempts)");
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
	 * act on the parent directory opened once, and the removal is {@code unlinkat} of the name in
	 * that directory, which never follows a link and never removes a directory. Between the check
	 * and the removal, someone who can write that directory can still put another entry at the
	 * name; then that entry is removed instead of this socket's file, and nothing else: never a
	 * file in another directory, never a file reached through a link. A directory that cannot be
	 * opened (writable but not readable) is reached through its path for the check and again for
	 * the removal.
	 * @param path the path
	 * @param fileKey the key recorded at bind time
	 * @return whether an entry was removed
	 */
	public static boolean unlinkIfOwned(Path path, Object fileKey) {
		Path parent = path.getParent();
		Path name = path.getFileName();
		if (parent == null || name == null) {
			return false;
		}
		try (ParentDirectory directory = ParentDirectory.open(parent)) {
			return directory.removeFile(name, fileKey);
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
	 * Make sure nothing but a stale socket, or a live one to take over, is at the path, and
	 * reclaim a stale socket if allowed.
	 * @return the key of a live socket that this bind takes over, or {@code null} if the path is
	 * free
	 */
	private static @Nullable Object clearPath(String path, Path target, SocketOptions options) {
		StaleSocketPolicy policy = options.staleSocketPolicy();
		Map<String, Object> attributes;
		try {
			// One read, so the type and the key describe the same file.
			attributes = Files.readAttributes(target, "unix:mode,fileKey", LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
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
		Object staleKey = Objects.requireNonNull(attributes.get("fileKey"));
		if (options.takeover()) {
			SocketFileJudge.Judgement judgement = Takeover.judge(path, target, options.serverPolicy());
			Object judged = judgement.fileKey();
			switch (judgement.verdict()) {
				case TRUSTED, BUSY -> {
					return judged;
				}
				case ABSENT -> {
					return null;
				}
				default -> staleKey = Objects.requireNonNull(judged);
			}
		}
		else if (isServed(target)) {
			throw InheritedSocket.inUse(path);
		}
		if (policy == StaleSocketPolicy.FAIL) {
			throw new SocketPathException(path, SocketPathException.Reason.STALE_SOCKET, "Cannot create socket '"
					+ path + "': a stale socket file left by a process that exited is at the path");
		}
		// Remove it only if it is still the file just probed.
		if (unlinkIfOwned(target, staleKey)) {
			logger.log(System.Logger.Level.INFO,
					"Reclaimed stale socket file '" + path + "' left by a process that exited without removing it");
		}
		return null;
	}

	private static BoundSocket bindAndPublish(String path, Path target, Path parent, DirectorySafety.Access access,
			SocketOptions options, @Nullable Object replacing, PendingTakeovers takeovers) throws Interference {
		ParentDirectory directory = null;
		PendingTakeover pending = null;
		try {
			directory = ParentDirectory.open(parent);
			if (access == DirectorySafety.Access.PRIVATE) {
				BoundSocket bound = bindBeside(path, target, directory, options, replacing, takeovers);
				pending = bound.pendingTakeover();
				return bound;
			}
			// Where only this user and root can rename entries, the staging directory's name stays
			// its own; elsewhere it is reached through its open descriptor.
			StagingDirectory staging = StagingDirectory.create(path, directory, access == DirectorySafety.Access.SHARED);
			try {
				ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
				boolean published = false;
				try {
					staging.step(Step.OPENED);
					server.bind(UnixDomainSocketAddress.of(staging.socketPath()), options.backlog());
					staging.step(Step.BOUND);
					Object fileKey = staging.restrict(options.permissions(), options.groupId());
					ParentDirectory parentDirectory = directory;
					pending = holdTakeover(path, takeovers, replacing,
							() -> publish(target, staging.socketPath(), parentDirectory, fileKey, staging.path(), replacing),
							() -> {
								staging.remove();
								parentDirectory.close();
							});
					if (pending == null) {
						publish(target, staging.socketPath(), directory, fileKey, staging.path(), replacing);
					}
					published = true;
					return new BoundSocket(server, fileKey, false, List.of(), pending);
				}
				finally {
					if (!published) {
						closeQuietly(server);
					}
				}
			}
			finally {
				if (pending == null) {
					staging.remove();
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
			// A pending takeover keeps the directory open until it is completed or discarded.
			if (pending == null) {
				closeQuietly(directory);
			}
		}
	}

	/**
	 * Leave a socket that takes over a live one aside while takeovers are held.
	 * @param publication renames it over the path, when the takeover completes
	 * @param removeAside removes its name aside, and what was made for it
	 * @return the pending takeover, or {@code null} to publish now (nothing is taken over, or
	 * takeovers are no longer held)
	 */
	private static @Nullable PendingTakeover holdTakeover(String path, PendingTakeovers takeovers,
			@Nullable Object replacing, Publication publication, Runnable removeAside) {
		if (replacing == null) {
			return null;
		}
		PendingTakeover pending = new PendingTakeover(path, takeovers, () -> {
			try {
				publication.publish();
			}
			catch (Interference ex) {
				throw new PendingTakeover.Replaced();
			}
		}, removeAside);
		if (!takeovers.hold(pending)) {
			return null;
		}
		logger.log(System.Logger.Level.INFO, () -> "Socket '" + path + "' is bound aside: it takes the path over"
				+ " once the application is ready, and until then the process serving the path serves it");
		return pending;
	}

	@FunctionalInterface
	private interface Publication {

		void publish() throws IOException, Interference;

	}

	/**
	 * Bind at a fresh name beside the path, in a directory that nobody but this user and root can
	 * enter: that directory is as private as a staging directory, so none is needed. Creating
	 * and removing one costs most of a bind, and releasing its blocks, which happens when the
	 * socket closes, most of a last close. Nobody else can see or reach the socket before its
	 * mode is set, nor rename or replace its name.
	 * @return the bound, published socket
	 */
	private static BoundSocket bindBeside(String path, Path target, ParentDirectory directory, SocketOptions options,
			@Nullable Object replacing, PendingTakeovers takeovers) throws IOException, Interference {
		Set<PosixFilePermission> permissions = options.permissions();
		Staged staged = bindAtFreshName(directory.path(), options.backlog());
		boolean published = false;
		Object socketKey = null;
		PendingTakeover pending = null;
		try {
			step(Step.BOUND, directory.path());
			Entry entry = () -> directory.attributesOf(staged.name());
			Interference replaced = new Interference("its socket '" + staged.path() + "' was replaced while binding");
			socketKey = boundSocketKey(entry.read(), replaced);
			setMode(staged.path(), socketKey, permissions, options.groupId(), entry, replaced);
			Object key = socketKey;
			pending = holdTakeover(path, takeovers, replacing,
					() -> publish(target, staged.path(), directory, key, directory.path(), replacing), () -> {
						directory.removeFile(staged.name(), key);
						directory.close();
					});
			if (pending == null) {
				publish(target, staged.path(), directory, socketKey, directory.path(), replacing);
			}
			published = true;
			return new BoundSocket(staged.server(), socketKey, false, List.of(), pending);
		}
		finally {
			if (socketKey != null && pending == null) {
				directory.removeFile(staged.name(), socketKey);
			}
			if (!published) {
				closeQuietly(staged.server());
			}
		}
	}

	/**
	 * Hard-link the bound socket's file to the path, which fails if anything is there, and check
	 * that the path then holds the socket's file. Taking over a live socket, rename it over the
	 * path instead, in one step, so that every connect finds one socket or the other.
	 * @param stepDirectory the directory the socket was bound in, for the test seam
	 * @param replacing the key of the live socket taken over, or {@code null}
	 */
	private static void publish(Path target, Path source, ParentDirectory directory, Object socketKey,
			Path stepDirectory, @Nullable Object replacing) throws IOException, Interference {
		if (replacing != null) {
			if (!Takeover.renameOver(target, source, replacing,
					directory.keyOf(Objects.requireNonNull(target.getFileName())))) {
				throw new Interference("the socket being taken over was replaced by another file meanwhile");
			}
		}
		else {
			try {
				Files.createLink(target, source);
			}
			catch (FileAlreadyExistsException ex) {
				throw new Interference("another process keeps creating files at the path");
			}
		}
		step(Step.PUBLISHED, stepDirectory);
		if (!socketKey.equals(directory.keyOf(Objects.requireNonNull(target.getFileName())))) {
			// Replaced the moment it was published: what is there now is not this socket's.
			throw new Interference("another process keeps replacing the file published at the path");
		}
	}

	/**
	 * Bind a new server channel at a fresh name in the directory.
	 */
	private static Staged bindAtFreshName(Path directory, int backlog) throws IOException {
		for (int attempt = 0;; attempt++) {
			Path candidate = directory.resolve(stagingName());
			ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			try {
				server.bind(UnixDomainSocketAddress.of(candidate), backlog);
				return new Staged(server, candidate);
			}
			catch (BindException ex) {
				closeQuietly(server);
				if (attempt > 100 || !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
					throw ex;
				}
				// Taken: try another name.
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(server);
				throw ex;
			}
		}
	}

	/**
	 * A name for a socket or directory that exists only while binding: {@code .g} and six
	 * random characters, recognisable should a process die before removing it.
	 */
	private static String stagingName() {
		return STAGING_PREFIX
				+ Integer.toString(ThreadLocalRandom.current().nextInt(0x4000000, 0x7FFFFFFF), 36).substring(0, 6);
	}

	/**
	 * A server channel bound at a name that exists only while binding.
	 */
	private record Staged(ServerSocketChannel server, Path path) {

		Path name() {
			return Objects.requireNonNull(this.path.getFileName());
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
	 * @param inherited whether the channel was inherited ({@link InheritedSocket}): its file is
	 * not this process's to remove
	 * @param queued connections already accepted from its queue (while an inherited socket's file
	 * was checked), for the listener to serve first
	 * @param pendingTakeover the takeover of a live socket waiting for the application to be
	 * ready, or {@code null}
	 */
	public record BoundSocket(ServerSocketChannel server, Object fileKey, boolean inherited,
			List<SocketChannel> queued, @Nullable PendingTakeover pendingTakeover) {

		public BoundSocket {
			queued = List.copyOf(queued);
		}

		/**
		 * A socket this process bound and published.
		 * @param server the server channel, in blocking mode
		 * @param fileKey the key of the file published at the path
		 */
		public BoundSocket(ServerSocketChannel server, Object fileKey) {
			this(server, fileKey, false, List.of(), null);
		}

		/**
		 * A socket this process bound and published, or inherited.
		 * @param server the server channel, in blocking mode
		 * @param fileKey the key of the file at the path
		 * @param inherited whether the channel was inherited
		 */
		public BoundSocket(ServerSocketChannel server, Object fileKey, boolean inherited) {
			this(server, fileKey, inherited, List.of(), null);
		}

		/**
		 * Whether the socket waits aside to take the path over: the path does not hold it yet.
		 * @return whether its takeover is pending
		 */
		public boolean isTakeoverPending() {
			PendingTakeover pending = this.pendingTakeover;
			return pending != null && pending.isPending();
		}

		/**
		 * Close the channel, and remove the socket's name aside if its takeover is still pending
		 * (first, so it is never renamed over the path once closed), or its file at the path if
		 * it is still the one this socket published.
		 * @param path the path
		 */
		public void closeAndUnlink(Path path) {
			PendingTakeover pending = this.pendingTakeover;
			if (pending != null) {
				pending.discard();
			}
			closeQuietly(this.server);
			if (!this.inherited) {
				unlinkIfOwned(path, this.fileKey);
			}
		}

	}

	/**
	 * The steps of a bind at which {@link #stepHook} is called.
	 */
	enum Step {

		/** The staging directory was created, and not yet opened (only where one is made). */
		CREATED,

		/** The staging directory was opened and checked, and nothing is bound in it yet (only where one is made). */
		OPENED,

		/** The socket was bound, and its mode not yet set. */
		BOUND,

		/** The socket was linked to its path, and the path not yet checked. */
		PUBLISHED

	}

	@FunctionalInterface
	interface StepHook {

		void reached(Step step, Path directory) throws IOException;

	}

	static void step(Step step, Path directory) throws IOException {
		StepHook hook = stepHook;
		if (hook != null) {
			hook.reached(step, directory);
		}
	}

	/**
	 * The file key of the socket just bound, read without following a link.
	 * @param bound what is at the socket's name, or {@code null} if nothing
	 * @param replaced thrown if it is not a socket: someone replaced it
	 */
	private static Object boundSocketKey(@Nullable PosixFileAttributes bound, Interference replaced)
			throws Interference {
		if (bound == null || !bound.isOther()) {
			throw replaced;
		}
		return Objects.requireNonNull(bound.fileKey(), "socket file key");
	}

	/**
	 * Set the group (if one is configured) and then the mode of a socket just bound, through its
	 * path ({@code chmod} follows links; the group is set with {@code lchown}, which does not),
	 * and read them back: it must still be the same file, with exactly that mode and group.
	 * Both happen where nobody else can reach the file, so it is never published with another
	 * group.
	 * @param replaced thrown if it is not: someone replaced it meanwhile
	 */
	private static void setMode(Path socket, Object socketKey, Set<PosixFilePermission> permissions,
			@Nullable Long groupId, Entry entry, Interference replaced) throws IOException, Interference {
		if (groupId != null) {
			SocketGroup.set(socket, groupId);
		}
		Files.setPosixFilePermissions(socket, permissions);
		PosixFileAttributes restricted = entry.read();
		if (restricted == null || !socketKey.equals(restricted.fileKey())
				|| !restricted.permissions().equals(permissions)) {
			throw replaced;
		}
		if (groupId != null && !SocketGroup.has(socket, socketKey, groupId)) {
			throw replaced;
		}
	}

	/**
	 * Reads the socket's entry without following a link, relative to an open directory where
	 * there is one.
	 */
	@FunctionalInterface
	private interface Entry {

		@Nullable PosixFileAttributes read() throws IOException;

	}

	/**
	 * The attributes of an entry of a directory, without following a link: read relative to the
	 * open directory when there is one, else through the directory's path.
	 * @return the attributes, or {@code null} if there is no such entry
	 */
	private static @Nullable PosixFileAttributes attributes(@Nullable SecureDirectoryStream<Path> handle,
			Path directory, Path name) throws IOException {
		try {
			return (handle != null)
					? handle.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
						.readAttributes()
					: Files.readAttributes(directory.resolve(name), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/**
	 * Someone who can write the socket's directory changed it while binding: the attempt is
	 * undone and may be tried again.
	 */
	private static final class Interference extends Exception {

		private static final long serialVersionUID = 1L;

		Interference(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * The socket's directory, opened once for a bind or a removal: names are looked up and
	 * removed relative to it, without following links.
	 */
	private static final class ParentDirectory implements Closeable {

		private final Path path;

		private final @Nullable SecureDirectoryStream<Path> handle;

		private ParentDirectory(Path path, @Nullable SecureDirectoryStream<Path> handle) {
			this.path = path;
			this.handle = handle;
		}

		static ParentDirectory open(Path path) throws IOException {
			DirectoryStream<Path> stream;
			try {
				stream = Files.newDirectoryStream(path);
			}
			catch (AccessDeniedException ex) {
				// Writable but not readable (a drop-box directory): names are resolved through the path.
				return new ParentDirectory(path, null);
			}
			if (stream instanceof SecureDirectoryStream<Path> handle) {
				return new ParentDirectory(path, handle);
			}
			// Without directory handles (not Linux): names are resolved through the path.
			stream.close();
			return new ParentDirectory(path, null);
		}

		Path path() {
			return this.path;
		}

		/**
		 * The key of the entry with this name, without following a link, or {@code null} if
		 * there is none.
		 */
		@Nullable Object keyOf(Path name) {
			SecureDirectoryStream<Path> handle = this.handle;
			if (handle == null) {
				return fileKey(this.path.resolve(name));
			}
			try {
				return handle.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
					.readAttributes()
					.fileKey();
			}
			catch (IOException ex) {
				return null;
			}
		}

		/**
		 * The attributes of the entry with this name, without following a link, or
		 * {@code null} if there is none.
		 */
		@Nullable PosixFileAttributes attributesOf(Path name) throws IOException {
			return attributes(this.handle, this.path, name);
		}

		/**
		 * Remove the entry with this name if it has this key and is not a directory.
		 */
		boolean removeFile(Path name, Object key) {
			if (!key.equals(keyOf(name))) {
				return false;
			}
			try {
				SecureDirectoryStream<Path> handle = this.handle;
				if (handle != null) {
					handle.deleteFile(name);
					return true;
				}
				Path file = this.path.resolve(name);
				return !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				return false;
			}
		}

		/**
		 * Remove the empty directory with this name if it has this key.
		 */
		void removeDirectory(Path name, Object key) {
			if (!key.equals(keyOf(name))) {
				return;
			}
			try {
				SecureDirectoryStream<Path> handle = this.handle;
				if (handle != null) {
					handle.deleteDirectory(name);
				}
				else if (Files.isDirectory(this.path.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
					Files.deleteIfExists(this.path.resolve(name));
				}
			}
			catch (IOException ex) {
				// A leftover, empty, private directory: harmless, and named so it is recognisable.
			}
		}

		@Override
		public void close() {
			closeQuietly(this.handle);
		}

	}

	/**
	 * A directory created for one bind, {@code rwx------}, held open and reached through its open
	 * descriptor, so that what is bound, changed and linked in it stays in this very directory
	 * whatever someone who can write the parent does to its name meanwhile.
	 */
	private static final class StagingDirectory {

		private final ParentDirectory parent;

		private final Path name;

		private final @Nullable SecureDirectoryStream<Path> handle;

		private final Object key;

		/** The open directory as {@code /proc/self/fd/N}, or its name when that is not available. */
		private final Path reach;

		private final boolean byName;

		private StagingDirectory(ParentDirectory parent, Path name, @Nullable SecureDirectoryStream<Path> handle,
				Object key, @Nullable Path descriptor) {
			this.parent = parent;
			this.name = name;
			this.handle = handle;
			this.key = key;
			this.byName = descriptor == null;
			this.reach = (descriptor != null) ? descriptor : parent.path().resolve(name);
		}

		static StagingDirectory create(String socket, ParentDirectory parent, boolean shared) throws Interference {
			Path directory = createDirectory(socket, parent.path());
			Path name = Objects.requireNonNull(directory.getFileName());
			DirectoryStream<Path> stream = null;
			try {
				UnixSocketBinder.step(Step.CREATED, directory);
				stream = Files.newDirectoryStream(directory);
				// The entry just created, read without following a link: a directory of this
				// user's, rwx------, and the very directory opened, or it was replaced.
				Map<String, Object> entry = Files.readAttributes(directory, "unix:uid,mode,fileKey",
						LinkOption.NOFOLLOW_LINKS);
				Object key = Objects.requireNonNull(entry.get("fileKey"), "staging directory key");
				int mode = (int) entry.get("mode");
				boolean own = (mode & FILE_TYPE_MASK) == DIRECTORY_TYPE && (mode & 0777) == 0700
						&& ((Number) entry.get("uid")).longValue() == PeerCredentials.processUid();
				if (!(stream instanceof SecureDirectoryStream<Path> handle)) {
					closeQuietly(stream);
					if (!own) {
						throw replaced(directory);
					}
					return new StagingDirectory(parent, name, null, key, null);
				}
				PosixFileAttributes opened = handle.getFileAttributeView(PosixFileAttributeView.class)
					.readAttributes();
				if (!own || !key.equals(opened.fileKey()) || !opened.permissions().equals(OWNER_ONLY_DIRECTORY)
						|| handle.iterator().hasNext()) {
					throw replaced(directory);
				}
				Path descriptor = shared ? OpenDirectories.descriptorPath(key) : null;
				return new StagingDirectory(parent, name, handle, key, descriptor);
			}
			catch (NoSuchFileException | NotDirectoryException | FileSystemLoopException ex) {
				// Renamed away, or a link put in its place, before it was opened.
				closeQuietly(stream);
				throw replaced(directory);
			}
			catch (IOException ex) {
				closeQuietly(stream);
				removeIfOwnAndEmpty(parent, directory);
				throw new SocketPathException(socket, SocketPathException.Reason.BIND_FAILED,
						"Cannot create socket '" + socket + "': " + ex.getMessage(), ex);
			}
			catch (Interference | RuntimeException ex) {
				closeQuietly(stream);
				throw ex;
			}
		}

		private static Interference replaced(Path directory) {
			return new Interference("its staging directory '" + directory
					+ "' was replaced while binding; another process writes in the socket's directory");
		}

		private static void removeIfOwnAndEmpty(ParentDirectory parent, Path directory) {
			try {
				Map<String, Object> entry = Files.readAttributes(directory, "unix:uid,mode,fileKey",
						LinkOption.NOFOLLOW_LINKS);
				int mode = (int) entry.get("mode");
				if ((mode & FILE_TYPE_MASK) == DIRECTORY_TYPE
						&& ((Number) entry.get("uid")).longValue() == PeerCredentials.processUid()) {
					parent.removeDirectory(Objects.requireNonNull(directory.getFileName()),
							Objects.requireNonNull(entry.get("fileKey")));
				}
			}
			catch (IOException | RuntimeException ex) {
				// Leave it: an empty private directory is harmless.
			}
		}

		private static Path createDirectory(String socket, Path parent) {
			for (int attempt = 0;; attempt++) {
				try {
					return Files.createDirectory(parent.resolve(stagingName()),
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

		/**
		 * The staging directory's path, by its name.
		 */
		Path path() {
			return this.parent.path().resolve(this.name);
		}

		void step(Step step) throws IOException {
			UnixSocketBinder.step(step, path());
		}

		/**
		 * Where the socket is bound, changed and linked from: inside the open directory.
		 */
		Path socketPath() {
			return this.reach.resolve(STAGING_NAME);
		}

		/**
		 * Give the bound socket its mode and return its file key. The socket must be in this
		 * directory (read through the open handle, without following a link) before, and have
		 * exactly the mode after: otherwise the bind is undone.
		 */
		Object restrict(Set<PosixFilePermission> permissions, @Nullable Long groupId)
				throws IOException, Interference {
			Entry entry = () -> attributes(this.handle, this.reach, STAGING_NAME);
			Interference replaced = replaced(path());
			Object socketKey = boundSocketKey(entry.read(), replaced);
			if (this.byName && !this.key.equals(this.parent.keyOf(this.name))) {
				// Reached by name: check, just before chmod (which follows links), that the name
				// still leads to this directory.
				throw replaced;
			}
			setMode(socketPath(), socketKey, permissions, groupId, entry, replaced);
			return socketKey;
		}

		/**
		 * Remove the socket name and the directory. The name goes relative to the open handle; the
		 * directory relative to the open parent, only if the entry there is still this directory,
		 * and {@code rmdir} never follows a link.
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
			else if (this.key.equals(this.parent.keyOf(this.name))) {
				try {
					Files.deleteIfExists(socketPath());
				}
				catch (IOException ex) {
					// Not bound, or already gone.
				}
			}
			this.parent.removeDirectory(this.name, this.key);
		}

	}

}
