package io.github.glidesocket.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.LeakDetection;
import io.github.glidesocket.core.StaleSocketPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of glide-socket: the default socket, the manager's limits, and any
 * named sockets. Values are checked when the context starts; an invalid one stops it with a
 * message that names the property.
 *
 * @see ConfiguredSockets
 */
@ConfigurationProperties("glide.socket")
public class GlideSocketProperties {

	/**
	 * Whether to enable the glide-socket auto-configuration.
	 */
	private boolean enabled = true;

	/**
	 * Path of the default socket file. When not set, a new 'glide-socket-PID-UUID.sock' file
	 * in a private per-user directory under the temporary directory.
	 */
	private @Nullable String path;

	/**
	 * Whether the application holds a reference to the default socket from startup to
	 * shutdown, so that it always listens. When false, the socket exists only while client
	 * references to it exist.
	 */
	private boolean listenOnStartup = true;

	/**
	 * Number of sockets behind the default socket's name. 1 is one socket at the path; with
	 * more, the path is a base path and the sockets are at that path with an index before the
	 * extension ('app.sock' gives 'app-0.sock', 'app-1.sock', ...); each injected reference goes
	 * to the one with the fewest references.
	 */
	private int poolSize = 1;

	/**
	 * Mode of the socket file, in octal such as '0660' or '660', or in 'ls' form such as
	 * 'rw-rw----'; execute bits are refused.
	 */
	private String permissions = "rw-------";

	/**
	 * Group of the socket file, a name or a gid, given before the file appears at its path; this
	 * process must be in the group. With permissions 'rw-rw----', members of the group can
	 * connect. When not set, the process's effective group.
	 */
	private @Nullable String group;

	/**
	 * Which local processes may connect, checked from the kernel-reported credentials of each
	 * connection.
	 */
	private final Peers peers = new Peers();

	/**
	 * Which server processes a client connection opened through a socket reference accepts,
	 * checked from the kernel-reported credentials of the process serving the socket file.
	 */
	private final Servers servers = new Servers();

	/**
	 * Most connections served at once; further connections are refused. Use -1 for no limit.
	 */
	private int maxConnections = 10_000;

	/**
	 * Most connections served at once for peers of one user id; further ones are refused, so
	 * one peer cannot lock others out. Use -1 for no limit. Default: nine in ten of
	 * max-connections.
	 */
	private @Nullable Integer maxConnectionsPerPeer;

	/**
	 * In event-loop mode, most bytes of replies that may wait for one peer to read them; a
	 * connection whose handler writes more is closed and counted. Use -1B for no limit.
	 */
	private DataSize maxPendingOutput = DataSize.ofMegabytes(4);

	/**
	 * Most bytes all event-loop connections may hold in buffers of their own (replies not yet
	 * read, unfinished requests); a connection that would exceed it is closed and counted.
	 * Use -1B for no limit. Default: a quarter of the maximum heap.
	 */
	private @Nullable DataSize maxBufferedBytes;

	/**
	 * How long a read on a connection may wait for data before the connection is closed. Use
	 * 0 for no limit.
	 */
	private Duration idleTimeout = Duration.ZERO;

	/**
	 * How long sending to a connection may make no progress (its peer reads nothing) before the
	 * connection is closed. Use 0 for no limit.
	 */
	private Duration writeTimeout = Duration.ofSeconds(60);

	/**
	 * Length of the kernel's queue of connections not yet accepted.
	 */
	private int backlog = 512;

	/**
	 * Most references one socket may have at once. Use -1 for no limit.
	 */
	private int maxReferences = -1;

	/**
	 * How long a socket stays bound after its last reference is closed, so that a quick
	 * re-acquire does not bind again. Use 0 to close it at once.
	 */
	private Duration cleanupDelay = Duration.ZERO;

	/**
	 * What to do with a socket file at the path that no process serves any more: 'reclaim'
	 * removes it and binds in its place, 'fail' refuses to start.
	 */
	private StaleSocketPolicy staleSocketPolicy = StaleSocketPolicy.RECLAIM;

	/**
	 * What to do when the socket's directory, or a directory above it, can be changed by a user
	 * other than this one and root (owned by another user, or writable by its group or by all
	 * users without the sticky bit), so that they could remove or replace the socket: 'warn'
	 * binds and logs it once, 'refuse' stops the socket from binding, 'off' does not check.
	 */
	private DirectoryCheck directoryCheck = DirectoryCheck.WARN;

	/**
	 * Whether a socket whose path is served by a live process of a user the server policy
	 * trusts (the same user by default) takes the path over, by renaming its own socket over
	 * it, instead of failing to start; and whether a socket whose path is taken over that way
	 * hands over: it stops accepting, lets its connections finish within the shutdown phase's
	 * timeout and leaves the file to the new process. Starting the new version beside the old
	 * one then refuses no connection.
	 */
	private boolean takeover;

	/**
	 * Whether the application exits (with exit code 0, through SpringApplication.exit) once
	 * every socket it listens on has been taken over by another process and its connections
	 * have finished.
	 */
	private boolean exitAfterTakeover;

	/**
	 * Most sockets the manager binds at once, the default and named sockets included. Use -1
	 * for no limit.
	 */
	private int maxSockets = -1;

	/**
	 * What happens to a socket reference that is garbage-collected without being closed:
	 * 'disabled' keeps its socket open until shutdown, 'simple' releases, counts and logs it,
	 * 'paranoid' also records where each reference was acquired (costly).
	 */
	private LeakDetection leakDetection = LeakDetection.SIMPLE;

	/**
	 * How often each socket file is checked; a socket whose file was removed from outside is
	 * bound again. Also how often the application tries again to bind a socket it listens on
	 * that was stopped from outside and could not be bound again at once. Use 0 to turn the
	 * check and the retries off.
	 */
	private Duration fileCheckInterval = Duration.ofSeconds(5);

	/**
	 * Threads of the event loops that serve the sockets whose handler bean is a
	 * SocketEventHandler. When not set, the number of CPUs, at most 4.
	 */
	private @Nullable Integer eventLoopThreads;

	/**
	 * How the sockets shut down with the application: 'graceful' stops accepting and lets
	 * connections being served finish within spring.lifecycle.timeout-per-shutdown-phase,
	 * 'immediate' closes them at once.
	 */
	private Shutdown shutdown = Shutdown.GRACEFUL;

	/**
	 * Further sockets by name. Each takes 'path' (required) and may override any per-socket
	 * setting of the default socket ('listen-on-startup', 'permissions', 'group', 'peers.policy',
	 * 'peers.uids', 'peers.gids', 'peers.users', 'peers.groups', 'servers.policy', 'servers.uids',
	 * 'servers.gids', 'servers.users', 'servers.groups', 'max-connections', 'max-connections-per-peer',
	 * 'max-pending-output', 'idle-timeout', 'write-timeout', 'backlog', 'max-references', 'cleanup-delay',
	 * 'stale-socket-policy', 'directory-check', 'takeover'); it is served by the SocketConnectionHandler or
	 * SocketEventHandler bean of the same name. The names 'default' and 'other' are reserved.
	 * Each may also set 'pool-size' (default 1, not taken from the default socket).
	 */
	private final Map<String, Socket> sockets = new LinkedHashMap<>();

	/**
	 * The application's own web server (Tomcat, Jetty or Reactor Netty) on a managed socket.
	 */
	private final Web web = new Web();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
	}

	public boolean isListenOnStartup() {
		return this.listenOnStartup;
	}

	public void setListenOnStartup(boolean listenOnStartup) {
		this.listenOnStartup = listenOnStartup;
	}

	public int getPoolSize() {
		return this.poolSize;
	}

	public void setPoolSize(int poolSize) {
		this.poolSize = poolSize;
	}

	public String getPermissions() {
		return this.permissions;
	}

	public void setPermissions(String permissions) {
		this.permissions = permissions;
	}

	public @Nullable String getGroup() {
		return this.group;
	}

	public void setGroup(@Nullable String group) {
		this.group = group;
	}

	public Peers getPeers() {
		return this.peers;
	}

	public Servers getServers() {
		return this.servers;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public @Nullable Integer getMaxConnectionsPerPeer() {
		return this.maxConnectionsPerPeer;
	}

	public void setMaxConnectionsPerPeer(@Nullable Integer maxConnectionsPerPeer) {
		this.maxConnectionsPerPeer = maxConnectionsPerPeer;
	}

	public DataSize getMaxPendingOutput() {
		return this.maxPendingOutput;
	}

	public void setMaxPendingOutput(DataSize maxPendingOutput) {
		this.maxPendingOutput = maxPendingOutput;
	}

	public @Nullable DataSize getMaxBufferedBytes() {
		return this.maxBufferedBytes;
	}

	public void setMaxBufferedBytes(@Nullable DataSize maxBufferedBytes) {
		this.maxBufferedBytes = maxBufferedBytes;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public int getBacklog() {
		return this.backlog;
	}

	public void setBacklog(int backlog) {
		this.backlog = backlog;
	}

	public int getMaxReferences() {
		return this.maxReferences;
	}

	public void setMaxReferences(int maxReferences) {
		this.maxReferences = maxReferences;
	}

	public Duration getCleanupDelay() {
		return this.cleanupDelay;
	}

	public void setCleanupDelay(Duration cleanupDelay) {
		this.cleanupDelay = cleanupDelay;
	}

	public StaleSocketPolicy getStaleSocketPolicy() {
		return this.staleSocketPolicy;
	}

	public void setStaleSocketPolicy(StaleSocketPolicy staleSocketPolicy) {
		this.staleSocketPolicy = staleSocketPolicy;
	}

	public DirectoryCheck getDirectoryCheck() {
		return this.directoryCheck;
	}

	public void setDirectoryCheck(DirectoryCheck directoryCheck) {
		this.directoryCheck = directoryCheck;
	}

	public boolean isTakeover() {
		return this.takeover;
	}

	public void setTakeover(boolean takeover) {
		this.takeover = takeover;
	}

	public boolean isExitAfterTakeover() {
		return this.exitAfterTakeover;
	}

	public void setExitAfterTakeover(boolean exitAfterTakeover) {
		this.exitAfterTakeover = exitAfterTakeover;
	}

	public int getMaxSockets() {
		return this.maxSockets;
	}

	public void setMaxSockets(int maxSockets) {
		this.maxSockets = maxSockets;
	}

	public LeakDetection getLeakDetection() {
		return this.leakDetection;
	}

	public void setLeakDetection(LeakDetection leakDetection) {
		this.leakDetection = leakDetection;
	}

	public Duration getFileCheckInterval() {
		return this.fileCheckInterval;
	}

	public void setFileCheckInterval(Duration fileCheckInterval) {
		this.fileCheckInterval = fileCheckInterval;
	}

	public @Nullable Integer getEventLoopThreads() {
		return this.eventLoopThreads;
	}

	public void setEventLoopThreads(@Nullable Integer eventLoopThreads) {
		this.eventLoopThreads = eventLoopThreads;
	}

	public Map<String, Socket> getSockets() {
		return this.sockets;
	}

	public Web getWeb() {
		return this.web;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public void setShutdown(Shutdown shutdown) {
		this.shutdown = shutdown;
	}

	/**
	 * How the sockets shut down with the application, as {@code server.shutdown} for a web
	 * server.
	 */
	public enum Shutdown {

		/** Stop accepting, and let connections being served finish within the shutdown phase's timeout. */
		GRACEFUL,

		/** Close every connection at once. */
		IMMEDIATE

	}

	/**
	 * Which peers may connect.
	 */
	public enum PeerPolicyType {

		/** Processes running as the same user as this one, and those listed in uids and gids. */
		SAME_USER,

		/** Only processes whose uid is listed in uids or whose primary group is listed in gids. */
		ALLOW_LIST,

		/** Any process that can open the socket file. */
		ANY

	}

	/**
	 * Peer settings of the default socket.
	 */
	public static class Peers {

		/**
		 * Which peers may connect: 'same-user' (this process's user, plus any listed uids and
		 * gids), 'allow-list' (only the listed uids and gids) or 'any' (whoever the file mode
		 * lets in).
		 */
		private PeerPolicyType policy = PeerPolicyType.SAME_USER;

		/**
		 * User ids allowed to connect, in addition to this process's user with 'same-user'.
		 */
		private Set<Long> uids = new LinkedHashSet<>();

		/**
		 * Primary group ids allowed to connect, in addition to this process's user with
		 * 'same-user'. Only a peer's primary group counts: the kernel does not report its
		 * supplementary groups.
		 */
		private Set<Long> gids = new LinkedHashSet<>();

		/**
		 * User names allowed to connect, resolved to uids at startup; like uids.
		 */
		private Set<String> users = new LinkedHashSet<>();

		/**
		 * Group names allowed to connect as a peer's primary group, resolved to gids at
		 * startup; like gids.
		 */
		private Set<String> groups = new LinkedHashSet<>();

		public PeerPolicyType getPolicy() {
			return this.policy;
		}

		public Set<String> getUsers() {
			return this.users;
		}

		public void setUsers(Set<String> users) {
			this.users = users;
		}

		public Set<String> getGroups() {
			return this.groups;
		}

		public void setGroups(Set<String> groups) {
			this.groups = groups;
		}

		public void setPolicy(PeerPolicyType policy) {
			this.policy = policy;
		}

		public Set<Long> getUids() {
			return this.uids;
		}

		public void setUids(Set<Long> uids) {
			this.uids = uids;
		}

		public Set<Long> getGids() {
			return this.gids;
		}

		public void setGids(Set<Long> gids) {
			this.gids = gids;
		}

	}

	/**
	 * Which servers client connections of the default socket accept.
	 */
	public static class Servers {

		/**
		 * Which server processes are accepted: 'same-user' (this process's user, plus any listed
		 * uids and gids), 'allow-list' (only the listed ones) or 'any'.
		 */
		private PeerPolicyType policy = PeerPolicyType.SAME_USER;

		/**
		 * User ids of server processes accepted, in addition to this process's user with
		 * 'same-user'.
		 */
		private Set<Long> uids = new LinkedHashSet<>();

		/**
		 * Primary group ids of server processes accepted, in addition to this process's user
		 * with 'same-user'.
		 */
		private Set<Long> gids = new LinkedHashSet<>();

		/**
		 * User names of server processes accepted, resolved to uids at startup.
		 */
		private Set<String> users = new LinkedHashSet<>();

		/**
		 * Primary group names of server processes accepted, resolved to gids at startup.
		 */
		private Set<String> groups = new LinkedHashSet<>();

		public PeerPolicyType getPolicy() {
			return this.policy;
		}

		public void setPolicy(PeerPolicyType policy) {
			this.policy = policy;
		}

		public Set<Long> getUids() {
			return this.uids;
		}

		public void setUids(Set<Long> uids) {
			this.uids = uids;
		}

		public Set<Long> getGids() {
			return this.gids;
		}

		public void setGids(Set<Long> gids) {
			this.gids = gids;
		}

		public Set<String> getUsers() {
			return this.users;
		}

		public void setUsers(Set<String> users) {
			this.users = users;
		}

		public Set<String> getGroups() {
			return this.groups;
		}

		public void setGroups(Set<String> groups) {
			this.groups = groups;
		}

	}

	/**
	 * A named socket. Every setting left unset, except the pool size, takes the value of the
	 * default socket's setting of the same name.
	 */
	public static class Socket {

		/**
		 * Path of the socket file.
		 */
		private @Nullable String path;

		/**
		 * Whether the application holds a reference to this socket from startup to shutdown.
		 */
		private @Nullable Boolean listenOnStartup;

		/**
		 * Number of sockets behind this name; with more than 1, the path is a base path and the
		 * sockets are at that path with an index before the extension. Not taken from the
		 * default socket.
		 */
		private int poolSize = 1;

		/**
		 * Mode of the socket file, in octal or in 'ls' form.
		 */
		private @Nullable String permissions;

		/**
		 * Group of the socket file, a name or a gid; this process must be in the group.
		 */
		private @Nullable String group;

		/**
		 * Which local processes may connect.
		 */
		private final SocketPeers peers = new SocketPeers();

		/**
		 * Which server processes client connections of this socket accept.
		 */
		private final SocketServers servers = new SocketServers();

		/**
		 * Most connections served at once. Use -1 for no limit.
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Most connections served at once for peers of one user id. Use -1 for no limit.
		 */
		private @Nullable Integer maxConnectionsPerPeer;

		/**
		 * In event-loop mode, most bytes of replies that may wait for one peer. Use -1B for no
		 * limit.
		 */
		private @Nullable DataSize maxPendingOutput;

		/**
		 * How long a read may wait for data before the connection is closed. Use 0 for no
		 * limit.
		 */
		private @Nullable Duration idleTimeout;

		/**
		 * How long sending to a connection may make no progress before the connection is
		 * closed. Use 0 for no limit.
		 */
		private @Nullable Duration writeTimeout;

		/**
		 * Length of the kernel's queue of connections not yet accepted.
		 */
		private @Nullable Integer backlog;

		/**
		 * Most references the socket may have at once. Use -1 for no limit.
		 */
		private @Nullable Integer maxReferences;

		/**
		 * How long the socket stays bound after its last reference is closed.
		 */
		private @Nullable Duration cleanupDelay;

		/**
		 * What to do with a stale socket file at the path.
		 */
		private @Nullable StaleSocketPolicy staleSocketPolicy;

		/**
		 * What to do when the socket's directory, or one above it, can be changed by another
		 * user.
		 */
		private @Nullable DirectoryCheck directoryCheck;

		/**
		 * Whether the socket takes over a path served by a trusted live process, and hands
		 * over to one.
		 */
		private @Nullable Boolean takeover;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable Boolean getListenOnStartup() {
			return this.listenOnStartup;
		}

		public void setListenOnStartup(@Nullable Boolean listenOnStartup) {
			this.listenOnStartup = listenOnStartup;
		}

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

		public @Nullable String getPermissions() {
			return this.permissions;
		}

		public void setPermissions(@Nullable String permissions) {
			this.permissions = permissions;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public SocketPeers getPeers() {
			return this.peers;
		}

		public SocketServers getServers() {
			return this.servers;
		}

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public @Nullable Integer getMaxConnectionsPerPeer() {
			return this.maxConnectionsPerPeer;
		}

		public void setMaxConnectionsPerPeer(@Nullable Integer maxConnectionsPerPeer) {
			this.maxConnectionsPerPeer = maxConnectionsPerPeer;
		}

		public @Nullable DataSize getMaxPendingOutput() {
			return this.maxPendingOutput;
		}

		public void setMaxPendingOutput(@Nullable DataSize maxPendingOutput) {
			this.maxPendingOutput = maxPendingOutput;
		}

		public @Nullable Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(@Nullable Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public @Nullable Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(@Nullable Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public @Nullable Integer getBacklog() {
			return this.backlog;
		}

		public void setBacklog(@Nullable Integer backlog) {
			this.backlog = backlog;
		}

		public @Nullable Integer getMaxReferences() {
			return this.maxReferences;
		}

		public void setMaxReferences(@Nullable Integer maxReferences) {
			this.maxReferences = maxReferences;
		}

		public @Nullable Duration getCleanupDelay() {
			return this.cleanupDelay;
		}

		public void setCleanupDelay(@Nullable Duration cleanupDelay) {
			this.cleanupDelay = cleanupDelay;
		}

		public @Nullable StaleSocketPolicy getStaleSocketPolicy() {
			return this.staleSocketPolicy;
		}

		public void setStaleSocketPolicy(@Nullable StaleSocketPolicy staleSocketPolicy) {
			this.staleSocketPolicy = staleSocketPolicy;
		}

		public @Nullable DirectoryCheck getDirectoryCheck() {
			return this.directoryCheck;
		}

		public void setDirectoryCheck(@Nullable DirectoryCheck directoryCheck) {
			this.directoryCheck = directoryCheck;
		}

		public @Nullable Boolean getTakeover() {
			return this.takeover;
		}

		public void setTakeover(@Nullable Boolean takeover) {
			this.takeover = takeover;
		}

	}

	/**
	 * Peer settings of a named socket; each one left unset takes the default socket's value.
	 */
	public static class SocketPeers {

		/**
		 * Which peers may connect.
		 */
		private @Nullable PeerPolicyType policy;

		/**
		 * User ids allowed to connect.
		 */
		private @Nullable Set<Long> uids;

		/**
		 * Primary group ids allowed to connect; supplementary groups do not count.
		 */
		private @Nullable Set<Long> gids;

		/**
		 * User names allowed to connect, resolved to uids at startup.
		 */
		private @Nullable Set<String> users;

		/**
		 * Primary group names allowed to connect, resolved to gids at startup.
		 */
		private @Nullable Set<String> groups;

		public @Nullable PeerPolicyType getPolicy() {
			return this.policy;
		}

		public @Nullable Set<String> getUsers() {
			return this.users;
		}

		public void setUsers(@Nullable Set<String> users) {
			this.users = users;
		}

		public @Nullable Set<String> getGroups() {
			return this.groups;
		}

		public void setGroups(@Nullable Set<String> groups) {
			this.groups = groups;
		}

		public void setPolicy(@Nullable PeerPolicyType policy) {
			this.policy = policy;
		}

		public @Nullable Set<Long> getUids() {
			return this.uids;
		}

		public void setUids(@Nullable Set<Long> uids) {
			this.uids = uids;
		}

		public @Nullable Set<Long> getGids() {
			return this.gids;
		}

		public void setGids(@Nullable Set<Long> gids) {
			this.gids = gids;
		}

	}

	/**
	 * Which servers client connections of a named socket accept; each setting left unset takes
	 * the default socket's value.
	 */
	public static class SocketServers {

		/**
		 * Which server processes are accepted.
		 */
		private @Nullable PeerPolicyType policy;

		/**
		 * User ids of server processes accepted.
		 */
		private @Nullable Set<Long> uids;

		/**
		 * Primary group ids of server processes accepted.
		 */
		private @Nullable Set<Long> gids;

		/**
		 * User names of server processes accepted, resolved to uids at startup.
		 */
		private @Nullable Set<String> users;

		/**
		 * Primary group names of server processes accepted, resolved to gids at startup.
		 */
		private @Nullable Set<String> groups;

		public @Nullable PeerPolicyType getPolicy() {
			return this.policy;
		}

		public void setPolicy(@Nullable PeerPolicyType policy) {
			this.policy = policy;
		}

		public @Nullable Set<Long> getUids() {
			return this.uids;
		}

		public void setUids(@Nullable Set<Long> uids) {
			this.uids = uids;
		}

		public @Nullable Set<Long> getGids() {
			return this.gids;
		}

		public void setGids(@Nullable Set<Long> gids) {
			this.gids = gids;
		}

		public @Nullable Set<String> getUsers() {
			return this.users;
		}

		public void setUsers(@Nullable Set<String> users) {
			this.users = users;
		}

		public @Nullable Set<String> getGroups() {
			return this.groups;
		}

		public void setGroups(@Nullable Set<String> groups) {
			this.groups = groups;
		}

	}


	/**
	 * The socket the application's own web server serves HTTP on, named 'web'. Setting its path
	 * turns it on. Every setting left unset takes the value of the default socket's setting of
	 * the same name, as for a named socket; the web server takes the socket's reference when it
	 * starts and releases it when it stops.
	 */
	public static class Web extends Socket {

		/**
		 * Whether the web server also listens on its TCP port (server.port) beside the socket;
		 * false serves HTTP on the socket only.
		 */
		private boolean tcp = true;

		public boolean isTcp() {
			return this.tcp;
		}

		public void setTcp(boolean tcp) {
			this.tcp = tcp;
		}

	}

}
