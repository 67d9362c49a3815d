package io.github.glidesocket.health;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.glidesocket.core.SocketManager;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the sockets of a {@link SocketManager} on Spring Boot 4: reports what a
 * {@link GlideSocketHealth} check finds (see there for when it is UP and DOWN).
 */
public class GlideSocketHealthIndicator extends AbstractHealthIndicator {

	private final GlideSocketHealth health;

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
		this(new GlideSocketHealth(manager, socketPaths, unboundSockets));
	}

	/**
	 * Create a new indicator that reports the given check.
	 * @param health the check
	 */
	public GlideSocketHealthIndicator(GlideSocketHealth health) {
		super("glide-socket health check failed");
		this.health = Objects.requireNonNull(health, "'health' must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		GlideSocketHealth.Result result = this.health.check();
		builder.status(result.up() ? Status.UP : Status.DOWN).withDetails(result.details());
	}

}
