package io.github.glidesocket.autoconfigure.health;

import java.util.Map;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.GlideSocketLifecycle;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.health.GlideSocketHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link GlideSocketHealthIndicator} on Spring Boot 4, shown as
 * {@code glideSocket} and turned off with {@code management.health.glidesocket.enabled=false},
 * as Spring Boot names its own ({@code diskSpace}, {@code management.health.diskspace.enabled});
 * relaxed binding takes {@code management.health.glideSocket.enabled} too. A socket the
 * {@link GlideSocketLifecycle} listens on that is not bound makes it DOWN. On Spring Boot 3.5,
 * glide-socket-autoconfigure-boot3 configures its own; this one's conditions keep it off there.
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
		return new GlideSocketHealthIndicator(manager, sockets.socketPaths(),
				(listening != null) ? listening::unboundSockets : Map::of);
	}

}
