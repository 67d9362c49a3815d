package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.glidesocket.core.SocketPool;

/**
 * The sockets the application configured, by name: {@value #DEFAULT} for the socket of
 * {@code glide.socket.path} (or the manager's generated default path) and the key of each
 * {@code glide.socket.sockets.<name>} entry.
 * <p>
 * A configured socket with a {@code pool-size} above 1 is a pool: its path is a base path, and
 * its members are sockets at the paths {@link SocketPool#memberPath(String, int)} derives,
 * named {@code <name>-<index>} ({@link #memberName(String, int)}). {@link #socketPaths()} lists
 * every socket file by that name (a configured socket that is not a pool under its own name):
 * these names are the {@code socket} tag of the metrics, the names in health details and the
 * selectors of the {@code glidesockets} endpoint. A socket at any other path is called
 * {@value #OTHER}.
 */
public final class ConfiguredSockets {

	/** The name of the default socket. */
	public static final String DEFAULT = "default";

	/** The name of the socket the application's web server serves ({@code glide.socket.web.path}). */
	public static final String WEB = "web";

	/** The name that stands for every socket at a path that is not configured. */
	public static final String OTHER = "other";

	private final Map<String, String> paths;

	private final Map<String, String> names;

	private final Set<String> listenOnStartup;

	private final Map<String, Integer> poolSizes;

	private final Map<String, List<String>> memberPaths;

	private final Map<String, String> socketPaths;

	/**
	 * Create a new instance without pools.
	 * @param paths the path of each socket by name, the default socket first; paths are made
	 * absolute and normalised
	 * @param listenOnStartup the names of the sockets the application listens on from startup
	 */
	public ConfiguredSockets(Map<String, String> paths, Set<String> listenOnStartup) {
		this(paths, listenOnStartup, Map.of());
	}

	/**
	 * Create a new instance.
	 * @param paths the path of each socket by name, the default socket first; paths are made
	 * absolute and normalised
	 * @param listenOnStartup the names of the sockets the application listens on from startup
	 * @param poolSizes the number of members of each socket that is a pool, by name; a socket
	 * not listed, or listed with 1, is a single socket at its path
	 */
	public ConfiguredSockets(Map<String, String> paths, Set<String> listenOnStartup, Map<String, Integer> poolSizes) {
		Objects.requireNonNull(paths, "'paths' must not be null");
		Objects.requireNonNull(listenOnStartup, "'listenOnStartup' must not be null");
		Objects.requireNonNull(poolSizes, "'poolSizes' must not be null");
		Map<String, String> byName = new LinkedHashMap<>();
		paths.forEach((name, path) -> byName.put(name, Path.of(path).toAbsolutePath().normalize().toString()));
		if (!byName.keySet().containsAll(listenOnStartup)) {
			throw new IllegalArgumentException("'listenOnStartup' names sockets without a path: " + listenOnStartup);
		}
		if (!byName.keySet().containsAll(poolSizes.keySet())) {
			throw new IllegalArgumentException("'poolSizes' names sockets without a path: " + poolSizes.keySet());
		}
		Map<String, Integer> pools = new LinkedHashMap<>();
		Map<String, List<String>> members = new LinkedHashMap<>();
		Map<String, String> bySocketName = new LinkedHashMap<>();
		Map<String, String> byPath = new LinkedHashMap<>();
		byName.forEach((name, path) -> {
			int size = poolSizes.getOrDefault(name, 1);
			if (size < 1) {
				throw new IllegalArgumentException("The pool size of socket '" + name + "' must be positive, got " + size);
			}
			List<String> socketFiles = new ArrayList<>(size);
			if (size == 1) {
				socketFiles.add(path);
				addSocket(bySocketName, byPath, name, path);
			}
			else {
				pools.put(name, size);
				for (int index = 0; index < size; index++) {
					String member = SocketPool.memberPath(path, index);
					socketFiles.add(member);
					addSocket(bySocketName, byPath, memberName(name, index), member);
				}
			}
			members.put(name, List.copyOf(socketFiles));
		});
		this.paths = Collections.unmodifiableMap(byName);
		this.names = Collections.unmodifiableMap(byPath);
		this.listenOnStartup = Collections.unmodifiableSet(new LinkedHashSet<>(listenOnStartup));
		this.poolSizes = Collections.unmodifiableMap(pools);
		this.memberPaths = Collections.unmodifiableMap(members);
		this.socketPaths = Collections.unmodifiableMap(bySocketName);
	}

	private static void addSocket(Map<String, String> bySocketName, Map<String, String> byPath, String name,
			String path) {
		if (bySocketName.putIfAbsent(name, path) != null) {
			throw new IllegalArgumentException("Two sockets are named '" + name
					+ "': a pool's members are named after the pool with their index; rename one of them");
		}
		byPath.putIfAbsent(path, name);
	}

	/**
	 * The name of a pool member: the pool's name, a hyphen and the member's index.
	 * @param name the pool's name
	 * @param index the member's index
	 * @return the member's name
	 */
	public static String memberName(String name, int index) {
		return name + "-" + index;
	}

	/**
	 * The absolute path of each configured socket by name, the default socket first; the base
	 * path of a pool.
	 * @return the paths
	 */
	public Map<String, String> paths() {
		return this.paths;
	}

	/**
	 * The path of a configured socket.
	 * @param name the socket name
	 * @return the absolute path
	 * @throws IllegalArgumentException if no socket has that name
	 */
	public String path(String name) {
		String path = this.paths.get(name);
		if (path == null) {
			throw new IllegalArgumentException("No glide-socket socket is named '" + name + "'; the configured sockets are "
					+ this.paths.keySet() + " (add one with glide.socket.sockets." + name + ".path)");
		}
		return path;
	}

	/**
	 * The number of sockets behind a configured name: more than 1 for a pool.
	 * @param name the socket name
	 * @return the pool size, 1 for a single socket
	 * @throws IllegalArgumentException if no socket has that name
	 */
	public int poolSize(String name) {
		path(name);
		return this.poolSizes.getOrDefault(name, 1);
	}

	/**
	 * The path of each socket file behind a configured name: the path itself for a single
	 * socket, the member paths by index for a pool.
	 * @param name the socket name
	 * @return the paths
	 * @throws IllegalArgumentException if no socket has that name
	 */
	public List<String> memberPaths(String name) {
		path(name);
		return this.memberPaths.get(name);
	}

	/**
	 * The absolute path of every socket file of the configuration by its name: a single socket
	 * under its configured name, each member of a pool as {@code <name>-<index>}. These are the
	 * sockets that metrics, health and the endpoint show.
	 * @return the paths by socket name
	 */
	public Map<String, String> socketPaths() {
		return this.socketPaths;
	}

	/**
	 * The name of the socket at a path.
	 * @param path an absolute, normalised path, as the manager reports it
	 * @return the configured name, the member name for a member of a pool, or {@value #OTHER}
	 */
	public String nameOf(String path) {
		return this.names.getOrDefault(path, OTHER);
	}

	/**
	 * Whether the application holds a reference to the socket from startup to shutdown.
	 * @param name the socket name
	 * @return whether it listens from startup
	 */
	public boolean isListenOnStartup(String name) {
		return this.listenOnStartup.contains(name);
	}

	@Override
	public String toString() {
		return "ConfiguredSockets" + this.paths;
	}

}
