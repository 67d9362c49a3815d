package io.github.glidesocket.autoconfigure.web.tomcat;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.ProtocolHandler;

import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts a Tomcat web server on the web socket. With {@code glide.socket.web.tcp=false} the
 * server's main connector is the socket's, so it gets every setting Boot gives a connector;
 * otherwise the socket's connector is added beside the TCP one, with the connector and
 * protocol customizations the factory holds. Runs last, after Boot's own customizers.
 */
final class ManagedSocketTomcatCustomizer implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {

	private final WebServerSocket socket;

	ManagedSocketTomcatCustomizer(WebServerSocket socket) {
		this.socket = socket;
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		this.socket.installedIn(ManagedSocketNioEndpoint.SERVER);
		if (!this.socket.isTcp()) {
			factory.setProtocol(ManagedSocketHttp11NioProtocol.class.getName());
			factory.addProtocolHandlerCustomizers((protocol) -> {
				if (protocol instanceof ManagedSocketHttp11NioProtocol managed) {
					managed.serveOn(this.socket);
				}
			});
			return;
		}
		ManagedSocketHttp11NioProtocol protocol = new ManagedSocketHttp11NioProtocol();
		protocol.serveOn(this.socket);
		Connector connector = new Connector(protocol);
		// A socket that cannot be bound fails the start with its own error, as the main connector does.
		connector.setThrowOnFailure(true);
		applyProtocolCustomizers(factory, protocol);
		factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
		factory.addAdditionalConnectors(connector);
	}

	@SuppressWarnings("unchecked")
	private static void applyProtocolCustomizers(TomcatWebServerFactory factory, ProtocolHandler protocol) {
		LambdaSafe.callbacks(TomcatProtocolHandlerCustomizer.class, factory.getProtocolHandlerCustomizers(), protocol)
			.invoke((customizer) -> customizer.customize(protocol));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
