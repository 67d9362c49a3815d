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
 * the HTTP configuration and selector count of the server's own connector, and removes the
 * server's network (TCP) connectors when the application is served on the socket only.
 */
public class ManagedSocketServerCustomizer implements JettyServerCustomizer {

	private final WebServerSocket socket;

	private final boolean keepNetworkConnectors;

	/**
	 * Create a customizer.
	 * @param socket the socket to serve
	 * @param keepNetworkConnectors whether the server's TCP connectors stay beside the socket
	 */
	public ManagedSocketServerCustomizer(WebServerSocket socket, boolean keepNetworkConnectors) {
		this.socket = Objects.requireNonNull(socket, "'socket' must not be null");
		this.keepNetworkConnectors = keepNetworkConnectors;
	}

	@Override
	public void customize(Server server) {
		Connector[] connectors = server.getConnectors();
		ManagedSocketConnector connector = new ManagedSocketConnector(server, this.socket, selectors(connectors),
				new HttpConnectionFactory(httpConfiguration(connectors)));
		if (!this.keepNetworkConnectors) {
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
