package io.github.glidesocket.autoconfigure.web.netty;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.netty.channel.unix.DomainSocketAddress;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Puts a Reactor Netty server on the web socket: its address is the socket's path, and it runs
 * on {@link ManagedSocketLoopResources}, whose server channel takes the connections glide-socket
 * admits instead of binding. The factory must not re-apply its own loops afterwards (see
 * {@link org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory#setResourceFactory}).
 */
final class ManagedSocketNettyServerCustomizer implements NettyServerCustomizer {

	private final WebServerSocket socket;

	private final ManagedSocketLoopResources loops;

	ManagedSocketNettyServerCustomizer(WebServerSocket socket, ManagedSocketLoopResources loops) {
		this.socket = socket;
		this.loops = loops;
	}

	WebServerSocket socket() {
		return this.socket;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		DomainSocketAddress address = new DomainSocketAddress(this.socket.path());
		return server.bindAddress(() -> address).runOn(this.loops, false);
	}

}
