package io.github.glidesocket.autoconfigure.metrics;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.metrics.GlideSocketMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the glide-socket {@link GlideSocketMetrics meters}. The binder
 * listens to the manager's events, whether the manager is auto-configured or the user's own.
 * It serves every supported Spring Boot generation: it comes after the meter registry's
 * auto-configuration of each.
 */
@AutoConfiguration(after = GlideSocketAutoConfiguration.class, afterName = {
		// Spring Boot 4
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		// Spring Boot 3.5
		"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ SocketManager.class, ConfiguredSockets.class, MeterRegistry.class })
public final class GlideSocketMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GlideSocketMetrics glideSocketMetrics(SocketManager manager, ConfiguredSockets sockets) {
		GlideSocketMetrics metrics = new GlideSocketMetrics(manager, sockets.socketPaths());
		manager.addEventListener(metrics);
		return metrics;
	}

}
