package io.github.glidesocket.autoconfigure.web.jetty;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts Jetty on the web socket; loaded only when Jetty and Spring Boot 4's Jetty module are
 * present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Server.class, SelectorManager.class, JettyWebServerFactory.class })
public final class GlideSocketJettyConfiguration {

	@Bean
	ManagedSocketJettyFactoryCustomizer glideSocketJettyCustomizer(WebServerSocket socket) {
		return new ManagedSocketJettyFactoryCustomizer(socket);
	}

}
