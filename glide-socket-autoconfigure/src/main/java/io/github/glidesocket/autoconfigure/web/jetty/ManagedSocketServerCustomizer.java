package io.github.glidesocket.autoconfigure.web.jetty;

import java.util.Arrays;
import java.util.Objects;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.JettyServerCustomizer;

/**
 * Adds a {@link ManagedSocketConnector} for the web socket to the server, speaking HTTP/1.1 with
 * the HTTP configuration and selector count of the server's own connector. With
 * {@code glide.socket.web.tcp=false} it replaces the server's network (TCP) connectors.
 */
class ManagedSocketServerCustomizer implements JettyServerCustomizer {

	static final String CONNECTOR_NAME = "glide-socket-web";

	private final WebServerSocket socket;

	ManagedSocketServerCustomizer(WebServerSocket socket) {
		this.socket = Objects.requireNonNull(socket, "'socket' must not be null");
	}

	@Override
	public void customize(Server server) {
		Connector[] connectors = server.getConnectors();
		ManagedSocketConnector connector = new ManagedSocketConnector(server, this.socket, selectors(connectors),
				new HttpConnectionFactory(httpConfiguration(connectors)));
		// Named, so that Jetty's connection meters tell it from the TCP connector.
		connector.setName(CONNECTOR_NAME);
		if (!this.socket.isTcp()) {
			Arrays.stream(connectors).filter(NetworkConnector.class::isInstance).forEach(server::removeConnector);
		}
		server.addConnector(connector);
	}

	private static int selectors(Connector[] connectors) {
		return Arrays.stream(connectors)
			.filter(ServerConnector.class::isInstance)
			.map(ServerConnector.class::cast)
			.mapToInt((connector) -> connector.getSelectorManager().getSelectorCount())
			.findFirst()
			.orElse(-1);
	}

	/**
	 * A copy of the first HTTP configuration of the server's connectors, so that requests on the
	 * socket are read as on TCP (header sizes, forwarded headers) while later changes to one
	 * connector stay its own.
	 */
	private static HttpConfiguration httpConfiguration(Connector[] connectors) {
		return Arrays.stream(connectors)
			.map((connector) -> connector.getConnectionFactory(HttpConnectionFactory.class))
			.filter(Objects::nonNull)
			.map((factory) -> new HttpConfiguration(factory.getHttpConfiguration()))
			.findFirst()
			.orElseGet(ManagedSocketServerCustomizer::defaultHttpConfiguration);
	}

	private static HttpConfiguration defaultHttpConfiguration() {
		HttpConfiguration configuration = new HttpConfiguration();
		configuration.setSendServerVersion(false);
		return configuration;
	}

}
