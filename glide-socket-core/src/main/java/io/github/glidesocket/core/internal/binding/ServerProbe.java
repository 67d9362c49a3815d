package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.credentials.PeerCredentialsReader;

import org.jspecify.annotations.Nullable;

/**
 * Finds out who serves a socket file: connects once and reads the kernel's credentials of the
 * process that listens ({@code SO_PEERCRED}), then closes the connection without sending
 * anything. Used to decide whether a live socket may be taken over, and whether the socket that
 * replaced this one's file belongs to a process that took it over.
 * <p>
 * A connect that finds the listener's backlog full is tried again a few times, briefly: a busy
 * server is still a server, and its credentials are what matters.
 */
public final class ServerProbe {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int ATTEMPTS = 20;

	private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private ServerProbe() {
	}

	/**
	 * Probe the socket at the path.
	 * @param path the socket file
	 * @return what answered
	 */
	public static Server probe(Path path) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				probe.configureBlocking(false);
				if (probe.connect(UnixDomainSocketAddress.of(path))) {
					return new Server(true, PeerCredentialsReader.read(probe));
				}
			}
			catch (ConnectException ex) {
				return new Server(false, null);
			}
			catch (IOException ex) {
				// Gone meanwhile, or not a socket: nobody serves it.
				return new Server(Files.exists(path, LinkOption.NOFOLLOW_LINKS), null);
			}
			LockSupport.parkNanos(PAUSE_NANOS);
		}
		return new Server(true, null);
	}

	/**
	 * What a probe found at a socket file.
	 *
	 * @param served whether a live process serves it (it accepted the connection, or kept
	 * its backlog full)
	 * @param credentials the credentials of that process, or {@code null} if not served or not
	 * known
	 */
	public record Server(boolean served, @Nullable PeerCredentials credentials) {

		/**
		 * Whether a policy allows the process that serves the file. A policy that throws allows
		 * nothing.
		 * @param policy the server policy
		 * @return whether the server is known and allowed
		 */
		public boolean trustedBy(PeerPolicy policy) {
			PeerCredentials server = this.credentials;
			if (server == null) {
				return false;
			}
			try {
				return policy.allows(server);
			}
			catch (RuntimeException | Error ex) {
				logger.log(System.Logger.Level.WARNING,
						"The server policy " + policy + " failed on " + server + "; that server is not trusted", ex);
				return false;
			}
		}

	}

}
