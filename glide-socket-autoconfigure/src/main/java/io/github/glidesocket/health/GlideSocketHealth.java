package io.github.glidesocket.health;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Health of the sockets of a {@link SocketManager}, in no Spring Boot type: Spring Boot 3 and 4
 * keep their health types in different packages, so each generation's health indicator reports
 * what this check finds. UP while every socket that has references is bound and its file is the
 * one it bound, and every socket the application listens on is bound; DOWN otherwise, with the
 * failing sockets in the details. It reads the manager's registry and does no socket I/O; the
 * file status is what is at each path when the check runs, so a removed file shows until the
 * manager's periodic file check ({@code glide.socket.file-check-interval}) binds it again. A
 * socket still being bound counts as healthy. Detail keys are snake_case.
 */
public final class GlideSocketHealth {

	private final SocketManager manager;

	private final Map<String, String> socketPaths;

	private final Supplier<Map<String, String>> unboundSockets;

	/**
	 * Create a new check.
	 * @param manager the manager
	 * @param socketPaths the path of each configured socket by name, used to name sockets in
	 * the details
	 * @param unboundSockets the configured sockets, by name, that the application listens on
	 * but that are not bound now, each with the reason; each makes the health DOWN
	 */
	public GlideSocketHealth(SocketManager manager, Map<String, String> socketPaths,
			Supplier<Map<String, String>> unboundSockets) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.socketPaths = Map.copyOf(Objects.requireNonNull(socketPaths, "'socketPaths' must not be null"));
		this.unboundSockets = Objects.requireNonNull(unboundSockets, "'unboundSockets' must not be null");
	}

	/**
	 * Check the sockets now.
	 * @return whether they are healthy, and the details to show
	 */
	public Result check() {
		List<SocketSnapshot> snapshots = this.manager.snapshots();
		List<SocketSnapshot> failing = new ArrayList<>();
		for (SocketSnapshot snapshot : snapshots) {
			if (problem(snapshot) != null) {
				failing.add(snapshot);
			}
		}
		Map<String, String> unbound = this.unboundSockets.get();
		Map<String, Object> details = totals(snapshots);
		boolean up = failing.isEmpty() && unbound.isEmpty();
		if (!up) {
			details.put("failing_sockets", failures(failing, unbound));
		}
		return new Result(up, Collections.unmodifiableMap(details));
	}

	/**
	 * Why a socket is unhealthy.
	 * @param snapshot the socket's state
	 * @return the reason, or {@code null} if it is healthy
	 */
	static @Nullable String problem(SocketSnapshot snapshot) {
		if (snapshot.state() == SocketSnapshot.State.FAILED) {
			return "the thread that accepted its connections ended unexpectedly; it accepts no new connection until"
					+ " it is stopped and acquired again";
		}
		if (snapshot.references() == 0 || snapshot.state() == SocketSnapshot.State.BINDING) {
			return null;
		}
		if (snapshot.state() != SocketSnapshot.State.ACTIVE) {
			return "the socket has references but is " + snapshot.state().name().toLowerCase(Locale.ROOT);
		}
		return switch (snapshot.file()) {
			case INTACT -> null;
			case MISSING -> "the socket file was removed; it is bound again at the next file check";
			case REPLACED -> "another file has replaced the socket file at the path";
			// Bound aside until the application is ready; the process taken over serves meanwhile.
			case TAKEN_OVER, TAKEOVER_PENDING -> null;
		};
	}

	private List<Map<String, Object>> failures(List<SocketSnapshot> failing, Map<String, String> unbound) {
		List<Map<String, Object>> failures = new ArrayList<>();
		unbound.forEach((name, reason) -> {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", name);
			details.put("path", this.socketPaths.getOrDefault(name, ""));
			details.put("state", "NOT_BOUND");
			details.put("references", 0);
			details.put("connections", 0);
			details.put("reason", reason);
			failures.add(details);
		});
		for (SocketSnapshot snapshot : failing) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", nameOf(snapshot.path()));
			details.put("path", snapshot.path());
			details.put("state", snapshot.state().name());
			details.put("file", snapshot.file().name());
			details.put("references", snapshot.references());
			details.put("connections", snapshot.connections());
			details.put("reason", problem(snapshot));
			failures.add(details);
		}
		return failures;
	}

	private static Map<String, Object> totals(List<SocketSnapshot> snapshots) {
		int references = 0;
		int connections = 0;
		for (SocketSnapshot snapshot : snapshots) {
			references += snapshot.references();
			connections += snapshot.connections();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("sockets", snapshots.size());
		details.put("references", references);
		details.put("connections", connections);
		return details;
	}

	private String nameOf(String path) {
		for (Map.Entry<String, String> socket : this.socketPaths.entrySet()) {
			if (socket.getValue().equals(path)) {
				return socket.getKey();
			}
		}
		return "other";
	}

	/**
	 * What a check found.
	 * @param up whether every socket is healthy
	 * @param details the totals, and the failing sockets when not {@code up}
	 */
	public record Result(boolean up, Map<String, Object> details) {

	}

}
