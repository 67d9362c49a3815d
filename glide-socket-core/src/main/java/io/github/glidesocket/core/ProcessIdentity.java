package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user id of this process, read once. Linux exposes it through {@code /proc/self}; elsewhere
 * the owner of a freshly created temporary file is the effective user.
 */
final class ProcessIdentity {

	private static final long UID = readUid();

	private ProcessIdentity() {
	}

	static long uid() {
		return UID;
	}

	private static long readUid() {
		try {
			// Follow the link: /proc/self itself is owned by root, the directory it names by this process.
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return uidOfNewFile();
		}
	}

	private static long uidOfNewFile() {
		try {
			Path probe = Files.createTempFile("glide-socket-uid", ".tmp");
			try {
				return ((Number) Files.getAttribute(probe, "unix:uid")).longValue();
			}
			finally {
				Files.deleteIfExists(probe);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot determine the user id of this process", ex);
		}
	}

}
