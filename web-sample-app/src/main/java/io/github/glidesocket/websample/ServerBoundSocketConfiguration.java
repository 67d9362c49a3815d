package io.github.glidesocket.websample;

import java.nio.file.Path;

import io.netty.channel.unix.DomainSocketAddress;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The baseline of the web benchmark ({@code benchmarks/web}): with
 * {@code web-sample.server-bound-socket=PATH}, the web server binds a Unix socket itself, as each
 * server can without glide-socket, in place of its TCP port. Never used by the tests.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(ServerBoundSocketConfiguration.PROPERTY)
// Imported, not annotated: component scanning would find annotated nested classes on its own.
@Import({ ServerBoundSocketConfiguration.TomcatBound.class, ServerBoundSocketConfiguration.JettyBound.class,
		ServerBoundSocketConfiguration.ReactorNettyBound.class })
class ServerBoundSocketConfiguration {

	static final String PROPERTY = "web-sample.server-bound-socket";

	@ConditionalOnClass(Tomcat.class)
	static class TomcatBound {

		@Bean
		TomcatConnectorCustomizer serverBoundSocket(@Value("${" + PROPERTY + "}") String path) {
			return (connector) -> connector.setProperty("unixDomainSocketPath", path);
		}

	}

	@ConditionalOnClass({ Server.class, UnixDomainServerConnector.class })
	static class JettyBound {

		@Bean
		JettyServerCustomizer serverBoundSocket(@Value("${" + PROPERTY + "}") String path) {
			return (server) -> {
				UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
				connector.setUnixDomainPath(Path.of(path));
				server.setConnectors(new Connector[] { connector });
			};
		}

	}

	@ConditionalOnClass(HttpServer.class)
	static class ReactorNettyBound {

		@Bean
		NettyServerCustomizer serverBoundSocket(@Value("${" + PROPERTY + "}") String path) {
			return (server) -> server.bindAddress(() -> new DomainSocketAddress(path));
		}

	}

}
