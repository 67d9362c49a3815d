package io.github.glidesocket.core.internal.binding;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import io.github.glidesocket.core.SocketPathException;

/**
 * Checks and canonicalises socket paths before anything touches the file system.
 * <p>
 * The registry is keyed by the absolute, normalised path, so {@code sock} and {@code ./sock} name
 * the same socket. Sockets are bound under a short staging name next to the final path (see
 * {@link UnixSocketBinder}), so both names must fit the platform's address limit.
 */
public final class SocketPaths {

	/**
	 * Linux's {@code sun_path} holds 108 bytes including the terminating NUL; the JDK's Unix-domain
	 * channels refuse paths of 107 bytes and more with a bare "path too long", so the limit is 106
	 * and is checked here, with a message that says what is too long and by how much.
	 */
	public static final int MAX_PATH_BYTES = 106;

	/** Length of {@code /}, the staging directory name ({@code .g} and six characters), {@code /} and the socket name {@code s}. */
	public static final int STAGING_SUFFIX_BYTES = "/.g123456/s".length();

	private SocketPaths() {
	}

	/**
	 * Validate the path's syntax and length and return its canonical form.
	 * @param path the path as given
	 * @return the absolute, normalised path
	 * @throws SocketPathException if the path is empty, contains NUL, cannot be encoded as a file
	 * name, or is too long
	 */
	public static String canonical(String path) {
		if (isPlainCanonical(path)) {
			int lastSlash = path.lastIndexOf('/');
			int parentBytes = Math.max(lastSlash, 1);
			if (path.length() <= MAX_PATH_BYTES && parentBytes + STAGING_SUFFIX_BYTES <= MAX_PATH_BYTES) {
				return path;
			}
		}
		return checkedCanonical(path);
	}

	/**
	 * Whether the path is absolute, ASCII without NUL, and has no empty, {@code .} or {@code ..}
	 * segment: then it is already canonical and its length is its byte count. Creating and
	 * normalising a {@link Path} costs more than the rest of binding a new reference.
	 */
	private static boolean isPlainCanonical(String path) {
		int length = path.length();
		if (length < 2 || path.charAt(0) != '/' || path.charAt(length - 1) == '/') {
			return false;
		}
		int segmentStart = 1;
		for (int i = 1; i <= length; i++) {
			char c = (i < length) ? path.charAt(i) : '/';
			if (c == 0 || c >= 0x80) {
				return false;
			}
			if (c == '/') {
				int segmentLength = i - segmentStart;
				if (segmentLength == 0 || (path.charAt(segmentStart) == '.'
						&& (segmentLength == 1 || (segmentLength == 2 && path.charAt(segmentStart + 1) == '.')))) {
					return false;
				}
				segmentStart = i + 1;
			}
		}
		return true;
	}

	private static String checkedCanonical(String path) {
		if (path.isEmpty()) {
			throw new SocketPathException(path, SocketPathException.Reason.EMPTY, "Socket path must not be empty");
		}
		if (path.indexOf('\0') >= 0) {
			throw new SocketPathException(path, SocketPathException.Reason.CONTAINS_NUL,
					"Socket path '" + path.replace("\0", "\\0") + "' must not contain a NUL character");
		}
		Path absolute;
		try {
			absolute = Path.of(path).toAbsolutePath().normalize();
		}
		catch (InvalidPathException ex) {
			String encoding = fileNameEncoding();
			if (!canEncode(path, encoding)) {
				throw new SocketPathException(path, SocketPathException.Reason.UNENCODABLE, "Socket path '" + path
						+ "' has characters that this JVM's file-name encoding (" + encoding + ") cannot represent; "
						+ "the encoding follows the locale the JVM starts in: run it with a UTF-8 locale, for "
						+ "example with LC_ALL=C.UTF-8 in its environment", ex);
			}
			throw new SocketPathException(path, SocketPathException.Reason.BIND_FAILED,
					"Socket path '" + path + "' is not a valid path: " + ex.getMessage(), ex);
		}
		if (absolute.getParent() == null) {
			throw new SocketPathException(path, SocketPathException.Reason.NOT_A_SOCKET,
					"Socket path '" + path + "' names the root directory");
		}
		String canonical = absolute.toString();
		int bytes = byteLength(canonical);
		int stagingBytes = byteLength(absolute.getParent().toString()) + STAGING_SUFFIX_BYTES;
		int needed = Math.max(bytes, stagingBytes);
		if (needed > MAX_PATH_BYTES) {
			throw new SocketPathException(path, SocketPathException.Reason.TOO_LONG,
					"Socket path '" + canonical + "' is too long: binding it needs " + needed
							+ " bytes and the limit is " + MAX_PATH_BYTES
							+ " bytes; choose a path in a shorter directory");
		}
		return canonical;
	}

	/**
	 * The charset the JDK turns file names into bytes with ({@code sun.jnu.encoding}, set from
	 * the locale at startup and not changeable afterwards).
	 */
	private static String fileNameEncoding() {
		String encoding = System.getProperty("sun.jnu.encoding");
		return (encoding != null) ? encoding : Charset.defaultCharset().name();
	}

	private static boolean canEncode(String path, String encoding) {
		try {
			return Charset.forName(encoding).newEncoder().canEncode(path);
		}
		catch (IllegalArgumentException | UnsupportedOperationException ex) {
			return true;
		}
	}

	static int byteLength(String path) {
		return path.getBytes(StandardCharsets.UTF_8).length;
	}

}
