package io.github.glidesocket.boot3.autoconfigure;

import java.nio.file.Path;

import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.GlideSocketLifecycle;
import io.github.glidesocket.boot3.autoconfigure.health.GlideSocketHealthContributorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * glide-socket's check of the Spring Boot generation, on Spring Boot 3.5: it passes with this
 * module, and stops startup with one report without it or on a Spring Boot older than 3.5.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class SpringBootGenerationCheckTests {

	@TempDir
	Path directory;

	@Test
	void startsOnSpringBoot35WithThisModule() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		try (ConfigurableApplicationContext context = run(getClass().getClassLoader())) {
			assertThat(context.getBean(GlideSocketLifecycle.class).isRunning()).isTrue();
		}
	}

	@Test
	void withoutThisModuleStartupFailsNamingTheStarterToUse(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> run(new FilteredClassLoader(GlideSocketHealthContributorAutoConfiguration.class)))
			.withMessage("This application runs Spring Boot " + SpringBootVersion.getVersion()
					+ " without glide-socket-autoconfigure-boot3, glide-socket's part for Spring Boot 3.5. glide-socket "
					+ "supports Spring Boot 3.5 (with glide-socket-starter-boot3), 4.0 and 4.1 (with glide-socket-starter).");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("On Spring Boot 3.5 depend on glide-socket-starter-boot3 instead of glide-socket-starter.");
		assertThat(this.directory.resolve("d.sock")).doesNotExist();
	}

	@Test
	void aSpringBootOlderThan35FailsNamingTheSupportedOnes(CapturedOutput output) {
		// Spring Boot 3.4 and older lack this condition, which 3.5 added.
		FilteredClassLoader boot34 = new FilteredClassLoader(
				"org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty");
		assertThatException().isThrownBy(() -> run(boot34))
			.withMessageContaining("which glide-socket does not support. glide-socket supports Spring Boot 3.5");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Run the application on Spring Boot 4.0 or 4.1 with glide-socket-starter, or on Spring Boot 3.5 "
					+ "with glide-socket-starter-boot3.")
			.doesNotContain("NoClassDefFoundError");
	}

	private ConfigurableApplicationContext run(ClassLoader classLoader) {
		SpringApplication application = new SpringApplication(new DefaultResourceLoader(classLoader),
				TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run("--glide.socket.path=" + this.directory.resolve("d.sock"));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ GlideSocketAutoConfiguration.class, GlideSocketHealthContributorAutoConfiguration.class })
	static class TestApplication {

	}

}
