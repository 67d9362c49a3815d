package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The sockets the application configured, by name: {@value #DEFAULT} for the socket of
 * {@code glide.socket.path} (or the manager's generated default path) and the key of each
 * {@code glide.socket.sockets.<name>} entry. Names are the {@code socket} tag of the metrics
 * and the selector of the {@code glidesockets} endpoint; a socket at any other path is called
 * {@value #OTHER}.
 */
public final class ConfiguredSockets {

	/** The name of the default socket. */
	public static final String DEFAULT = "default";

	/** The name that stands for every socket at a path that is not configured. */
	public static final String OTHER = "other";

	private final Map<String, String> paths;

	private final Map<String, String> names;

	private final Set<String> listenOnStartup;

	/**
	 * Create a new instance.
	 * @param paths the path of each socket by name, the default socket first; paths are made
	 * absolute and normalised
	 * @param listenOnStartup the names of the sockets the application listens on from startup
	 */
	public ConfiguredSockets(Map<String, String> paths, Set<String> listenOnStartup) {
		Objects.requireNonNull(paths, "'paths' must not be null");
		Objects.requireNonNull(listenOnStartup, "'listenOnStartup' must not be null");
		Map<String, String> byName = new LinkedHashMap<>();
		Map<String, String> byPath = new LinkedHashMap<>();
		paths.forEach((name, path) -> {
			String normalized = Path.of(path).toAbsolutePath().normalize().toString();
			byName.put(name, normalized);
			byPath.putIfAbsent(normalized, name);
		});
		if (!byName.keySet().containsAll(listenOnStartup)) {
			throw new IllegalArgumentException("'listenOnStartup' names sockets without a path: " + listenOnStartup);
		}
		this.paths = Collections.unmodifiableMap(byName);
		this.names = Collections.unmodifiableMap(byPath);
		this.listenOnStartup = Collections.unmodifiableSet(new LinkedHashSet<>(listenOnStartup));
	}

	/**
	 * The absolute path of each configured socket by name, the default socket first.
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
	 * The name of the socket at a path.
	 * @param path an absolute, normalised path, as the manager reports it
	 * @return the configured name, or {@value #OTHER}
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
