package io.github.glidesocket.autoconfigure.endpoint;

import java.nio.file.Path;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link GlideSocketsEndpointAutoConfiguration}.
 */
class GlideSocketsEndpointAutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(GlideSocketAutoConfiguration.class, GlideSocketsEndpointAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + this.directory.resolve("d.sock"));
	}

	@Test
	void runWhenExposedShouldCreateEndpoint() {
		contextRunner().withPropertyValues("management.endpoints.web.exposure.include=glidesockets")
			.run((context) -> {
				assertThat(context).hasSingleBean(GlideSocketsEndpoint.class);
				assertThat(context.getBean(GlideSocketsEndpoint.class).socket("default").getReferences()).isEqualTo(1);
			});
	}

	@Test
	void aPoolIsListedAndSelectedMemberByMember() {
		contextRunner().withPropertyValues("management.endpoints.web.exposure.include=glidesockets",
				"glide.socket.pool-size=2")
			.run((context) -> {
				GlideSocketsEndpoint endpoint = context.getBean(GlideSocketsEndpoint.class);
				assertThat(endpoint.sockets().getSockets()).extracting(GlideSocketsEndpoint.SocketDescriptor::getName,
						GlideSocketsEndpoint.SocketDescriptor::getPath, GlideSocketsEndpoint.SocketDescriptor::getReferences)
					.containsExactly(tuple("default-0", this.directory.resolve("d-0.sock").toString(), 1),
							tuple("default-1", this.directory.resolve("d-1.sock").toString(), 1));
				assertThat(endpoint.socket("default-1").getState()).isEqualTo("ACTIVE");
				assertThat(endpoint.socket("default")).isNull();
			});
	}

	@Test
	void runWhenNotExposedShouldNotCreateEndpoint() {
		contextRunner().run((context) -> assertThat(context).doesNotHaveBean(GlideSocketsEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotCreateEndpoint() {
		contextRunner()
			.withPropertyValues("management.endpoints.web.exposure.include=glidesockets",
					"management.endpoint.glidesockets.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(GlideSocketsEndpoint.class));
	}

	@Test
	void runWithoutActuatorShouldNotCreateEndpoint() {
		contextRunner().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=glidesockets")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("glideSocketsEndpoint"));
	}

}
