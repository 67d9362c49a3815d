package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.glidesocket.core.PeerCredentials;

import org.jspecify.annotations.Nullable;

/**
 * Whether someone other than this process's user and root can change the entries of a
 * directory: rename, replace or remove what is in it. That is the case when another user owns
 * it (the owner can change its mode at will), or when its group or others may write it and its
 * sticky bit is not set (with the sticky bit, only an entry's owner may rename or remove it).
 */
final class DirectorySafety {

	private static final int GROUP_WRITE = 0020;

	private static final int OTHERS_WRITE = 0002;

	private static final int STICKY = 01000;

	private DirectorySafety() {
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
	 * Whether others can change the entries of the directory the path leads to. A directory
	 * that cannot be read counts as one they can change.
	 * @param directory the directory, its links followed
	 * @return whether someone else can change its entries
	 */
	static boolean othersCanChange(Path directory) {
		try {
			Map<String, Object> attributes = Files.readAttributes(directory, "unix:uid,mode");
			return problem(((Number) attributes.get("uid")).longValue(), (int) attributes.get("mode")) != null;
		}
		catch (IOException | RuntimeException ex) {
			return true;
		}
	}

}
