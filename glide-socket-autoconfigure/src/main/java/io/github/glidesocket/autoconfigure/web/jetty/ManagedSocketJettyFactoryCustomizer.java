package io.github.glidesocket.autoconfigure.web.jetty;

import java.util.ArrayList;
import java.util.List;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts a Jetty web server on the web socket. Its {@link ManagedSocketServerCustomizer} runs
 * before every other server customizer, so that the connector settings Spring Boot applies to a
 * server's connectors ({@code server.jetty.connection-idle-timeout}, the header sizes, forwarded
 * headers) reach the socket's connector too. Runs last among the factory customizers, after the
 * port is known: with {@code glide.socket.web.tcp=false} the server must start whatever
 * {@code server.port} says, as no TCP port is bound anyway.
 */
class ManagedSocketJettyFactoryCustomizer implements WebServerFactoryCustomizer<JettyWebServerFactory>, Ordered {

	private final WebServerSocket socket;

	ManagedSocketJettyFactoryCustomizer(WebServerSocket socket) {
		this.socket = socket;
	}

	@Override
	public void customize(JettyWebServerFactory factory) {
		this.socket.installedIn(ManagedSocketConnector.SERVER);
		if (!this.socket.isTcp() && factory.getPort() < 0) {
			// Boot does not start a server whose port is negative.
			factory.setPort(0);
		}
		List<JettyServerCustomizer> customizers = new ArrayList<>();
		customizers.add(new ManagedSocketServerCustomizer(this.socket));
		customizers.addAll(factory.getServerCustomizers());
		factory.setServerCustomizers(customizers);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
