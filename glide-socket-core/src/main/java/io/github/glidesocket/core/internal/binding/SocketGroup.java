package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Map;

import io.github.glidesocket.core.UnixAccounts;

/**
 * Gives a socket file just bound its configured group, before it is published.
 */
final class SocketGroup {

	private SocketGroup() {
	}

	/**
	 * Set the group of the file at the path, not following a link ({@code lchown}).
	 * @param socket the socket file, where nobody else can reach it
	 * @param gid the group id
	 * @throws IOException if the kernel refuses, with this process's groups in the message
	 */
	static void set(Path socket, long gid) throws IOException {
		GroupPrincipal group = FileSystems.getDefault()
			.getUserPrincipalLookupService()
			.lookupPrincipalByGroupName(Long.toString(gid));
		try {
			Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setGroup(group);
		}
		catch (FileSystemException ex) {
			throw new IOException("cannot give the socket file the group " + gid + " (" + ex.getReason()
					+ "); this process's groups are " + UnixAccounts.processGroups(), ex);
		}
	}

	/**
	 * Whether the file at the path, not following a link, is the one with this key and has
	 * this group.
	 */
	static boolean has(Path socket, Object socketKey, long gid) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(socket, "unix:gid,fileKey", LinkOption.NOFOLLOW_LINKS);
		return socketKey.equals(attributes.get("fileKey")) && ((Number) attributes.get("gid")).longValue() == gid;
	}

}
