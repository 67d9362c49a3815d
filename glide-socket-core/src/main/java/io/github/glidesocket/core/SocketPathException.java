package io.github.glidesocket.core;

import org.jspecify.annotations.Nullable;

/**
 * A socket path that cannot be used. Thrown before anything on the file system changes: a file
 * that is in the way is never deleted unless it is a stale socket and the
 * {@link StaleSocketPolicy} allows it.
 */
public class SocketPathException extends GlideSocketException {

	private final Reason reason;

	public SocketPathException(String path, Reason reason, String message) {
		this(path, reason, message, null);
	}

	public SocketPathException(String path, Reason reason, String message, @Nullable Throwable cause) {
		super(path, message, cause);
		this.reason = reason;
	}

	/**
	 * Why the path cannot be used.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Why a path cannot be used.
	 */
	public enum Reason {

		/** The path is empty. */
		EMPTY,

		/** The path contains a NUL character, which the operating system cannot represent. */
		CONTAINS_NUL,

		/** The absolute path is longer than the platform's limit for socket addresses. */
		TOO_LONG,

		/**
		 * The path has characters that the JVM's file-name encoding, which follows the locale it
		 * was started in, cannot represent (such as any non-ASCII character under the POSIX
		 * locale).
		 */
		UNENCODABLE,

		/** The parent directory does not exist, or is not a directory. */
		PARENT_MISSING,

		/** This process may not create files in the parent directory. */
		PARENT_NOT_WRITABLE,

		/** Something other than a socket (a regular file, a directory, a link) is at the path. */
		NOT_A_SOCKET,

		/** A socket file that no process serves is at the path, and the policy says not to reclaim it. */
		STALE_SOCKET,

		/**
		 * The socket's directory, or one above it, can be changed by another user, and the
		 * {@link DirectoryCheck} says to refuse it.
		 */
		UNSAFE_DIRECTORY,

		/** The socket could not be created for another reason reported by the operating system. */
		BIND_FAILED

	}

}
