package io.github.glidesocket.core;

import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, from the kernel-reported credentials of a peer, whether a connection is served.
 * Checked on accept, before the handler sees the connection; a refused peer is closed, counted
 * with {@link RejectReason#PEER}, and logged at WARN with its user and group (the first refusal;
 * further ones are summarised with their number every 10 seconds, so a flood of refused peers
 * cannot flood the log).
 * <p>
 * The file mode of the socket is the first line of defence; this policy is the second, and the
 * only one that still holds for a process running as root or when the mode is widened.
 */
@FunctionalInterface
public interface PeerPolicy {

	/**
	 * Whether a peer with these credentials may connect.
	 * @param peer the peer's credentials
	 * @return {@code true} to serve the connection
	 */
	boolean allows(PeerCredentials peer);

	/**
	 * Whether {@link #allows} may block or take long (a directory look-up, say). Every socket
	 * accepts on the manager's acceptor loop. A policy that may block is asked after the accept,
	 * on a thread of the connection's own, so it holds back only that connection: the connection
	 * takes its place under the socket's connection limits first, and a refused one is closed and
	 * counted from that thread. A policy that does not block is asked on the acceptor loop itself,
	 * which costs no thread; if it blocks anyway, no socket of the manager accepts meanwhile (the
	 * manager logs the acceptor as busy, with its stack). The policies made by this interface's
	 * factories do not block; others are assumed to.
	 * @return {@code true} unless the policy only computes on the credentials
	 */
	default boolean mayBlock() {
		return true;
	}

	/**
	 * The default: only processes running as the same user as this one.
	 * @return the policy
	 */
	static PeerPolicy sameUser() {
		return allowing(Set.of(ProcessIdentity.uid()), Set.of());
	}

	/**
	 * Any peer that can open the socket file.
	 * @return the policy
	 */
	static PeerPolicy anyPeer() {
		return new PeerPolicy() {

			@Override
			public boolean allows(PeerCredentials peer) {
				return true;
			}

			@Override
			public boolean mayBlock() {
				return false;
			}

			@Override
			public String toString() {
				return "any";
			}

		};
	}

	/**
	 * Peers whose uid is listed, or whose primary group is listed. The kernel reports a
	 * connection's effective user and primary group only ({@code SO_PEERCRED}), so a peer that
	 * belongs to a listed group as one of its supplementary groups is not allowed. (Credentials
	 * made by hand with further {@link PeerCredentials#gids() gids} are matched on those too.)
	 * @param uids the allowed user ids
	 * @param gids the allowed primary group ids
	 * @return the policy
	 */
	static PeerPolicy allowing(Set<Long> uids, Set<Long> gids) {
		Set<Long> allowedUids = Set.copyOf(uids);
		Set<Long> allowedGids = Set.copyOf(gids);
		return new PeerPolicy() {

			@Override
			public boolean allows(PeerCredentials peer) {
				if (allowedUids.contains(peer.uid())) {
					return true;
				}
				for (Long gid : allowedGids) {
					if (peer.isInGroup(gid)) {
						return true;
					}
				}
				return false;
			}

			@Override
			public boolean mayBlock() {
				return false;
			}

			@Override
			public String toString() {
				return "uids=" + new TreeSet<>(allowedUids) + " gids=" + new TreeSet<>(allowedGids);
			}

		};
	}

}
