package io.github.glidesocket.autoconfigure.endpoint;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.InjectedSocketReferences;
import io.github.glidesocket.core.SocketManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link GlideSocketsEndpoint}, created when the
 * {@code glidesockets} endpoint is available (for example exposed with
 * {@code management.endpoints.web.exposure.include=glidesockets}).
 */
@AutoConfiguration(after = GlideSocketAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ SocketManager.class, ConfiguredSockets.class })
public final class GlideSocketsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnMissingBean
	GlideSocketsEndpoint glideSocketsEndpoint(SocketManager manager, ConfiguredSockets sockets,
			ObjectProvider<InjectedSocketReferences> injectedReferences) {
		InjectedSocketReferences injected = injectedReferences.getIfAvailable();
		if (injected == null) {
			return new GlideSocketsEndpoint(manager, sockets.socketPaths());
		}
		return new GlideSocketsEndpoint(manager, sockets.socketPaths(), (path) -> injected.injectionsInto(path, manager)
			.stream()
			.map((injection) -> new GlideSocketsEndpoint.Injection(injection.identity(), injection.bean(),
					injection.injectionPoint(), injection.injectedAt()))
			.toList());
	}

}
