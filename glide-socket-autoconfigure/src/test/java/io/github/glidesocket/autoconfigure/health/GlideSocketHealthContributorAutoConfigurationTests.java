package io.github.glidesocket.autoconfigure.health;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.health.GlideSocketHealthIndicator;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GlideSocketHealthContributorAutoConfiguration}.
 */
class GlideSocketHealthContributorAutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class,
					GlideSocketHealthContributorAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + this.directory.resolve("d.sock"));
	}

	@Test
	void runShouldCreateIndicatorNamedForTheGlideSocketComponent() {
		contextRunner().run((context) -> {
			assertThat(context).hasSingleBean(GlideSocketHealthIndicator.class).hasBean("glideSocketHealthIndicator");
			assertThat(context.getBean(GlideSocketHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void aPoolMemberWhoseFileIsRemovedMakesHealthDownNamingTheMember() throws Exception {
		contextRunner().withPropertyValues("glide.socket.pool-size=2", "glide.socket.file-check-interval=1h")
			.run((context) -> {
				GlideSocketHealthIndicator indicator = context.getBean(GlideSocketHealthIndicator.class);
				Health up = indicator.health();
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(up.getDetails()).containsEntry("sockets", 2).containsEntry("references", 2);
				Files.delete(this.directory.resolve("d-1.sock"));
				Health down = indicator.health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails().get("failing_sockets")).asInstanceOf(InstanceOfAssertFactories.LIST)
					.singleElement()
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("name", "default-1")
					.containsEntry("path", this.directory.resolve("d-1.sock").toString())
					.containsEntry("file", "MISSING");
			});
	}

	@ParameterizedTest // Spring Boot's own form (diskspace for diskSpace) and the component's name
	@ValueSource(strings = { "management.health.glidesocket.enabled", "management.health.glideSocket.enabled" })
	void runWhenDisabledShouldNotCreateIndicator(String property) {
		contextRunner().withPropertyValues(property + "=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GlideSocketHealthIndicator.class));
	}

	@Test
	void runWithoutHealthModuleShouldNotCreateIndicator() {
		contextRunner().withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("glideSocketHealthIndicator"));
	}

	@Test
	void runWithUserIndicatorOfTheSameNameShouldBackOff() {
		contextRunner().withBean("glideSocketHealthIndicator", HealthIndicator.class, () -> () -> null)
			.run((context) -> assertThat(context).doesNotHaveBean(GlideSocketHealthIndicator.class));
	}

}
