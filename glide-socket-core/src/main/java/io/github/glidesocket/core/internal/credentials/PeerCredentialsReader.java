package io.github.glidesocket.core.internal.credentials;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketManager;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Reads a connection's peer credentials from {@code SO_PEERCRED}. The JDK hands them over as
 * user and group principals; policies need the numeric ids. OpenJDK's principals made from an
 * id hash to that id, which is checked once against this process's own user and group: if the
 * check fails (another JDK), ids are taken from the principal's name (the JDK names a principal
 * by its number when the id has no name) or from {@code /etc/passwd} and {@code /etc/group}.
 */
public final class PeerCredentialsReader {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final boolean HASH_IS_ID = hashIsId();

	private static final Map<String, Long> userIds = new ConcurrentHashMap<>();

	private static final Map<String, Long> groupIds = new ConcurrentHashMap<>();

	private PeerCredentialsReader() {
	}

	/**
	 * The credentials of the process at the other end of a Unix-domain channel.
	 * @param channel the connected channel
	 * @return the credentials, with pid {@code -1}
	 * @throws IOException if the kernel does not report them
	 */
	public static PeerCredentials read(SocketChannel channel) throws IOException {
		UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
		long uid = id(principal.user(), userIds, Path.of("/etc/passwd"));
		long gid = id(principal.group(), groupIds, Path.of("/etc/group"));
		return new PeerCredentials(-1, uid, gid, new long[] { gid }, principal.user().getName(),
				principal.group().getName());
	}

	private static long id(UserPrincipal principal, Map<String, Long> cache, Path database) throws IOException {
		if (HASH_IS_ID) {
			return Integer.toUnsignedLong(principal.hashCode());
		}
		String name = principal.getName();
		if (isNumber(name)) {
			return Long.parseLong(name);
		}
		Long id = cache.get(name);
		if (id == null) {
			id = lookUp(name, database);
			cache.put(name, id);
		}
		return id;
	}

	private static long lookUp(String name, Path database) throws IOException {
		List<String> lines = Files.readAllLines(database);
		for (String line : lines) {
			String[] fields = line.split(":", -1);
			if (fields.length > 2 && fields[0].equals(name) && isNumber(fields[2])) {
				return Long.parseLong(fields[2]);
			}
		}
		throw new IOException("No id found for '" + name + "' in " + database);
	}

	private static boolean isNumber(String text) {
		if (text.isEmpty() || text.length() > 10) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			if (!Character.isDigit(text.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean hashIsId() {
		try {
			Path self = Path.of("/proc/self");
			UserPrincipal user = Files.getOwner(self);
			GroupPrincipal group = (GroupPrincipal) Files.getAttribute(self, "posix:group");
			long uid = ((Number) Files.getAttribute(self, "unix:uid")).longValue();
			long gid = ((Number) Files.getAttribute(self, "unix:gid")).longValue();
			return user.hashCode() == (int) uid && group.hashCode() == (int) gid;
		}
		catch (IOException | RuntimeException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "Peer ids come from names: " + ex);
			return false;
		}
	}

}
