package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.UUID;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketPathException;

/**
 * The path used when none is given, named as the original design names it:
 * {@code <tmp>/glide-socket-<uid>/glide-socket-<pid>-<uuid>.sock}. The per-user directory is
 * created {@code rwx------} and refused if someone else owns it or can enter it, so that another
 * local user cannot plant or watch sockets there.
 */
public final class DefaultSocketPath {

	private DefaultSocketPath() {
	}

	public static String create() {
		Path directory = Path.of(System.getProperty("java.io.tmpdir"), "glide-socket-" + PeerCredentials.processUid());
		ensurePrivateDirectory(directory);
		return directory
			.resolve("glide-socket-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".sock")
			.toString();
	}

	private static void ensurePrivateDirectory(Path directory) {
		try {
			Files.createDirectory(directory,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (FileAlreadyExistsException ex) {
			// Checked below.
		}
		catch (IOException ex) {
			throw new SocketPathException(directory.toString(), SocketPathException.Reason.PARENT_NOT_WRITABLE,
					"Cannot create the private socket directory '" + directory + "': " + ex.getMessage(), ex);
		}
		try {
			PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			long owner = ((Number) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
			EnumSet<PosixFilePermission> others = EnumSet.complementOf(EnumSet.of(PosixFilePermission.OWNER_READ,
					PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
			others.retainAll(attributes.permissions());
			if (!attributes.isDirectory() || owner != PeerCredentials.processUid() || !others.isEmpty()) {
				throw new SocketPathException(directory.toString(), SocketPathException.Reason.PARENT_NOT_WRITABLE,
						"The private socket directory '" + directory
								+ "' must be a directory owned by this user with mode rwx------; remove it or set a socket path");
			}
		}
		catch (IOException ex) {
			throw new SocketPathException(directory.toString(), SocketPathException.Reason.PARENT_NOT_WRITABLE,
					"Cannot check the private socket directory '" + directory + "': " + ex.getMessage(), ex);
		}
	}

}
