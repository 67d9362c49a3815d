package io.github.glidesocket.core;

import java.util.Arrays;

/**
 * The credentials the kernel reports for the process at the other end of a connection.
 *
 * @param pid the peer's process id
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 * @param gids the peer's groups, including {@code gid}; may be empty when the platform does not
 * report them
 */
public record PeerCredentials(long pid, long uid, long gid, long[] gids) {

	public PeerCredentials {
		gids = gids.clone();
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
				&& this.gid == that.gid && Arrays.equals(this.gids, that.gids);
	}

	@Override
	public int hashCode() {
		return 31 * Long.hashCode(this.pid) + Long.hashCode(this.uid);
	}

	@Override
	public String toString() {
		return "pid=" + this.pid + " uid=" + this.uid + " gid=" + this.gid;
	}

}
