package io.github.glidesocket.autoconfigure.metrics;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.ForwardingSocketEventListener;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.metrics.GlideSocketMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the glide-socket {@link GlideSocketMetrics meters}. The binder
 * receives the manager's events through the auto-configured
 * {@link ForwardingSocketEventListener}; a user-defined manager gets event counters only if
 * that listener is registered on its builder.
 */
@AutoConfiguration(after = GlideSocketAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ SocketManager.class, ConfiguredSockets.class, MeterRegistry.class })
public final class GlideSocketMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GlideSocketMetrics glideSocketMetrics(SocketManager manager, ConfiguredSockets sockets,
			ObjectProvider<ForwardingSocketEventListener> events) {
		GlideSocketMetrics metrics = new GlideSocketMetrics(manager, sockets.paths());
		events.ifAvailable((forwarder) -> forwarder.addListener(metrics));
		return metrics;
	}

}
