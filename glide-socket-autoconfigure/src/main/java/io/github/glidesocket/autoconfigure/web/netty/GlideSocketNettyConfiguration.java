package io.github.glidesocket.autoconfigure.web.netty;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.function.SingletonSupplier;

/**
 * Puts Reactor Netty on the web socket; loaded only in a reactive web application with Reactor
 * Netty and Spring Boot 4's Reactor Netty module present. With {@code glide.socket.web.tcp=false}
 * the application's server moves to the socket; otherwise a second server, with the same
 * settings, serves the socket beside the TCP port.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
public final class GlideSocketNettyConfiguration {

	@Bean(destroyMethod = "destroy")
	ManagedSocketLoopResources glideSocketNettyLoopResources(WebServerSocket socket) {
		return new ManagedSocketLoopResources(socket);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "glide.socket.web.tcp", havingValue = false)
	static class SocketOnlyConfiguration {

		@Bean
		ManagedSocketNettyCustomizer glideSocketNettyCustomizer(WebServerSocket socket,
				ManagedSocketLoopResources loops) {
			return new ManagedSocketNettyCustomizer(new ManagedSocketNettyServerCustomizer(socket, loops));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "glide.socket.web.tcp", matchIfMissing = true)
	static class BesideTcpPortConfiguration {

		@Bean
		TcpNettyServer glideSocketTcpNettyServer(WebServerSocket socket) {
			return new TcpNettyServer(socket);
		}

		@Bean
		ManagedSocketNettyWebServer glideSocketNettyWebServer(TcpNettyServer tcpServer, WebServerSocket socket,
				ManagedSocketLoopResources loops, ObjectProvider<HttpHandler> httpHandler) {
			return new ManagedSocketNettyWebServer(tcpServer, new ManagedSocketNettyServerCustomizer(socket, loops),
					SingletonSupplier.of(httpHandler::getObject));
		}

		@Bean
		ManagedSocketNettyWebServerLifecycle glideSocketNettyWebServerLifecycle(ManagedSocketNettyWebServer server) {
			return new ManagedSocketNettyWebServerLifecycle(server);
		}

		@Bean
		WebServerGracefulShutdownLifecycle glideSocketNettyWebServerGracefulShutdown(ManagedSocketNettyWebServer server) {
			return new WebServerGracefulShutdownLifecycle(server);
		}

	}

}
