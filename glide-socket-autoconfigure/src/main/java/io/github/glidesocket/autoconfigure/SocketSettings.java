package io.github.glidesocket.autoconfigure;

import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import io.github.glidesocket.autoconfigure.GlideSocketProperties.PeerPolicyType;
import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPool;
import io.github.glidesocket.core.StaleSocketPolicy;
import io.github.glidesocket.core.UnixAccounts;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * One configured socket, resolved from {@link GlideSocketProperties}: a named socket's unset
 * settings take the default socket's values, and every value is checked by the core's builders.
 * A value they refuse becomes an {@link InvalidConfigurationPropertyValueException} that names
 * the property.
 */
final class SocketSettings {

	static final String PREFIX = "glide.socket";

	/** Where the web socket's settings are. */
	static final String WEB_PREFIX = PREFIX + ".web";

	private final String name;

	private final String prefix;

	private final @Nullable String path;

	private final boolean listenOnStartup;

	private final SocketOptions options;

	/** Set by {@link #resolve}, which checks it. */
	private int poolSize = 1;

	private SocketSettings(String name, String prefix, @Nullable String path, boolean listenOnStartup,
			SocketOptions options) {
		this.name = name;
		this.prefix = prefix;
		this.path = path;
		this.listenOnStartup = listenOnStartup;
		this.options = options;
	}

	/**
	 * Resolve the default socket and every named socket, in configuration order.
	 * @param properties the properties
	 * @return the settings, the default socket first
	 */
	static List<SocketSettings> resolve(GlideSocketProperties properties) {
		List<SocketSettings> all = new ArrayList<>();
		SocketSettings defaults = resolveDefault(properties);
		defaults.poolSize = checkPoolSize(PREFIX, properties.getPoolSize());
		all.add(defaults);
		Map<String, String> propertyByPath = new LinkedHashMap<>();
		if (properties.getPath() != null) {
			defaults.socketFiles().forEach((file) -> propertyByPath.put(file, PREFIX + ".path"));
		}
		Map<String, String> propertyBySocketName = new LinkedHashMap<>();
		defaults.socketNames().forEach((socketName) -> propertyBySocketName.put(socketName, PREFIX + ".path"));
		Map<String, GlideSocketProperties.Socket> others = new LinkedHashMap<>();
		properties.getSockets().forEach((name, socket) -> {
			checkName(name);
			others.put(name, socket);
		});
		GlideSocketProperties.Web web = properties.getWeb();
		if (web.getPath() != null) {
			if (web.getPoolSize() != 1) {
				throw new InvalidConfigurationPropertyValueException(WEB_PREFIX + ".pool-size", web.getPoolSize(),
						"The web server serves one socket; remove the property.");
			}
			others.put(ConfiguredSockets.WEB, web);
		}
		others.forEach((name, socket) -> {
			String prefix = (socket == web) ? WEB_PREFIX : PREFIX + ".sockets." + name;
			SocketSettings settings = resolveNamed(properties, name, prefix, socket);
			settings.poolSize = checkPoolSize(settings.prefix, socket.getPoolSize());
			String pathProperty = settings.prefix + ".path";
			for (String file : settings.socketFiles()) {
				String other = propertyByPath.putIfAbsent(file, pathProperty);
				if (other != null) {
					throw new InvalidConfigurationPropertyValueException(pathProperty, settings.path,
							"The path " + (file.equals(normalize(settings.requiredPath())) ? "" : "of its pool member '" + file + "' ")
									+ "is already used by '" + other + "'; each socket needs its own path.");
				}
			}
			for (String socketName : settings.socketNames()) {
				String other = propertyBySocketName.putIfAbsent(socketName, pathProperty);
				if (other != null) {
					throw new InvalidConfigurationPropertyValueException(PREFIX + ".sockets", name, "The name '"
							+ socketName + "' is used by the sockets of both '" + other + "' and '" + pathProperty
							+ "' (pool members are named after their pool and index); choose another name.");
				}
			}
			all.add(settings);
		});
		return all;
	}

	private static int checkPoolSize(String prefix, int poolSize) {
		if (poolSize < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".pool-size", poolSize,
					"Must be at least 1 (1 is a single socket at the path).");
		}
		return poolSize;
	}

	/**
	 * The normalised paths of the socket files: the path, or the member paths of a pool.
	 */
	List<String> socketFiles() {
		String base = normalize(requiredPath());
		if (this.poolSize == 1) {
			return List.of(base);
		}
		List<String> files = new ArrayList<>(this.poolSize);
		for (int index = 0; index < this.poolSize; index++) {
			try {
				files.add(SocketPool.memberPath(base, index));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(this.prefix + ".path", this.path,
						"A pool's path must end with a file name, from which the names of its members are made.");
			}
		}
		return files;
	}

	/**
	 * The names of the socket files, as {@link ConfiguredSockets} gives them.
	 */
	private List<String> socketNames() {
		if (this.poolSize == 1) {
			return List.of(this.name);
		}
		List<String> names = new ArrayList<>(this.poolSize);
		for (int index = 0; index < this.poolSize; index++) {
			names.add(ConfiguredSockets.memberName(this.name, index));
		}
		return names;
	}

	private static SocketSettings resolveDefault(GlideSocketProperties properties) {
		String path = properties.getPath();
		if (path != null) {
			checkPath(PREFIX + ".path", path);
		}
		GlideSocketProperties.Peers peers = properties.getPeers();
		SocketOptions options = options(PREFIX, properties.getPermissions(), peers.getPolicy(),
				uids(PREFIX + ".peers", peers.getUids(), peers.getUsers()),
				gids(PREFIX + ".peers", peers.getGids(), peers.getGroups()), properties.getMaxConnections(),
				properties.getIdleTimeout(), properties.getBacklog(),
				properties.getMaxReferences(), properties.getCleanupDelay(), properties.getStaleSocketPolicy(),
				properties.getDirectoryCheck());
		options = withPeerAndOutputLimits(PREFIX, options, properties.getMaxConnectionsPerPeer(),
				properties.getMaxPendingOutput());
		options = withWriteTimeout(PREFIX, options, properties.getWriteTimeout());
		GlideSocketProperties.Servers servers = properties.getServers();
		options = withGroupAndServers(PREFIX, options, properties.getGroup(),
				peerPolicy(PREFIX + ".servers", servers.getPolicy(),
						uids(PREFIX + ".servers", servers.getUids(), servers.getUsers()),
						gids(PREFIX + ".servers", servers.getGids(), servers.getGroups())));
		options = options.toBuilder().takeover(properties.isTakeover()).build();
		return new SocketSettings(ConfiguredSockets.DEFAULT, PREFIX, path, properties.isListenOnStartup(), options);
	}

	private static void checkName(String name) {
		if (ConfiguredSockets.DEFAULT.equals(name) || ConfiguredSockets.OTHER.equals(name)
				|| ConfiguredSockets.WEB.equals(name)) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".sockets", name, "The socket name '" + name
					+ "' is reserved: 'default' is the socket of glide.socket.path, 'web' the socket of "
					+ "glide.socket.web.path and 'other' stands for sockets at any other path in metrics; choose "
					+ "another name.");
		}
	}

	private static SocketSettings resolveNamed(GlideSocketProperties properties, String name, String prefix,
			GlideSocketProperties.Socket socket) {
		String path = socket.getPath();
		if (path == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".path", null,
					"Each named socket needs a path.");
		}
		checkPath(prefix + ".path", path);
		GlideSocketProperties.Peers defaultPeers = properties.getPeers();
		GlideSocketProperties.SocketPeers peers = socket.getPeers();
		SocketOptions options = options(prefix, or(socket.getPermissions(), properties.getPermissions()),
				or(peers.getPolicy(), defaultPeers.getPolicy()),
				uids(prefix + ".peers", or(peers.getUids(), defaultPeers.getUids()),
						or(peers.getUsers(), defaultPeers.getUsers())),
				gids(prefix + ".peers", or(peers.getGids(), defaultPeers.getGids()),
						or(peers.getGroups(), defaultPeers.getGroups())),
				or(socket.getMaxConnections(), properties.getMaxConnections()),
				or(socket.getIdleTimeout(), properties.getIdleTimeout()), or(socket.getBacklog(), properties.getBacklog()),
				or(socket.getMaxReferences(), properties.getMaxReferences()),
				or(socket.getCleanupDelay(), properties.getCleanupDelay()),
				or(socket.getStaleSocketPolicy(), properties.getStaleSocketPolicy()),
				or(socket.getDirectoryCheck(), properties.getDirectoryCheck()));
		options = withPeerAndOutputLimits(prefix, options,
				or(socket.getMaxConnectionsPerPeer(), properties.getMaxConnectionsPerPeer()),
				or(socket.getMaxPendingOutput(), properties.getMaxPendingOutput()));
		options = withWriteTimeout(prefix, options, or(socket.getWriteTimeout(), properties.getWriteTimeout()));
		GlideSocketProperties.Servers defaultServers = properties.getServers();
		GlideSocketProperties.SocketServers servers = socket.getServers();
		options = withGroupAndServers(prefix, options, or(socket.getGroup(), properties.getGroup()),
				peerPolicy(prefix + ".servers", or(servers.getPolicy(), defaultServers.getPolicy()),
						uids(prefix + ".servers", or(servers.getUids(), defaultServers.getUids()),
								or(servers.getUsers(), defaultServers.getUsers())),
						gids(prefix + ".servers", or(servers.getGids(), defaultServers.getGids()),
								or(servers.getGroups(), defaultServers.getGroups()))));
		options = options.toBuilder().takeover(or(socket.getTakeover(), properties.isTakeover())).build();
		// The web server holds the web socket while it serves, not the application from startup.
		boolean listenOnStartup = !(socket instanceof GlideSocketProperties.Web)
				&& or(socket.getListenOnStartup(), properties.isListenOnStartup());
		return new SocketSettings(name, prefix, path, listenOnStartup, options);
	}

	private static SocketOptions options(String prefix, String permissions, PeerPolicyType policy, Set<Long> uids,
			Set<Long> gids, int maxConnections, Duration idleTimeout, int backlog, int maxReferences,
			Duration cleanupDelay, StaleSocketPolicy staleSocketPolicy, DirectoryCheck directoryCheck) {
		SocketOptions.Builder builder = SocketOptions.builder();
		apply(prefix + ".permissions", permissions, builder::permissions);
		builder.peerPolicy(peerPolicy(prefix + ".peers", policy, uids, gids));
		apply(prefix + ".max-connections", maxConnections, builder::maxConnections);
		apply(prefix + ".idle-timeout", idleTimeout, builder::idleTimeout);
		apply(prefix + ".backlog", backlog, builder::backlog);
		apply(prefix + ".max-references", maxReferences, builder::maxReferences);
		apply(prefix + ".cleanup-delay", cleanupDelay, builder::cleanupDelay);
		builder.staleSocketPolicy(staleSocketPolicy);
		builder.directoryCheck(directoryCheck);
		return builder.build();
	}

	private static SocketOptions withWriteTimeout(String prefix, SocketOptions options, Duration writeTimeout) {
		SocketOptions.Builder builder = options.toBuilder();
		apply(prefix + ".write-timeout", writeTimeout, builder::writeTimeout);
		return builder.build();
	}

	private static SocketOptions withPeerAndOutputLimits(String prefix, SocketOptions options,
			@Nullable Integer maxConnectionsPerPeer, DataSize maxPendingOutput) {
		SocketOptions.Builder builder = options.toBuilder();
		if (maxConnectionsPerPeer != null) {
			apply(prefix + ".max-connections-per-peer", maxConnectionsPerPeer, builder::maxConnectionsPerPeer);
		}
		long bytes = maxPendingOutput.toBytes();
		if (bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".max-pending-output", maxPendingOutput,
					"At most " + Integer.MAX_VALUE + " bytes; use -1B for no limit.");
		}
		apply(prefix + ".max-pending-output", (int) bytes, builder::maxPendingOutput);
		return builder.build();
	}

	/**
	 * Give the options the socket file's group, checked to be one of this process's groups, and
	 * the policy for servers.
	 */
	private static SocketOptions withGroupAndServers(String prefix, SocketOptions options, @Nullable String group,
			PeerPolicy serverPolicy) {
		SocketOptions.Builder builder = options.toBuilder().serverPolicy(serverPolicy);
		if (group != null) {
			apply(prefix + ".group", group, builder::group);
			long gid = builder.build().groupId();
			if (!UnixAccounts.processIsInGroup(gid)) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".group", group,
						"This process is not in that group (gid " + gid + "), so it cannot give the socket file "
								+ "that group; its groups are " + UnixAccounts.processGroups() + ". Start it with the "
								+ "group as a supplementary group (systemd SupplementaryGroups=, Kubernetes "
								+ "securityContext.fsGroup or supplementalGroups, setpriv --groups), or choose one "
								+ "of its groups.");
			}
		}
		return builder.build();
	}

	/**
	 * The listed uids and those of the listed user names, each name looked up through the
	 * system's name service.
	 */
	static Set<Long> uids(String prefix, Set<Long> uids, Set<String> users) {
		return withNames(prefix + ".users", uids, users, UnixAccounts::userId);
	}

	/**
	 * The listed gids and those of the listed group names.
	 */
	static Set<Long> gids(String prefix, Set<Long> gids, Set<String> groups) {
		return withNames(prefix + ".groups", gids, groups, UnixAccounts::groupId);
	}

	private static Set<Long> withNames(String property, Set<Long> ids, Set<String> names,
			ToLongFunction<String> lookup) {
		if (names.isEmpty()) {
			return ids;
		}
		Set<Long> all = new LinkedHashSet<>(ids);
		for (String name : names) {
			apply(property, name, (value) -> all.add(lookup.applyAsLong(value)));
		}
		return all;
	}

	static PeerPolicy peerPolicy(String prefix, PeerPolicyType type, Set<Long> uids, Set<Long> gids) {
		checkIds(prefix + ".uids", uids);
		checkIds(prefix + ".gids", gids);
		boolean listed = !uids.isEmpty() || !gids.isEmpty();
		switch (type) {
			case ANY -> {
				if (listed) {
					throw new InvalidConfigurationPropertyValueException(
							prefix + (uids.isEmpty() ? ".gids" : ".uids"), uids.isEmpty() ? gids : uids,
							"Ids and names are not used with " + prefix + ".policy 'any', which lets every "
									+ "peer in; remove them or use the policy 'same-user' or 'allow-list'.");
				}
				return PeerPolicy.anyPeer();
			}
			case ALLOW_LIST -> {
				if (!listed) {
					throw new InvalidConfigurationPropertyValueException(prefix + ".policy", "allow-list",
							"The policy 'allow-list' needs at least one id or name in " + prefix + ".uids, "
									+ prefix + ".gids, " + prefix + ".users or " + prefix + ".groups.");
				}
				return PeerPolicy.allowing(uids, gids);
			}
			default -> {
				return listed ? new SameUserOrListed(PeerPolicy.allowing(uids, gids)) : PeerPolicy.sameUser();
			}
		}
	}

	private static void checkIds(String property, Set<Long> ids) {
		for (Long id : ids) {
			if (id == null || id < 0) {
				throw new InvalidConfigurationPropertyValueException(property, ids, "Ids must not be negative.");
			}
		}
	}

	private static void checkPath(String property, String path) {
		if (path.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(property, path,
					"The path must not be empty; remove the property to use a generated path.");
		}
		if (path.indexOf('\0') >= 0) {
			throw new InvalidConfigurationPropertyValueException(property, path.replace("\0", "\\0"),
					"The path must not contain a NUL character.");
		}
		try {
			java.nio.file.Path.of(path);
		}
		catch (InvalidPathException ex) {
			throw new InvalidConfigurationPropertyValueException(property, path,
					"The path has characters that this JVM's file-name encoding ("
							+ System.getProperty("sun.jnu.encoding", "unknown")
							+ ") cannot represent; start the application with a UTF-8 locale, for example with "
							+ "LC_ALL=C.UTF-8 in its environment, or use a path of ASCII characters.");
		}
	}

	/**
	 * Apply a value to a core builder and turn its refusal into an error naming the property.
	 */
	static <T> void apply(String property, T value, Consumer<T> setter) {
		try {
			setter.accept(value);
		}
		catch (IllegalArgumentException ex) {
			// The constructor that takes a cause is public only from Spring Boot 4.1 (an
			// IllegalAccessError on 4.0 and 3.5): keep the core's refusal as a suppressed one.
			InvalidConfigurationPropertyValueException invalid = new InvalidConfigurationPropertyValueException(
					property, value, reason(ex.getMessage()));
			invalid.addSuppressed(ex);
			throw invalid;
		}
	}

	/**
	 * The core's message without the Java parameter name it starts with, as a sentence.
	 */
	private static String reason(@Nullable String message) {
		if (message == null || message.isEmpty()) {
			return "The value is not allowed.";
		}
		String reason = message;
		if (reason.startsWith("'")) {
			int end = reason.indexOf("' ", 1);
			if (end > 0) {
				reason = reason.substring(end + 2);
			}
		}
		reason = Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
		return reason.endsWith(".") ? reason : reason + ".";
	}

	private static <T> T or(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	static String normalize(String path) {
		return java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
	}

	/**
	 * Apply the manager-wide properties to a builder.
	 * @param properties the properties
	 * @param builder the builder
	 */
	static void applyManagerSettings(GlideSocketProperties properties, SocketManager.Builder builder) {
		apply(PREFIX + ".max-sockets", properties.getMaxSockets(), builder::maxSockets);
		builder.leakDetection(properties.getLeakDetection());
		apply(PREFIX + ".file-check-interval", properties.getFileCheckInterval(), builder::fileCheckInterval);
		Integer eventLoopThreads = properties.getEventLoopThreads();
		if (eventLoopThreads != null) {
			apply(PREFIX + ".event-loop-threads", eventLoopThreads, builder::eventLoopThreads);
		}
		DataSize maxBufferedBytes = properties.getMaxBufferedBytes();
		if (maxBufferedBytes != null) {
			apply(PREFIX + ".max-buffered-bytes", maxBufferedBytes.toBytes(), builder::maxBufferedBytes);
		}
	}

	String name() {
		return this.name;
	}

	String prefix() {
		return this.prefix;
	}

	/**
	 * The path as configured, or {@code null} for the default socket when the manager's
	 * default path is used.
	 */
	@Nullable String path() {
		return this.path;
	}

	private String requiredPath() {
		if (this.path == null) {
			throw new IllegalStateException("Socket '" + this.name + "' has no path");
		}
		return this.path;
	}

	/**
	 * The number of sockets behind the name: 1 for a single socket, more for a pool whose
	 * members are at the paths derived from {@link #path()}.
	 */
	int poolSize() {
		return this.poolSize;
	}

	boolean isDefault() {
		return ConfiguredSockets.DEFAULT.equals(this.name);
	}

	boolean isWeb() {
		return ConfiguredSockets.WEB.equals(this.name);
	}

	boolean listenOnStartup() {
		return this.listenOnStartup;
	}

	SocketOptions options() {
		return this.options;
	}

	/**
	 * The default policy widened by listed uids and gids.
	 */
	private static final class SameUserOrListed implements PeerPolicy {

		private final PeerPolicy sameUser = PeerPolicy.sameUser();

		private final PeerPolicy listed;

		SameUserOrListed(PeerPolicy listed) {
			this.listed = listed;
		}

		@Override
		public boolean allows(PeerCredentials peer) {
			return this.sameUser.allows(peer) || this.listed.allows(peer);
		}

		@Override
		public boolean mayBlock() {
			return false;
		}

		@Override
		public String toString() {
			return "same-user (" + this.sameUser + ") or " + this.listed;
		}

	}

}
