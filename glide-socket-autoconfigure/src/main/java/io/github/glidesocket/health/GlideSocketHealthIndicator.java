package io.github.glidesocket.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the sockets of a {@link SocketManager}: UP while every socket that has
 * references is bound and its file is the one it bound, and every socket the application
 * listens on is bound; DOWN otherwise, with the failing sockets in the details. It reads the
 * manager's registry and does no socket I/O; the file status is what is at each path when the
 * health is read, so a removed file shows until the manager's periodic file check
 * ({@code glide.socket.file-check-interval}) binds it again. A socket still being bound counts
 * as healthy.
 */
public class GlideSocketHealthIndicator extends AbstractHealthIndicator {

	private final SocketManager manager;

	private final Map<String, String> socketPaths;

	private final Supplier<Map<String, String>> unboundSockets;

	/**
	 * Create a new indicator that knows of no socket that must be bound.
	 * @param manager the manager
	 * @param socketPaths the path of each configured socket by name, used to name sockets in
	 * the details
	 */
	public GlideSocketHealthIndicator(SocketManager manager, Map<String, String> socketPaths) {
		this(manager, socketPaths, Map::of);
	}

	/**
	 * Create a new indicator.
	 * @param manager the manager
	 * @param socketPaths the path of each configured socket by name, used to name sockets in
	 * the details
	 * @param unboundSockets the configured sockets, by name, that the application listens on
	 * but that are not bound now, each with the reason; each makes the health DOWN
	 */
	public GlideSocketHealthIndicator(SocketManager manager, Map<String, String> socketPaths,
			Supplier<Map<String, String>> unboundSockets) {
		super("glide-socket health check failed");
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.socketPaths = Map.copyOf(Objects.requireNonNull(socketPaths, "'socketPaths' must not be null"));
		this.unboundSockets = Objects.requireNonNull(unboundSockets, "'unboundSockets' must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<SocketSnapshot> snapshots = this.manager.snapshots();
		List<SocketSnapshot> failing = new ArrayList<>();
		for (SocketSnapshot snapshot : snapshots) {
			if (GlideSocketHealth.problem(snapshot) != null) {
				failing.add(snapshot);
			}
		}
		Map<String, String> unbound = this.unboundSockets.get();
		if (failing.isEmpty() && unbound.isEmpty()) {
			GlideSocketHealth.up(builder, snapshots);
		}
		else {
			GlideSocketHealth.down(builder, snapshots, failing, this::nameOf, unbound, this::pathOf);
		}
	}

	private String pathOf(String name) {
		return this.socketPaths.getOrDefault(name, "");
	}

	private String nameOf(String path) {
		for (Map.Entry<String, String> socket : this.socketPaths.entrySet()) {
			if (socket.getValue().equals(path)) {
				return socket.getKey();
			}
		}
		return "other";
	}

}
