package io.github.glidesocket.core;

import java.util.Arrays;

/**
 * The credentials the kernel reports for the process at the other end of a connection
 * ({@code SO_PEERCRED}), as the JDK passes them on: the user and the primary group, with their
 * names. The JDK does not pass on the process id, so {@code pid} is {@code -1} for accepted
 * connections.
 *
 * @param pid the peer's process id, or {@code -1} when unknown
 * @param uid the peer's effective user id
 * @param gid the peer's effective (primary) group id
 * @param gids the peer's groups known here, including {@code gid}
 * @param user the peer's user name, or its uid as text when the user has no name here
 * @param group the peer's group name, or its gid as text when the group has no name here
 */
public record PeerCredentials(long pid, long uid, long gid, long[] gids, String user, String group) {

	public PeerCredentials {
		gids = gids.clone();
	}

	/**
	 * Credentials named by their ids only.
	 * @param pid the process id, or {@code -1} when unknown
	 * @param uid the user id
	 * @param gid the primary group id
	 * @param gids the groups, including {@code gid}
	 */
	public PeerCredentials(long pid, long uid, long gid, long[] gids) {
		this(pid, uid, gid, gids, Long.toString(uid), Long.toString(gid));
	}

	/**
	 * The user id of this process, the one {@link PeerPolicy#sameUser()} allows.
	 * @return the user id
	 */
	public static long processUid() {
		return ProcessIdentity.uid();
	}

	@Override
	public long[] gids() {
		return this.gids.clone();
	}

	boolean isInGroup(long group) {
		if (this.gid == group) {
			return true;
		}
		for (long candidate : this.gids) {
			if (candidate == group) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof PeerCredentials that) && this.pid == that.pid && this.uid == that.uid
				&& this.gid == that.gid && Arrays.equals(this.gids, that.gids) && this.user.equals(that.user)
				&& this.group.equals(that.group);
	}

	@Override
	public int hashCode() {
		return 31 * Long.hashCode(this.pid) + Long.hashCode(this.uid);
	}

	@Override
	public String toString() {
		String process = (this.pid != -1) ? "pid=" + this.pid + " " : "";
		return process + "uid=" + this.uid + " (" + this.user + ") gid=" + this.gid + " (" + this.group + ")";
	}

}
