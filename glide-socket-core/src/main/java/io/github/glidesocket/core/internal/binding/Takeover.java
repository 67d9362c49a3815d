package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * Taking over a path that a live process serves: allowed only when {@link SocketFileJudge} finds
 * the file at the path a live socket of a process the socket's server policy trusts, and done by
 * renaming the new socket, bound and given its mode aside, over the path ({@code rename(2)}
 * replaces it in one step). Every connect then reaches the old socket or the new one: none finds
 * the path missing. The old process notices that its file was replaced, judges the new file the
 * same way, and hands over.
 * <p>
 * The judgement and the rename are separate steps: the file is renamed over only if it is still
 * the very file judged (same key), so the credentials checked are those of the file replaced.
 * Someone who can write the directory could put another file there in between, as they could
 * remove it.
 */
final class Takeover {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int JUDGE_ATTEMPTS = 5;

	private Takeover() {
	}

	/**
	 * Decide whether the socket at the path is taken over.
	 * @param path the path, for messages
	 * @param target the path
	 * @param policy the server policy
	 * @return the judgement: {@link SocketFileJudge.Verdict#TRUSTED} (or
	 * {@link SocketFileJudge.Verdict#BUSY} with a trusted owner) to take over,
	 * {@link SocketFileJudge.Verdict#STALE} or {@link SocketFileJudge.Verdict#ABSENT} when nobody
	 * serves the path
	 * @throws SocketInUseException if anything else is at the path, with the reason
	 */
	static SocketFileJudge.Judgement judge(String path, Path target, PeerPolicy policy) {
		SocketFileJudge.Judgement judged = judge(target, policy);
		for (int attempt = 1; judged.verdict() == SocketFileJudge.Verdict.CHANGED; attempt++) {
			if (attempt == JUDGE_ATTEMPTS) {
				throw new SocketInUseException(path, "Socket '" + path + "' is in use and is not taken over: "
						+ judged.reason() + ", " + JUDGE_ATTEMPTS + " times; another process keeps replacing it");
			}
			judged = judge(target, policy);
		}
		SocketFileJudge.Judgement judgement = judged;
		switch (judgement.verdict()) {
			case FOREIGN -> throw new SocketInUseException(path,
					"Socket '" + path + "' is in use and is not taken over: " + judgement.reason());
			case TRUSTED -> logger.log(System.Logger.Level.INFO,
					() -> "Taking over socket '" + path + "': " + judgement.reason());
			case BUSY -> logger.log(System.Logger.Level.INFO, () -> "Taking over socket '" + path
					+ "' on the credentials of its file's owner, which the server policy allows: "
					+ judgement.reason());
			default -> {
			}
		}
		return judgement;
	}

	/**
	 * Judge the file as the old instance will: a new socket is not yet the binding manager's own,
	 * and replacing another of its sockets' links harms none of them.
	 */
	private static SocketFileJudge.Judgement judge(Path target, PeerPolicy policy) {
		return SocketFileJudge.judge(target, policy, SocketFileJudge.BUSY_DEADLINE, (key) -> false);
	}

	/**
	 * Rename the bound socket over the path, unless the path holds another file than the one
	 * judged.
	 * @param target the path
	 * @param source the bound socket's current name
	 * @param replacing the key of the socket file judged
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
