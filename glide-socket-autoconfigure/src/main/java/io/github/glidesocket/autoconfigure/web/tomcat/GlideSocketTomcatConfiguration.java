package io.github.glidesocket.autoconfigure.web.tomcat;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts Tomcat on the web socket; loaded only when Tomcat and Spring Boot 4's Tomcat module are
 * present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Tomcat.class, Http11NioProtocol.class, TomcatWebServerFactory.class })
public final class GlideSocketTomcatConfiguration {

	@Bean
	ManagedSocketTomcatCustomizer glideSocketTomcatCustomizer(WebServerSocket socket) {
		return new ManagedSocketTomcatCustomizer(socket);
	}

}
