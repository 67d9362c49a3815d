package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * Taking over a path that a live process serves: allowed only when the kernel's credentials of
 * that process pass the socket's server policy, and done by renaming the new socket, bound and
 * given its mode aside, over the path ({@code rename(2)} replaces it in one step). Every connect
 * then reaches the old socket or the new one: none finds the path missing. The old process
 * notices that its file was replaced by a server it trusts and hands over.
 * <p>
 * The file is renamed over only if it is still the socket that was probed (or gone): someone who
 * can write the directory could put another file there in between, as they could remove it.
 */
final class Takeover {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private Takeover() {
	}

	/**
	 * Decide whether the socket at the path is taken over.
	 * @param path the path, for messages
	 * @param target the path
	 * @param key the key of the socket file found at the path
	 * @param policy the server policy
	 * @return the key of the live socket to replace, or {@code null} if nobody serves it (it is
	 * stale)
	 * @throws SocketInUseException if a process serves it that the policy does not allow, or
	 * whose credentials cannot be read
	 */
	static @Nullable Object liveSocketToReplace(String path, Path target, Object key, PeerPolicy policy) {
		ServerProbe.Server server = ServerProbe.probe(target);
		if (!server.served()) {
			return null;
		}
		PeerCredentials credentials = server.credentials();
		if (credentials == null) {
			throw new SocketInUseException(path, "Socket '" + path + "' is in use: another process is accepting "
					+ "connections on it, and its credentials cannot be read, so it is not taken over");
		}
		if (!server.trustedBy(policy)) {
			throw new SocketInUseException(path, "Socket '" + path + "' is in use by a process running as "
					+ credentials + ", which the server policy " + policy + " does not allow, so it is not taken over");
		}
		logger.log(System.Logger.Level.INFO, () -> "Taking over socket '" + path + "' from a process running as "
				+ credentials);
		return key;
	}

	/**
	 * Rename the bound socket over the path, unless the path holds another file than the one
	 * taken over.
	 * @param target the path
	 * @param source the bound socket's current name
	 * @param replacing the key of the socket taken over
	 * @param current the key of what is at the path now, or {@code null} if nothing
	 * @return whether it was renamed
	 * @throws IOException if the rename fails
	 */
	static boolean renameOver(Path target, Path source, Object replacing, @Nullable Object current)
			throws IOException {
		if (current != null && !current.equals(replacing)) {
			return false;
		}
		Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
		return true;
	}

}
