package io.github.glidesocket.autoconfigure.web;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.GlideSocketProperties;
import io.github.glidesocket.autoconfigure.web.jetty.GlideSocketJettyConfiguration;
import io.github.glidesocket.autoconfigure.web.netty.GlideSocketNettyConfiguration;
import io.github.glidesocket.autoconfigure.web.tomcat.GlideSocketTomcatConfiguration;
import io.github.glidesocket.core.SocketManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
			GlideSocketProperties properties) {
		return new WebServerSocket(manager, sockets.path(ConfiguredSockets.WEB), properties.getWeb().isTcp());
	}

}
