package io.github.glidesocket.autoconfigure.web.jetty;

import java.util.Objects;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Gives the Jetty web server factory the {@link ManagedSocketServerCustomizer}. It runs before
 * Spring Boot's own Jetty customizers, so that the connector settings they add (such as
 * {@code server.jetty.connection-idle-timeout} or the header sizes) reach the socket's
 * connector as they reach Boot's.
 */
public class ManagedSocketJettyFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

	/**
	 * The {@link #getOrder() order}: before Spring Boot's Jetty customizers (order 0).
	 */
	public static final int ORDER = -1;

	private final ManagedSocketServerCustomizer serverCustomizer;

	/**
	 * Create a factory customizer.
	 * @param serverCustomizer the server customizer to give the factory
	 */
	public ManagedSocketJettyFactoryCustomizer(ManagedSocketServerCustomizer serverCustomizer) {
		this.serverCustomizer = Objects.requireNonNull(serverCustomizer, "'serverCustomizer' must not be null");
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		factory.addServerCustomizers(this.serverCustomizer);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
