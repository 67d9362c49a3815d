package io.github.glidesocket.boot3.autoconfigure.health;

import java.util.Map;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.GlideSocketLifecycle;
import io.github.glidesocket.boot3.health.GlideSocketHealthIndicator;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.health.GlideSocketHealth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link GlideSocketHealthIndicator} on Spring Boot 3.5, as
 * glide-socket-autoconfigure configures its own on Spring Boot 4: shown as {@code glideSocket}
 * and turned off with {@code management.health.glidesocket.enabled=false}. A socket the
 * {@link GlideSocketLifecycle} listens on that is not bound makes it DOWN.
 */
@AutoConfiguration(after = GlideSocketAutoConfiguration.class)
@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ SocketManager.class, ConfiguredSockets.class })
public final class GlideSocketHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("glidesocket")
	@ConditionalOnMissingBean(name = "glideSocketHealthIndicator")
	GlideSocketHealthIndicator glideSocketHealthIndicator(SocketManager manager, ConfiguredSockets sockets,
			ObjectProvider<GlideSocketLifecycle> lifecycle) {
		GlideSocketLifecycle listening = lifecycle.getIfUnique();
		return new GlideSocketHealthIndicator(new GlideSocketHealth(manager, sockets.socketPaths(),
				(listening != null) ? listening::unboundSockets : Map::of));
	}

}
