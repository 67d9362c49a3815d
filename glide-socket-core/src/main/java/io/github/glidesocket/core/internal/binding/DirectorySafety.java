package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketPathException;

import org.jspecify.annotations.Nullable;

/**
 * Whether someone other than this process's user and root can change the entries of a
 * directory: rename, replace or remove what is in it. That is the case when another user owns
 * it (the owner can change its mode at will), or when its group or all users may write it and
 * its sticky bit is not set (with the sticky bit, only an entry's owner, the directory's owner
 * and root may rename or remove it).
 * <p>
 * The {@link DirectoryCheck} applies this to every directory that the kernel reads an entry
 * from to reach the socket's directory: the root, each directory on the way, and, for a
 * symbolic link on the way, the directories its target leads through. Whoever can change one of
 * them can make the path lead somewhere else.
 */
final class DirectorySafety {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int GROUP_WRITE = 0020;

	private static final int OTHERS_WRITE = 0002;

	private static final int STICKY = 01000;

	private static final int GROUP_SEARCH = 0010;

	private static final int OTHERS_SEARCH = 0001;

	private static final int FILE_TYPE_MASK = 0170000;

	private static final int DIRECTORY_TYPE = 0040000;

	private static final int LINK_TYPE = 0120000;

	/** Linux's limit on links followed in one path lookup; a path with more fails to bind anyway. */
	private static final int MAX_LINKS = 40;

	/** Directories already warned about, so each is logged once. */
	private static final Set<String> warned = ConcurrentHashMap.newKeySet();

	private DirectorySafety() {
	}

	/**
	 * Apply the check to the directories that lead to a socket's directory, and tell how private
	 * the socket's directory is. A directory on the way that others can change makes it
	 * {@link Access#SHARED}, whatever the check: they could move it, or put another in its place.
	 * @param socket the socket's path, for messages
	 * @param parent the socket's directory, as given
	 * @param check what to do with a directory others can change
	 * @return who besides this user and root can reach or change the socket's directory
	 * @throws SocketPathException with {@link SocketPathException.Reason#UNSAFE_DIRECTORY} if the
	 * check refuses
	 */
	static Access check(String socket, Path parent, DirectoryCheck check) {
		Walk walk = walk(parent);
		List<String> problems = walk.problems();
		if (problems.isEmpty()) {
			Map<String, Object> reached = walk.reached();
			return (reached != null) ? access(reached) : access(parent);
		}
		String found = String.join("; ", problems);
		if (check == DirectoryCheck.REFUSE) {
			throw new SocketPathException(socket, SocketPathException.Reason.UNSAFE_DIRECTORY, "Cannot create socket '"
					+ socket + "': " + found + ", so another user could remove or replace the socket, or choose where "
					+ "it is created; use a directory that only this user and root can change (chmod go-w, or "
					+ "chmod +t for a shared directory such as /tmp)");
		}
		if (check == DirectoryCheck.WARN && warned.add(found)) {
			logger.log(System.Logger.Level.WARNING, "Socket '" + socket + "' is bound although " + found
					+ ", so another user could remove or replace it, or choose where it is created; use a directory "
					+ "that only this user and root can change (chmod go-w, or chmod +t for a shared directory such "
					+ "as /tmp), or set the socket's directory check to REFUSE to refuse such paths "
					+ "(logged once for these directories)");
		}
		return Access.SHARED;
	}

	/**
	 * Follow the path to the directory as the kernel does, and collect the problems of the
	 * directories it leads through, each as "directory 'd' is ...", in the order the kernel reads
	 * them. Following the path stops where it cannot be read: binding then reports what is wrong.
	 */
	private static Walk walk(Path directory) {
		List<String> problems = new ArrayList<>();
		Map<String, Object> reached = null;
		Deque<String> pending = new ArrayDeque<>();
		push(pending, directory.toAbsolutePath());
		Path root = directory.toAbsolutePath().getRoot();
		Path current = root;
		int links = 0;
		try {
			Map<String, Object> attributes = Files.readAttributes(current, "unix:uid,mode");
			inspect(current, attributes, problems);
			Map<String, Object> last = attributes;
			while (!pending.isEmpty()) {
				String name = pending.pop();
				if (name.isEmpty() || name.equals(".")) {
					continue;
				}
				if (name.equals("..")) {
					Path up = current.getParent();
					current = (up != null) ? up : root;
					continue;
				}
				Path next = current.resolve(name);
				attributes = Files.readAttributes(next, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
				int type = (int) attributes.get("mode") & FILE_TYPE_MASK;
				if (type == LINK_TYPE) {
					if (++links > MAX_LINKS) {
						break;
					}
					Path target = Files.readSymbolicLink(next);
					push(pending, target);
					if (target.isAbsolute()) {
						current = root;
					}
					continue;
				}
				if (type != DIRECTORY_TYPE) {
					last = null;
					break;
				}
				inspect(next, attributes, problems);
				last = attributes;
				current = next;
			}
			reached = (pending.isEmpty()) ? last : null;
		}
		catch (IOException | RuntimeException ex) {
			// Unreadable on the way: the bind reports it.
		}
		return new Walk(problems, reached);
	}

	/**
	 * What following a path found.
	 * @param problems the problems of the directories on the way; empty if none can be changed
	 * by others
	 * @param reached the owner and mode of the directory the path leads to, or {@code null} if
	 * following it stopped before
	 */
	private record Walk(List<String> problems, @Nullable Map<String, Object> reached) {
	}

	private static void push(Deque<String> pending, Path path) {
		for (int i = path.getNameCount() - 1; i >= 0; i--) {
			pending.push(path.getName(i).toString());
		}
	}

	private static void inspect(Path directory, Map<String, Object> attributes, List<String> problems) {
		String problem = problem(((Number) attributes.get("uid")).longValue(), (int) attributes.get("mode"));
		if (problem != null) {
			problems.add("directory '" + directory + "' " + problem);
		}
	}

	/**
	 * Why others can change the directory's entries, or {@code null} if only this process's user
	 * and root can.
	 * @param owner the directory's owner
	 * @param mode the directory's mode
	 * @return the problem, in words, or {@code null}
	 */
	static @Nullable String problem(long owner, int mode) {
		if (owner != 0 && owner != PeerCredentials.processUid()) {
			return "is owned by another user (uid " + owner + ")";
		}
		if ((mode & STICKY) == 0 && (mode & (GROUP_WRITE | OTHERS_WRITE)) != 0) {
			String who = ((mode & OTHERS_WRITE) != 0) ? "all users" : "its group";
			return "is writable by " + who + " without the sticky bit (mode " + Integer.toOctalString(mode & 07777)
					+ ")";
		}
		return null;
	}

	/**
	 * Who besides this user and root can reach or change the entries of the directory the path
	 * leads to, judged by that directory alone. A directory that cannot be read counts as one
	 * others can change.
	 * @param directory the directory, its links followed
	 * @return how private the directory is
	 */
	private static Access access(Path directory) {
		try {
			return access(Files.readAttributes(directory, "unix:uid,mode"));
		}
		catch (IOException | RuntimeException ex) {
			return Access.SHARED;
		}
	}

	private static Access access(Map<String, Object> attributes) {
		long owner = ((Number) attributes.get("uid")).longValue();
		int mode = (int) attributes.get("mode");
		if (problem(owner, mode) != null) {
			return Access.SHARED;
		}
		// Without search permission nobody else can look up, open or connect to an entry. The
		// group bits are the mask of any access control list, so they cover its entries too.
		return (owner == PeerCredentials.processUid() && (mode & (GROUP_SEARCH | OTHERS_SEARCH)) == 0)
				? Access.PRIVATE : Access.SAFE;
	}

	/**
	 * Who besides this user and root can reach or change a directory's entries.
	 */
	enum Access {

		/** Nobody: the directory is this user's and others may not enter it. */
		PRIVATE,

		/** Others may enter it and reach its entries, but not rename, replace or remove them. */
		SAFE,

		/** Others can rename, replace or remove its entries. */
		SHARED

	}

}
