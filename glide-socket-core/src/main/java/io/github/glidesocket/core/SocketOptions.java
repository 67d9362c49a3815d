package io.github.glidesocket.core;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * How one socket is bound and served. Immutable; build with {@link #builder()}. A socket takes
 * its options when it is bound: changing a manager's options does not affect sockets already
 * bound.
 */
public final class SocketOptions {

	private static final SocketOptions DEFAULTS = builder().build();

	private final @Nullable SocketConnectionHandler handler;

	private final @Nullable SocketEventHandler eventHandler;

	private final @Nullable SocketChannelHandler channelHandler;

	private final Set<PosixFilePermission> permissions;

	private final @Nullable Long groupId;

	private final PeerPolicy peerPolicy;

	private final int maxConnections;

	private final Duration idleTimeout;

	private final Duration writeTimeout;

	private final int backlog;

	private final int maxReferences;

	private final Duration cleanupDelay;

	private final StaleSocketPolicy staleSocketPolicy;

	private final int maxConnectionsPerPeer;

	private final PeerPolicy serverPolicy;

	private final boolean takeover;

	private final Duration handoverTimeout;

	private final int maxPendingOutput;

	private final DirectoryCheck directoryCheck;

	private SocketOptions(Builder builder) {
		this.handler = builder.handler;
		this.eventHandler = builder.eventHandler;
		this.channelHandler = builder.channelHandler;
		this.permissions = Set.copyOf(builder.permissions);
		this.groupId = builder.groupId;
		this.peerPolicy = builder.peerPolicy;
		this.maxConnections = builder.maxConnections;
		this.idleTimeout = builder.idleTimeout;
		this.writeTimeout = builder.writeTimeout;
		this.backlog = builder.backlog;
		this.maxReferences = builder.maxReferences;
		this.cleanupDelay = builder.cleanupDelay;
		this.staleSocketPolicy = builder.staleSocketPolicy;
		this.directoryCheck = builder.directoryCheck;
		this.maxConnectionsPerPeer = (builder.maxConnectionsPerPeer != null) ? builder.maxConnectionsPerPeer
				: defaultPerPeer(builder.maxConnections);
		this.serverPolicy = builder.serverPolicy;
		this.takeover = builder.takeover;
		this.handoverTimeout = builder.handoverTimeout;
		this.maxPendingOutput = builder.maxPendingOutput;
	}

	/** Nine in ten of the connection limit (rounded up), so one peer leaves room for others. */
	private static int defaultPerPeer(int maxConnections) {
		return (maxConnections == -1) ? -1 : maxConnections - maxConnections / 10;
	}

	/**
	 * The options with every default: no handler, owner-only access, same-user peers.
	 * @return the default options
	 */
	public static SocketOptions defaults() {
		return DEFAULTS;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * The handler that serves each accepted connection on its own thread. Without a handler of
	 * either kind, connections are refused with {@link RejectReason#NO_HANDLER}.
	 * @return the handler, or {@code null}
	 * @see #eventHandler()
	 */
	public @Nullable SocketConnectionHandler handler() {
		return this.handler;
	}

	/**
	 * The handler that serves accepted connections on the manager's event loops, with
	 * non-blocking I/O; set instead of {@link #handler()}.
	 * @return the event handler, or {@code null}
	 */
	public @Nullable SocketEventHandler eventHandler() {
		return this.eventHandler;
	}

	/**
	 * The handler that takes each admitted connection's channel to serve it on an I/O system of
	 * its own (an embedded web server); set instead of {@link #handler()}.
	 * @return the channel handler, or {@code null}
	 */
	public @Nullable SocketChannelHandler channelHandler() {
		return this.channelHandler;
	}

	/**
	 * Whether a handler of any kind serves the socket's connections.
	 * @return whether connections are served
	 */
	public boolean hasHandler() {
		return this.handler != null || this.eventHandler != null || this.channelHandler != null;
	}

	/**
	 * The mode of the socket file. Default {@code rw-------}.
	 * @return the permissions
	 */
	public Set<PosixFilePermission> permissions() {
		return this.permissions;
	}

	/**
	 * The group the socket file is given before it is published, so that members of that group
	 * can connect when {@link #permissions()} grant the group read and write. The process must
	 * belong to the group ({@code chown(2)} refuses others to a process without privileges).
	 * Default {@code null}: the process's effective group, as any new file.
	 * @return the group id, or {@code null}
	 */
	public @Nullable Long groupId() {
		return this.groupId;
	}

	public PeerPolicy peerPolicy() {
		return this.peerPolicy;
	}

	/**
	 * The most connections served at once; a connection beyond it is refused with
	 * {@link RejectReason#LIMIT}. {@code -1} means no limit. Default 10,000, as redis-server's: an idle connection in event-loop mode costs a descriptor and about a kilobyte.
	 * @return the limit
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * How long a read on a connection may wait for data before the connection is closed;
	 * {@link Duration#ZERO} means no limit (the default).
	 * @return the idle timeout
	 */
	public Duration idleTimeout() {
		return this.idleTimeout;
	}

	/**
	 * How long sending to a connection may make no progress before the connection is closed and
	 * counted ({@link SocketEventListener#writeTimedOut(String)}): its peer stopped reading while
	 * replies wait. In thread-per-connection mode this bounds a handler blocked in a write; in
	 * event-loop mode, replies that wait unsent. Default 60 seconds; {@link Duration#ZERO} means
	 * no limit.
	 * @return the write timeout
	 */
	public Duration writeTimeout() {
		return this.writeTimeout;
	}

	/**
	 * The length of the kernel's queue of connections not yet accepted. Default 512.
	 * @return the backlog
	 */
	public int backlog() {
		return this.backlog;
	}

	/**
	 * The most references one socket may have; {@code -1} means no limit (the default).
	 * @return the limit
	 */
	public int maxReferences() {
		return this.maxReferences;
	}

	/**
	 * How long a socket stays bound after its last reference is closed; a reference acquired in
	 * that time reuses it without binding again. {@link Duration#ZERO} (the default) closes it at
	 * once.
	 * @return the linger
	 */
	public Duration cleanupDelay() {
		return this.cleanupDelay;
	}

	public StaleSocketPolicy staleSocketPolicy() {
		return this.staleSocketPolicy;
	}

	/**
	 * The most connections served at once for peers of one user id; a connection beyond it is
	 * refused with {@link RejectReason#PEER_LIMIT}. {@code -1} means no limit. Default: nine in
	 * ten of {@link #maxConnections()}, rounded up (9,000 of the default 10,000), so one allowed
	 * peer cannot take every slot.
	 * @return the limit
	 */
	public int maxConnectionsPerPeer() {
		return this.maxConnectionsPerPeer;
	}

	/**
	 * Who a client connection opened through {@link SocketReference#connect()} or
	 * {@link SocketReference#openChannel()} accepts as the server, checked with the kernel's
	 * credentials of the process that serves the socket file. Default: the same user as this
	 * process, so a socket planted at the path by another user is refused.
	 * @return the policy
	 */
	public PeerPolicy serverPolicy() {
		return this.serverPolicy;
	}

	/**
	 * Whether the socket takes over a path that a live process serves, and hands over to one that
	 * takes over its own, when that process's credentials and the user that owns the socket file
	 * pass the {@link #serverPolicy() server policy} (the file is read without following links: a
	 * link at the path is never taken over, nor handed over to). Taking over binds the new socket aside and renames it over the path, so every
	 * connect reaches one process or the other; the socket taken over stops accepting, tells its
	 * references ({@link SocketStop#TAKEN_OVER}) and sessions, drains its connections within the
	 * {@link #handoverTimeout() handover timeout} and leaves the path to the new process. A server
	 * the policy does not allow is never replaced ({@link SocketInUseException}), and a
	 * replacement by one is reported as a foreign file. Default {@code false}: a live socket at
	 * the path is an error, as without this option.
	 * @return whether takeover is allowed
	 */
	public boolean takeover() {
		return this.takeover;
	}

	/**
	 * How long the connections of a socket that was taken over may take to finish before they
	 * are closed. Default 30 seconds.
	 * @return the timeout
	 * @see #takeover()
	 */
	public Duration handoverTimeout() {
		return this.handoverTimeout;
	}

	/**
	 * In event-loop mode, how many bytes of replies may wait to be sent on one connection. A
	 * connection at the cap is not read until its replies drain; one whose session keeps writing
	 * past the cap within one call is closed and reported to
	 * {@link SocketEventListener#outputLimitExceeded(String)}. {@code -1} means no limit. Default
	 * 4 MiB. (A connection served on its own thread blocks its writer instead.)
	 * @return the limit in bytes
	 */
	public int maxPendingOutput() {
		return this.maxPendingOutput;
	}

	/**
	 * What to do when the socket's directory, or one above it, can be changed by another user.
	 * Default {@link DirectoryCheck#WARN}.
	 * @return the check
	 */
	public DirectoryCheck directoryCheck() {
		return this.directoryCheck;
	}

	@Override
	public String toString() {
		return "SocketOptions[permissions=" + PosixFilePermissions.toString(this.permissions)
				+ ((this.groupId != null) ? ", group=" + this.groupId : "") + ", peers="
				+ this.peerPolicy + ", maxConnections=" + this.maxConnections + ", idleTimeout=" + this.idleTimeout
				+ ", writeTimeout=" + this.writeTimeout
				+ ", backlog=" + this.backlog + ", maxReferences=" + this.maxReferences + ", cleanupDelay="
				+ this.cleanupDelay + ", staleSockets=" + this.staleSocketPolicy + ", maxConnectionsPerPeer="
				+ this.maxConnectionsPerPeer + ", servers=" + this.serverPolicy + ", takeover=" + this.takeover
				+ ", handoverTimeout=" + this.handoverTimeout + ", maxPendingOutput="
				+ this.maxPendingOutput + ", directoryCheck=" + this.directoryCheck + "]";
	}

	/**
	 * Builds {@link SocketOptions}; each setter checks its argument and names it in the error.
	 */
	public static final class Builder {

		private @Nullable SocketConnectionHandler handler;

		private @Nullable SocketEventHandler eventHandler;

		private @Nullable SocketChannelHandler channelHandler;

		private Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);

		private @Nullable Long groupId;

		private PeerPolicy peerPolicy = PeerPolicy.sameUser();

		private int maxConnections = 10_000;

		private Duration idleTimeout = Duration.ZERO;

		private Duration writeTimeout = Duration.ofSeconds(60);

		private int backlog = 512;

		private int maxReferences = -1;

		private Duration cleanupDelay = Duration.ZERO;

		private StaleSocketPolicy staleSocketPolicy = StaleSocketPolicy.RECLAIM;

		private @Nullable Integer maxConnectionsPerPeer;

		private PeerPolicy serverPolicy = PeerPolicy.sameUser();

		private boolean takeover;

		private Duration handoverTimeout = Duration.ofSeconds(30);

		private int maxPendingOutput = 4 * 1024 * 1024;

		private DirectoryCheck directoryCheck = DirectoryCheck.WARN;

		private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");

		private Builder() {
		}

		private Builder(SocketOptions options) {
			this.handler = options.handler;
			this.eventHandler = options.eventHandler;
			this.channelHandler = options.channelHandler;
			this.permissions = options.permissions;
			this.groupId = options.groupId;
			this.peerPolicy = options.peerPolicy;
			this.maxConnections = options.maxConnections;
			this.idleTimeout = options.idleTimeout;
			this.writeTimeout = options.writeTimeout;
			this.backlog = options.backlog;
			this.maxReferences = options.maxReferences;
			this.cleanupDelay = options.cleanupDelay;
			this.staleSocketPolicy = options.staleSocketPolicy;
			this.maxConnectionsPerPeer = options.maxConnectionsPerPeer;
			this.serverPolicy = options.serverPolicy;
			this.takeover = options.takeover;
			this.handoverTimeout = options.handoverTimeout;
			this.maxPendingOutput = options.maxPendingOutput;
			this.directoryCheck = options.directoryCheck;
		}

		/**
		 * Serve each connection on its own thread with this handler (thread-per-connection mode).
		 * A socket has one kind of handler: a non-null handler replaces a handler of another kind.
		 * @param handler the handler, or {@code null} for none of this kind
		 * @return this builder
		 */
		public Builder handler(@Nullable SocketConnectionHandler handler) {
			this.handler = handler;
			if (handler != null) {
				this.eventHandler = null;
				this.channelHandler = null;
			}
			return this;
		}

		/**
		 * Serve connections on the manager's event loops with this handler (event-loop mode): a
		 * few selector threads with non-blocking I/O instead of a thread per connection. Its code
		 * runs on the loop threads and must not block. A socket has one kind of handler: a
		 * non-null event handler replaces a handler of another kind.
		 * @param eventHandler the event handler, or {@code null} for none of this kind
		 * @return this builder
		 * @see SocketManager.Builder#eventLoopThreads(int)
		 */
		public Builder eventHandler(@Nullable SocketEventHandler eventHandler) {
			this.eventHandler = eventHandler;
			if (eventHandler != null) {
				this.handler = null;
				this.channelHandler = null;
			}
			return this;
		}

		/**
		 * Hand each admitted connection's channel to this handler, which serves it on an I/O
		 * system of its own (an embedded web server). The socket keeps accepting, checking peers
		 * and counting connections; a connection holds its slot until the server reports it
		 * {@link ChannelConnection#closed() closed}. A socket has one kind of handler: a non-null
		 * channel handler replaces a handler of another kind.
		 * @param channelHandler the channel handler, or {@code null} for none of this kind
		 * @return this builder
		 */
		public Builder channelHandler(@Nullable SocketChannelHandler channelHandler) {
			this.channelHandler = channelHandler;
			if (channelHandler != null) {
				this.handler = null;
				this.eventHandler = null;
			}
			return this;
		}

		/**
		 * The socket file's mode. Only read and write bits are meaningful for a socket; execute
		 * bits are refused.
		 * @param permissions the permissions
		 * @return this builder
		 */
		public Builder permissions(Set<PosixFilePermission> permissions) {
			Objects.requireNonNull(permissions, "'permissions' must not be null");
			for (PosixFilePermission permission : permissions) {
				if (permission.name().endsWith("EXECUTE")) {
					throw new IllegalArgumentException("'permissions' must not contain execute bits, got "
							+ PosixFilePermissions.toString(permissions));
				}
			}
			this.permissions = EnumSet.noneOf(PosixFilePermission.class);
			this.permissions.addAll(permissions);
			return this;
		}

		/**
		 * The socket file's mode in {@code ls} form, such as {@code rw-rw----}, or in octal, such
		 * as {@code 0660} or {@code 660} (as {@code chmod}, systemd's {@code SocketMode=} and
		 * PostgreSQL's {@code unix_socket_permissions} take it). Execute bits are refused.
		 * @param permissions the permissions
		 * @return this builder
		 */
		public Builder permissions(String permissions) {
			Objects.requireNonNull(permissions, "'permissions' must not be null");
			String mode = permissions.strip();
			if (OCTAL_MODE.matcher(mode).matches()) {
				return permissions(fromOctal(Integer.parseInt(mode, 8)));
			}
			Set<PosixFilePermission> parsed;
			try {
				parsed = PosixFilePermissions.fromString(mode);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("'permissions' must be octal such as 0660 or nine characters such as "
						+ "rw-rw----, got '" + permissions + "'", ex);
			}
			return permissions(parsed);
		}

		private static Set<PosixFilePermission> fromOctal(int mode) {
			// PosixFilePermission's order is owner rwx, group rwx, others rwx: bit 8 down to bit 0.
			Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
			for (PosixFilePermission permission : PosixFilePermission.values()) {
				if ((mode & (0400 >> permission.ordinal())) != 0) {
					permissions.add(permission);
				}
			}
			return permissions;
		}

		/**
		 * The group the socket file is given before it is published: a group name, looked up
		 * through the system's name service (see {@link UnixAccounts}), or a numeric gid.
		 * @param group the group name or id, or {@code null} for the process's effective group
		 * @return this builder
		 * @throws IllegalArgumentException if no group has that name
		 * @see SocketOptions#groupId()
		 */
		public Builder group(@Nullable String group) {
			this.groupId = (group != null) ? UnixAccounts.groupId(group) : null;
			return this;
		}

		public Builder peerPolicy(PeerPolicy peerPolicy) {
			this.peerPolicy = Objects.requireNonNull(peerPolicy, "'peerPolicy' must not be null");
			return this;
		}

		public Builder maxConnections(int maxConnections) {
			this.maxConnections = positiveOrUnlimited("maxConnections", maxConnections);
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = notNegative("idleTimeout", idleTimeout);
			if (idleTimeout.toMillis() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("'idleTimeout' must be at most " + Integer.MAX_VALUE + "ms");
			}
			return this;
		}

		/**
		 * How long sending to a connection may make no progress before it is closed.
		 * @param writeTimeout the timeout; {@link Duration#ZERO} for none
		 * @return this builder
		 * @see SocketOptions#writeTimeout()
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = notNegative("writeTimeout", writeTimeout);
			return this;
		}

		public Builder backlog(int backlog) {
			if (backlog < 1) {
				throw new IllegalArgumentException("'backlog' must be positive, got " + backlog);
			}
			this.backlog = backlog;
			return this;
		}

		public Builder maxReferences(int maxReferences) {
			this.maxReferences = positiveOrUnlimited("maxReferences", maxReferences);
			return this;
		}

		public Builder cleanupDelay(Duration cleanupDelay) {
			this.cleanupDelay = notNegative("cleanupDelay", cleanupDelay);
			return this;
		}

		public Builder staleSocketPolicy(StaleSocketPolicy staleSocketPolicy) {
			this.staleSocketPolicy = Objects.requireNonNull(staleSocketPolicy,
					"'staleSocketPolicy' must not be null");
			return this;
		}

		/**
		 * The most connections served at once for peers of one user id, or {@code -1} for no
		 * limit; {@code null} (the default) takes nine in ten of {@code maxConnections}.
		 * @param maxConnectionsPerPeer the limit
		 * @return this builder
		 * @see SocketOptions#maxConnectionsPerPeer()
		 */
		public Builder maxConnectionsPerPeer(@Nullable Integer maxConnectionsPerPeer) {
			this.maxConnectionsPerPeer = (maxConnectionsPerPeer != null)
					? positiveOrUnlimited("maxConnectionsPerPeer", maxConnectionsPerPeer) : null;
			return this;
		}

		/**
		 * Who client connections opened through a reference accept as the server.
		 * @param serverPolicy the policy
		 * @return this builder
		 * @see SocketOptions#serverPolicy()
		 */
		public Builder serverPolicy(PeerPolicy serverPolicy) {
			this.serverPolicy = Objects.requireNonNull(serverPolicy, "'serverPolicy' must not be null");
			return this;
		}

		/**
		 * Allow taking over a path served by a trusted live process, and handing over to one.
		 * @param takeover whether takeover is allowed
		 * @return this builder
		 * @see SocketOptions#takeover()
		 */
		public Builder takeover(boolean takeover) {
			this.takeover = takeover;
			return this;
		}

		/**
		 * How long connections may take to finish after the socket was taken over.
		 * @param handoverTimeout the timeout
		 * @return this builder
		 * @see SocketOptions#handoverTimeout()
		 */
		public Builder handoverTimeout(Duration handoverTimeout) {
			this.handoverTimeout = notNegative("handoverTimeout", handoverTimeout);
			return this;
		}

		/**
		 * How many bytes of replies may wait to be sent on one event-loop connection, or
		 * {@code -1} for no limit.
		 * @param maxPendingOutput the limit in bytes
		 * @return this builder
		 * @see SocketOptions#maxPendingOutput()
		 */
		public Builder maxPendingOutput(int maxPendingOutput) {
			this.maxPendingOutput = positiveOrUnlimited("maxPendingOutput", maxPendingOutput);
			return this;
		}

		/**
		 * What to do when the socket's directory, or one above it, can be changed by a user other
		 * than this process's and root: {@link DirectoryCheck#WARN} (the default) binds and logs
		 * it once per directory, {@link DirectoryCheck#REFUSE} refuses to bind,
		 * {@link DirectoryCheck#OFF} does not check.
		 * @param directoryCheck the check
		 * @return this builder
		 */
		public Builder directoryCheck(DirectoryCheck directoryCheck) {
			this.directoryCheck = Objects.requireNonNull(directoryCheck, "'directoryCheck' must not be null");
			return this;
		}

		public SocketOptions build() {
			return new SocketOptions(this);
		}

		static int positiveOrUnlimited(String name, int value) {
			if (value < 1 && value != -1) {
				throw new IllegalArgumentException("'" + name + "' must be positive, or -1 for no limit, got " + value);
			}
			return value;
		}

		private static Duration notNegative(String name, Duration value) {
			Objects.requireNonNull(value, "'" + name + "' must not be null");
			if (value.isNegative()) {
				throw new IllegalArgumentException("'" + name + "' must not be negative, got " + value);
			}
			return value;
		}

	}

}
