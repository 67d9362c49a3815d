package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * Judges the file at a socket's path for takeover: whether it is a live socket of a process the
 * server policy trusts. The old instance asks when its file was replaced (is this a handover?),
 * the new one before it renames over a live socket (may it take over?); both by the same rules.
 * <p>
 * The file is read without following links, before and after the probe connection (which does
 * follow them): it must be a socket, the same file both times, owned by a user the policy
 * allows, and served by a process of that same user that the policy allows. So a link put at
 * the path, for the probe only or for good, never lends another server's credentials to the
 * file. A file that is one of the judging manager's own sockets (a hard link to one) is never a
 * replacement: connecting to it reaches that manager itself.
 * <p>
 * A server whose backlog stays full ({@link Verdict#BUSY}), or a file that changed during the
 * probe ({@link Verdict#CHANGED}), gives no answer: the old instance checks again later, and
 * never reports a replacement on it. Runs user code (the policy) and blocks for up to the busy deadline: never on a timer
 * thread, never under a lock.
 */
public final class SocketFileJudge {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/** How long a server whose backlog is full is tried again before the judgement says busy. */
	public static final Duration BUSY_DEADLINE = Duration.ofSeconds(5);

	private static final int FILE_TYPE_MASK = 0170000;

	private static final int SOCKET_TYPE = 0140000;

	private SocketFileJudge() {
	}

	/**
	 * Judge the file at the path.
	 * @param path the socket's path
	 * @param policy the server policy
	 * @param busyFor how long to keep trying a server whose backlog is full
	 * @param own whether a file key is that of a socket the judging manager listens on itself
	 * @return the judgement
	 */
	public static Judgement judge(Path path, PeerPolicy policy, Duration busyFor, Predicate<Object> own) {
		FileIdentity before = FileIdentity.read(path);
		if (before == null) {
			return new Judgement(Verdict.ABSENT, null, null, "no file is at the path");
		}
		if (!before.isSocket()) {
			return new Judgement(Verdict.FOREIGN, before, null, "a " + before.describeType() + " is at the path");
		}
		if (own.test(before.key())) {
			return new Judgement(Verdict.FOREIGN, before, null,
					"the file is a socket this manager listens on itself, so connecting to it reaches this manager");
		}
		ServerProbe.Answer answer = ServerProbe.probe(path, busyFor);
		FileIdentity after = FileIdentity.read(path);
		if (after == null || !after.key().equals(before.key()) || after.uid() != before.uid()) {
			return new Judgement(Verdict.CHANGED, before, null, "the file changed while it was probed");
		}
		PeerCredentials owner = before.owner();
		if (answer.outcome() == ServerProbe.Outcome.REFUSED) {
			return new Judgement(Verdict.STALE, before, null, "nobody accepts connections on it");
		}
		if (answer.outcome() == ServerProbe.Outcome.UNREACHABLE) {
			return new Judgement(Verdict.FOREIGN, before, null, "it cannot be connected to: " + answer.details());
		}
		PeerCredentials server = answer.credentials();
		if (server != null && !allows(policy, server)) {
			return new Judgement(Verdict.FOREIGN, before, server, "it is in use by a process running as " + server
					+ ", which the server policy " + policy + " does not allow");
		}
		if (!allows(policy, owner)) {
			return new Judgement(Verdict.FOREIGN, before, server, "the socket file is owned by " + owner
					+ ", which the server policy " + policy + " does not allow");
		}
		if (server == null) {
			return new Judgement(Verdict.BUSY, before, null, "its server is busy: " + answer.details());
		}
		if (server.uid() != owner.uid()) {
			return new Judgement(Verdict.FOREIGN, before, server, "it is served by a process running as " + server
					+ ", but the socket file is owned by uid " + owner.uid() + ": the connect reached another server");
		}
		return new Judgement(Verdict.TRUSTED, before, server, "it is served by a process running as " + server
				+ ", which the server policy " + policy + " allows");
	}

	/**
	 * Whether a policy allows a process. A policy that throws allows nothing.
	 */
	static boolean allows(PeerPolicy policy, PeerCredentials credentials) {
		try {
			return policy.allows(credentials);
		}
		catch (RuntimeException | Error ex) {
			logger.log(System.Logger.Level.WARNING,
					"The server policy " + policy + " failed on " + credentials + "; that server is not trusted", ex);
			return false;
		}
	}

	/**
	 * What the file at a path is, as a takeover sees it.
	 */
	public enum Verdict {

		/** No file is at the path. */
		ABSENT,

		/** A socket nobody serves. */
		STALE,

		/**
		 * The server's backlog stayed full: its credentials are not known, those of the file's
		 * owner were checked. Ask again later.
		 */
		BUSY,

		/** The file changed while it was probed: no answer. Ask again. */
		CHANGED,

		/** Not a trusted server's socket: a link, another file, or an untrusted or own server. */
		FOREIGN,

		/** A live socket of a process the server policy trusts, owned by that process's user. */
		TRUSTED

	}

	/**
	 * A judgement of the file at a path.
	 *
	 * @param verdict what the file is
	 * @param file the file judged (read before the probe), or {@code null} if none
	 * @param server the credentials of the process that served it, or {@code null} if not known
	 * @param reason why, for messages
	 */
	public record Judgement(Verdict verdict, @Nullable FileIdentity file, @Nullable PeerCredentials server,
			String reason) {

		/**
		 * The key of the file judged.
		 * @return the key, or {@code null} if no file was there
		 */
		public @Nullable Object fileKey() {
			FileIdentity judged = this.file;
			return (judged != null) ? judged.key() : null;
		}

	}

	/**
	 * The type, owner and key of a file, read in one call without following a link.
	 *
	 * @param mode the file's mode, type included
	 * @param uid the owner's user id
	 * @param gid the file's group id
	 * @param key the file key (device and inode)
	 */
	public record FileIdentity(int mode, long uid, long gid, Object key) {

		static @Nullable FileIdentity read(Path path) {
			Map<String, Object> attributes;
			try {
				attributes = Files.readAttributes(path, "unix:mode,uid,gid,fileKey", LinkOption.NOFOLLOW_LINKS);
			}
			catch (NoSuchFileException ex) {
				return null;
			}
			catch (IOException | UnsupportedOperationException ex) {
				return null;
			}
			return new FileIdentity((int) attributes.get("mode"), ((Number) attributes.get("uid")).longValue(),
					((Number) attributes.get("gid")).longValue(), Objects.requireNonNull(attributes.get("fileKey")));
		}

		boolean isSocket() {
			return (this.mode & FILE_TYPE_MASK) == SOCKET_TYPE;
		}

		String describeType() {
			return switch (this.mode & FILE_TYPE_MASK) {
				case 0100000 -> "regular file";
				case 0040000 -> "directory";
				case 0120000 -> "symbolic link";
				case SOCKET_TYPE -> "socket";
				default -> "special file that is not a socket";
			};
		}

		/**
		 * The file's owner, as credentials a policy can judge.
		 */
		PeerCredentials owner() {
			return new PeerCredentials(-1, this.uid, this.gid, new long[] { this.gid });
		}

	}

}
