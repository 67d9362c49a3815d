package io.github.glidesocket.autoconfigure.web;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.GlideSocketProperties;
import io.github.glidesocket.autoconfigure.web.jetty.GlideSocketJettyConfiguration;
import io.github.glidesocket.autoconfigure.web.netty.GlideSocketNettyConfiguration;
import io.github.glidesocket.autoconfigure.web.tomcat.GlideSocketTomcatConfiguration;
import io.github.glidesocket.core.SocketManager;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the application's own web server on the socket of
 * {@code glide.socket.web.path}: the {@link WebServerSocket} and, for each server present, the
 * configuration that puts it there.
 */
@AutoConfiguration(after = GlideSocketAutoConfiguration.class)
@ConditionalOnBean(SocketManager.class)
@ConditionalOnProperty(WebServerSocket.PATH_PROPERTY)
@Import({ GlideSocketTomcatConfiguration.class, GlideSocketJettyConfiguration.class,
		GlideSocketNettyConfiguration.class })
public final class GlideSocketWebAutoConfiguration {

	@Bean(GlideSocketAutoConfiguration.WEB_SERVER_SOCKET_BEAN)
	WebServerSocket glideSocketWebServerSocket(SocketManager manager, ConfiguredSockets sockets,
			GlideSocketProperties properties, ListableBeanFactory beanFactory) {
		if (!beanFactory.containsBean(GlideSocketAutoConfiguration.MANAGER_BEAN)) {
			// Only the auto-configured manager gives the web socket the handler that feeds the server.
			throw new InvalidConfigurationPropertyValueException(WebServerSocket.PATH_PROPERTY,
					sockets.path(ConfiguredSockets.WEB), "The application defines its own SocketManager bean, and the "
							+ "web server can only be put on a socket of the auto-configured one. Customize that "
							+ "manager with a SocketManagerBuilderCustomizer bean instead, or unset the property");
		}
		return new WebServerSocket(manager, sockets.path(ConfiguredSockets.WEB), properties.getWeb().isTcp());
	}

}
