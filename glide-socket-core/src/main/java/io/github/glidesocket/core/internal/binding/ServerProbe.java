package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.internal.credentials.PeerCredentialsReader;

import org.jspecify.annotations.Nullable;

/**
 * Finds out who serves a socket file: connects once and reads the kernel's credentials of the
 * process that listens ({@code SO_PEERCRED}), then closes the connection without sending
 * anything. The connect follows links: callers judge the file itself ({@link SocketFileJudge}).
 * <p>
 * A non-blocking connect to a listener whose backlog is full fails at once ({@code EAGAIN}): the
 * server is busy, not absent, and its credentials are not known. The probe tries again, with
 * growing pauses, until a deadline, and then says so: busy is never taken for an answer.
 */
final class ServerProbe {

	private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private ServerProbe() {
	}

	/**
	 * Probe the socket at the path.
	 * @param path the socket file
	 * @param busyFor how long to keep trying while the server's backlog is full
	 * @return what answered
	 */
	static Answer probe(Path path, Duration busyFor) {
		long deadline = System.nanoTime() + busyFor.toNanos();
		long pause = FIRST_PAUSE_NANOS;
		for (;;) {
			try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				probe.configureBlocking(false);
				if (probe.connect(UnixDomainSocketAddress.of(path))) {
					return Answer.served(readCredentials(probe));
				}
				// Not connected yet: as busy as a full backlog.
			}
			catch (ConnectException ex) {
				return new Answer(Outcome.REFUSED, null, ex.getMessage());
			}
			catch (IOException ex) {
				if (!isBacklogFull(ex)) {
					// Gone meanwhile, not a socket, or out of reach.
					return new Answer(Outcome.UNREACHABLE, null, ex.getMessage());
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return new Answer(Outcome.BUSY, null, "its backlog stayed full for " + busyFor.toMillis() + " ms");
			}
			LockSupport.parkNanos(Math.min(pause, left));
			pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
		}
	}

	/**
	 * Whether a connect failed with {@code EAGAIN}: the JDK reports it as a
	 * {@link SocketException} with the system's text for it, and no type of its own.
	 */
	static boolean isBacklogFull(IOException ex) {
		String message = ex.getMessage();
		return ex.getClass() == SocketException.class && message != null
				&& message.contains("temporarily unavailable");
	}

	private static @Nullable PeerCredentials readCredentials(SocketChannel probe) {
		try {
			return PeerCredentialsReader.read(probe);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * How a probe ended.
	 */
	enum Outcome {

		/** A process accepted the connection. */
		SERVED,

		/** Nobody listens: a stale socket. */
		REFUSED,

		/** The listener's backlog stayed full until the deadline. */
		BUSY,

		/** The path could not be connected to at all. */
		UNREACHABLE

	}

	/**
	 * What a probe found at a socket file.
	 *
	 * @param outcome how the probe ended
	 * @param credentials the credentials of the process that serves it, or {@code null} if not
	 * served or not known
	 * @param details why, for messages, or {@code null}
	 */
	record Answer(Outcome outcome, @Nullable PeerCredentials credentials, @Nullable String details) {

		static Answer served(@Nullable PeerCredentials credentials) {
			return new Answer(Outcome.SERVED, credentials, (credentials != null) ? null : "its credentials cannot be read");
		}

	}

}
