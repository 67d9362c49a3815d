package io.github.glidesocket.autoconfigure.endpoint;

import java.nio.file.Path;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.actuate.GlideSocketsEndpoint.HolderDescriptor;
import io.github.glidesocket.autoconfigure.GlideSocket;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The endpoint names the bean and injection point of each injected reference among a socket's
 * holders.
 */
@Timeout(30)
class GlideSocketsEndpointHoldersAutoConfigurationTests {

	@TempDir
	Path directory;

	@Test
	void injectedReferencesAreListedWithTheirBeanAndInjectionPoint() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(GlideSocketAutoConfiguration.class, GlideSocketsEndpointAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + this.directory.resolve("d.sock"),
					"glide.socket.sockets.admin.path=" + this.directory.resolve("a.sock"),
					"glide.socket.sockets.admin.listen-on-startup=false", "glide.socket.leak-detection=paranoid",
					"management.endpoints.web.exposure.include=glidesockets")
			.withBean("adminClient", AdminClient.class)
			.run((context) -> {
				GlideSocketsEndpoint endpoint = context.getBean(GlideSocketsEndpoint.class);
				GlideSocketsEndpoint.SocketDescriptor admin = endpoint.socket("admin");
				assertThat(admin.getHolders()).extracting(HolderDescriptor::getBean, HolderDescriptor::getInjectionPoint)
					.containsExactly(tuple("adminClient", "parameter 0 of constructor of " + AdminClient.class.getName()));
				assertThat(admin.getHolders().get(0).getAcquisitionSite()).isNotEmpty();
				GlideSocketsEndpoint.SocketDescriptor socket = endpoint.socket("default");
				assertThat(socket.getHolders()).as("the lifecycle's reference, which no bean was injected with")
					.extracting(HolderDescriptor::getBean)
					.containsExactly((String) null);
				assertThat(socket.getHolders().get(0).getAcquisitionSite())
					.anyMatch((frame) -> frame.startsWith("io.github.glidesocket.autoconfigure.GlideSocketLifecycle.start("));
			});
	}

	static class AdminClient {

		final SocketReference socket;

		AdminClient(@GlideSocket("admin") SocketReference socket) {
			this.socket = socket;
		}

	}

}
