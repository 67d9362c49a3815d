package io.github.glidesocket.core;

import java.util.List;
import java.util.Objects;

/**
 * Several sockets of one {@link SocketManager} behind one logical name, so that many clients
 * spread over several listeners. Obtained with {@link SocketManager#pool(String, int)}.
 * <p>
 * <b>Members.</b> A pool of size {@code N} has the members {@code 0} to {@code N-1}, each an
 * ordinary socket of the manager at a path derived from the pool's base path by
 * {@link #memberPath(String, int)}: the member's index is inserted before the file name's
 * extension, so {@code /run/app.sock} has the members {@code /run/app-0.sock},
 * {@code /run/app-1.sock}, ... (a name without an extension gets the index appended:
 * {@code /run/app} has {@code /run/app-0}, ...). The base path itself is never bound. Every
 * member path is checked like any socket path, so a base path that is just short enough for a
 * single socket may be too long for a pool.
 * <p>
 * <b>Balancing.</b> {@link #acquire()} returns a new reference to the member with the fewest
 * references at that moment, binding it if it is not bound; among members with equally few,
 * successive calls take them in turn. Apart from that choice it is
 * {@link SocketManager#getOrCreate(String) getOrCreate} on the member's path: each member keeps
 * every rule of a single socket (its own count, cleanup delay, limits and file checks), its
 * file exists exactly while it has references, and the references it hands out are ordinary
 * {@link SocketReference}s, closed one by one. Counts are read without a lock, so threads that
 * acquire at the same moment may choose the same member: the spread is even over time, not at
 * every instant.
 * <p>
 * <b>The pool object</b> holds no reference and no socket; it is a name for its members and a
 * turn counter. The manager returns the same pool for the same base path and size.
 * {@link #acquire()} reads every member's count, so pools are meant for a few members.
 * <p>
 * Instances are thread-safe.
 */
public interface SocketPool {

	/**
	 * The absolute, normalised base path, from which the member paths are derived; no socket is
	 * bound there.
	 * @return the base path
	 */
	String basePath();

	/**
	 * The number of members.
	 * @return the size, at least 1
	 */
	int size();

	/**
	 * The absolute, normalised path of each member, by index.
	 * @return the member paths
	 */
	List<String> memberPaths();

	/**
	 * The exact number of open references to one member's socket at this moment; 0 while it is
	 * not bound or lingering. Reads the manager's registry only.
	 * @param member the member's index
	 * @return the count
	 * @throws IndexOutOfBoundsException if there is no such member
	 */
	int referenceCount(int member);

	/**
	 * Return a new reference to the member with the fewest references, binding it if it has no
	 * live socket; members with equally few are chosen in turn.
	 * @return a new reference, which the caller must close
	 * @throws SocketPathException if the chosen member's path is unusable
	 * @throws SocketInUseException if another process serves a socket at the chosen member's path
	 * @throws SocketLimitException if the chosen member or the manager is at its limit
	 * @throws IllegalStateException if the manager is shut down
	 */
	SocketReference acquire();

	/**
	 * The path of a pool member: the base path with {@code -index} inserted before the file
	 * name's last extension ({@code app.sock} gives {@code app-0.sock}), or appended when the
	 * file name has no extension or only a leading dot ({@code app} gives {@code app-0},
	 * {@code .app} gives {@code .app-0}). The directory is the base path's; nothing else is
	 * changed or checked.
	 * @param basePath the pool's base path
	 * @param index the member's index, from 0
	 * @return the member's path
	 * @throws IllegalArgumentException if the base path does not end with a file name or the
	 * index is negative
	 */
	static String memberPath(String basePath, int index) {
		Objects.requireNonNull(basePath, "'basePath' must not be null");
		if (index < 0) {
			throw new IllegalArgumentException("'index' must not be negative, got " + index);
		}
		int slash = basePath.lastIndexOf('/');
		String name = basePath.substring(slash + 1);
		if (name.isEmpty() || name.equals(".") || name.equals("..")) {
			throw new IllegalArgumentException(
					"'basePath' must end with a file name, from which the member names are made, got '" + basePath + "'");
		}
		int dot = name.lastIndexOf('.');
		if (dot <= 0) {
			return basePath + "-" + index;
		}
		int extension = slash + 1 + dot;
		return basePath.substring(0, extension) + "-" + index + basePath.substring(extension);
	}

}
