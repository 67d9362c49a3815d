package io.github.glidesocket.autoconfigure.web.netty;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Moves the application's Reactor Netty server from its TCP port to the web socket (the TCP
 * port is off). Runs after Boot's own customizers.
 */
final class ManagedSocketNettyCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final ManagedSocketNettyServerCustomizer onSocket;

	ManagedSocketNettyCustomizer(ManagedSocketNettyServerCustomizer onSocket) {
		this.onSocket = onSocket;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		// Else the server is put on the factory's shared loops after every customizer, and those
		// loops know no server channel but one that binds.
		factory.setResourceFactory(null);
		factory.addServerCustomizers(this.onSocket);
		this.onSocket.socket().installedIn(ManagedSocketServerChannel.SERVER);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
