package io.github.glidesocket.autoconfigure.web.netty;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Keeps the server that the application's Reactor Netty factory builds for its TCP port, with
 * every setting Boot and the application gave it, so that the web socket is served beside the
 * port with the same settings. Added to the factory after Boot's own customizers, it sees the
 * server last and changes nothing.
 */
final class TcpNettyServer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final WebServerSocket socket;

	private volatile @Nullable HttpServer server;

	private volatile @Nullable Shutdown shutdown;

	TcpNettyServer(WebServerSocket socket) {
		this.socket = socket;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(new Capture());
		this.shutdown = factory.getShutdown();
		this.socket.installedIn(ManagedSocketServerChannel.SERVER);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Whether the factory has built a server: not where the context creates no web server.
	 * @return whether {@link #server()} returns one
	 */
	boolean isBuilt() {
		return this.server != null;
	}

	/**
	 * The server built for the TCP port.
	 * @return the server, not yet started
	 * @throws IllegalStateException if the factory has not built one
	 */
	HttpServer server() {
		HttpServer server = this.server;
		if (server == null) {
			throw new IllegalStateException("The Reactor Netty web server factory has built no server to serve "
					+ "the glide-socket web socket beside; glide-socket serves it beside the web server that "
					+ "Spring Boot creates");
		}
		return server;
	}

	/**
	 * How the factory shuts its server down.
	 * @return the factory's shutdown
	 */
	Shutdown shutdown() {
		Shutdown shutdown = this.shutdown;
		return (shutdown != null) ? shutdown : Shutdown.IMMEDIATE;
	}

	private final class Capture implements NettyServerCustomizer {

		@Override
		public HttpServer apply(HttpServer server) {
			TcpNettyServer.this.server = server;
			return server;
		}

	}

}
