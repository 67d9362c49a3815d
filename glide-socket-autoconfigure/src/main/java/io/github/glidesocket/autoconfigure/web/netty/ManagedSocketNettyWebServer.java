package io.github.glidesocket.autoconfigure.web.netty;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

/**
 * A second Reactor Netty server, on the web socket, beside the application's server on its TCP
 * port: built from the TCP server's settings when it starts, and serving the application's
 * {@link HttpHandler}. Where the context creates no web server (a mock web environment in
 * tests), there is nothing to serve beside and it does nothing.
 */
final class ManagedSocketNettyWebServer implements WebServer {

	private final TcpNettyServer tcpServer;

	private final ManagedSocketNettyServerCustomizer onSocket;

	private final Supplier<HttpHandler> httpHandler;

	private volatile @Nullable NettyWebServer webServer;

	ManagedSocketNettyWebServer(TcpNettyServer tcpServer, ManagedSocketNettyServerCustomizer onSocket,
			Supplier<HttpHandler> httpHandler) {
		this.tcpServer = tcpServer;
		this.onSocket = onSocket;
		this.httpHandler = httpHandler;
	}

	@Override
	public void start() {
		if (this.webServer != null || !this.tcpServer.isBuilt()) {
			return;
		}
		// The handler is the application's, resolved at the first request as the context's own
		// server does.
		HttpHandler handler = (request, response) -> this.httpHandler.get().handle(request, response);
		NettyWebServer webServer = new NettyWebServer(this.onSocket.apply(this.tcpServer.server()),
				new ReactorHttpHandlerAdapter(handler), null, this.tcpServer.shutdown(), null);
		webServer.start();
		this.webServer = webServer;
	}

	@Override
	public void shutDownGracefully(GracefulShutdownCallback callback) {
		NettyWebServer webServer = this.webServer;
		if (webServer == null) {
			callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
			return;
		}
		webServer.shutDownGracefully(callback);
	}

	@Override
	public void stop() {
		NettyWebServer webServer = this.webServer;
		if (webServer != null) {
			webServer.stop();
			this.webServer = null;
		}
	}

	/**
	 * No port: the server is on the web socket.
	 * @return {@code -1}
	 */
	@Override
	public int getPort() {
		return -1;
	}

}
