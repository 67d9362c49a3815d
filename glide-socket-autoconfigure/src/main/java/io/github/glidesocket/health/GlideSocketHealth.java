package io.github.glidesocket.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.glidesocket.core.SocketSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;

/**
 * Builds the status and details of {@link GlideSocketHealthIndicator}; detail keys are
 * snake_case.
 */
final class GlideSocketHealth {

	private GlideSocketHealth() {
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
			return "the socket has references but is " + snapshot.state().name().toLowerCase(java.util.Locale.ROOT);
		}
		return switch (snapshot.file()) {
			case INTACT -> null;
			case MISSING -> "the socket file was removed; it is bound again at the next file check";
			case REPLACED -> "another file has replaced the socket file at the path";
			// Bound aside until the application is ready; the process taken over serves meanwhile.
			case TAKEN_OVER, TAKEOVER_PENDING -> null;
		};
	}

	static void up(Health.Builder builder, List<SocketSnapshot> snapshots) {
		builder.up();
		totals(builder, snapshots);
	}

	static void down(Health.Builder builder, List<SocketSnapshot> snapshots, List<SocketSnapshot> failing,
			Function<String, String> names, Map<String, String> unbound, Function<String, String> paths) {
		builder.down();
		totals(builder, snapshots);
		List<Map<String, Object>> failures = new ArrayList<>();
		unbound.forEach((name, reason) -> {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", name);
			details.put("path", paths.apply(name));
			details.put("state", "NOT_BOUND");
			details.put("references", 0);
			details.put("connections", 0);
			details.put("reason", reason);
			failures.add(details);
		});
		for (SocketSnapshot snapshot : failing) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", names.apply(snapshot.path()));
			details.put("path", snapshot.path());
			details.put("state", snapshot.state().name());
			details.put("file", snapshot.file().name());
			details.put("references", snapshot.references());
			details.put("connections", snapshot.connections());
			details.put("reason", problem(snapshot));
			failures.add(details);
		}
		builder.withDetail("failing_sockets", failures);
	}

	private static void totals(Health.Builder builder, List<SocketSnapshot> snapshots) {
		int references = 0;
		int connections = 0;
		for (SocketSnapshot snapshot : snapshots) {
			references += snapshot.references();
			connections += snapshot.connections();
		}
		builder.withDetail("sockets", snapshots.size())
			.withDetail("references", references)
			.withDetail("connections", connections);
	}

}
