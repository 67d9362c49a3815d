package io.github.glidesocket.boot3.health;

import java.util.Objects;

import io.github.glidesocket.health.GlideSocketHealth;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of the sockets of a {@link io.github.glidesocket.core.SocketManager} on Spring Boot
 * 3.5: reports what a {@link GlideSocketHealth} check finds (see there for when it is UP and
 * DOWN), as {@link io.github.glidesocket.health.GlideSocketHealthIndicator} does on Spring Boot 4.
 */
public class GlideSocketHealthIndicator extends AbstractHealthIndicator {

	private final GlideSocketHealth health;

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
