package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.asm.ClassWriter;
import org.springframework.asm.Opcodes;
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
 * Tests for {@link SpringBootGenerationCheck} on Spring Boot 4: a Spring Boot whose types are
 * missing (as a later generation may be) or glide-socket's Spring Boot 3.5 part stop startup
 * with one report, before any auto-configuration. glide-socket-autoconfigure-boot3 tests the
 * Spring Boot 3.5 side.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class SpringBootGenerationCheckTests {

	private static final String BOOT_4_TYPE = "org.springframework.boot.thread.Threading";

	@TempDir
	Path directory;

	@Test
	void startsOnThisSpringBoot() {
		try (ConfigurableApplicationContext context = run(getClass().getClassLoader(),
				"--glide.socket.path=" + this.directory.resolve("d.sock"))) {
			assertThat(context.getBean(GlideSocketLifecycle.class).isRunning()).isTrue();
		}
	}

	@Test
	void aSpringBootWithoutTheTypesOfASupportedGenerationFailsWithOneReport(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> run(new FilteredClassLoader(BOOT_4_TYPE),
					"--glide.socket.path=" + this.directory.resolve("d.sock")))
			.isInstanceOf(UnsupportedSpringBootException.class)
			.withMessage("This application runs Spring Boot " + SpringBootVersion.getVersion()
					+ ", which glide-socket does not support. glide-socket supports Spring Boot 3.5 (with "
					+ "glide-socket-starter-boot3), 4.0 and 4.1 (with glide-socket-starter).");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:")
			.contains("which glide-socket does not support")
			.contains("Action:")
			.contains("Run the application on Spring Boot 4.0 or 4.1 with glide-socket-starter, or on Spring Boot 3.5 "
					+ "with glide-socket-starter-boot3.")
			.doesNotContain("NoClassDefFoundError");
		assertThat(this.directory.resolve("d.sock")).doesNotExist();
	}

	@Test
	void theSpringBoot3PartOnSpringBoot4FailsNamingTheStarterToUse(CapturedOutput output) throws IOException {
		try (URLClassLoader withBoot3Part = withEmptyClass(SpringBootGenerationCheck.BOOT3_MODULE)) {
			assertThatException().isThrownBy(() -> run(withBoot3Part)).isInstanceOf(UnsupportedSpringBootException.class);
		}
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("This application runs Spring Boot " + SpringBootVersion.getVersion()
					+ " and has glide-socket-autoconfigure-boot3")
			.contains("On Spring Boot 4 depend on glide-socket-starter instead of glide-socket-starter-boot3.");
	}

	@Test
	void aSpringBootWithoutTheTypesStartsWhenGlideSocketIsDisabled() {
		try (ConfigurableApplicationContext context = run(new FilteredClassLoader(BOOT_4_TYPE),
				"--glide.socket.enabled=false")) {
			assertThat(context.getBeanNamesForType(GlideSocketLifecycle.class)).isEmpty();
		}
	}

	private static ConfigurableApplicationContext run(ClassLoader classLoader, String... args) {
		SpringApplication application = new SpringApplication(new DefaultResourceLoader(classLoader),
				TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	/**
	 * A class loader that has, besides the test's classes, an empty class of the given name.
	 */
	private URLClassLoader withEmptyClass(String name) throws IOException {
		ClassWriter writer = new ClassWriter(0);
		writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name.replace('.', '/'), null,
				"java/lang/Object", null);
		writer.visitEnd();
		Path file = this.directory.resolve("classes").resolve(name.replace('.', '/') + ".class");
		Files.createDirectories(file.getParent());
		Files.write(file, writer.toByteArray());
		return new URLClassLoader(new URL[] { this.directory.resolve("classes").toUri().toURL() },
				getClass().getClassLoader());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(GlideSocketAutoConfiguration.class)
	static class TestApplication {

	}

}
