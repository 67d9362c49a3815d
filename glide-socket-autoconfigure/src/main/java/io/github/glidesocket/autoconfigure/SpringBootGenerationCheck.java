package io.github.glidesocket.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Stops the start of an application whose Spring Boot glide-socket does not support, or that has
 * the starter of another Spring Boot generation, with one message that names the version found
 * and the supported ones. Without it such an application would meet a missing type half-way
 * (a {@link NoClassDefFoundError}), or start without health and meters. It runs before the
 * context is refreshed, so before any auto-configuration.
 * <p>
 * A generation is recognised by a type that only it has, not by its version number, so that a
 * later release of a supported line passes while one whose types are gone does not.
 */
final class SpringBootGenerationCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The supported lines, as the messages and the documentation name them. */
	static final String SUPPORTED = "Spring Boot 3.5 (with glide-socket-starter-boot3), 4.0 and 4.1 "
			+ "(with glide-socket-starter)";

	/** Since Spring Boot 3.5; the auto-configuration uses it. */
	private static final String SINCE_3_5 = "org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty";

	/** Spring Boot 3.2 to 3.5; Spring Boot 4 moved it to {@code org.springframework.boot.thread}. */
	private static final String BOOT_3 = "org.springframework.boot.autoconfigure.thread.Threading";

	/** Spring Boot 4. */
	private static final String BOOT_4 = "org.springframework.boot.thread.Threading";

	/** The auto-configuration of glide-socket-autoconfigure-boot3, which glide-socket-starter-boot3 brings. */
	static final String BOOT3_MODULE = "io.github.glidesocket.boot3.autoconfigure.health.GlideSocketHealthContributorAutoConfiguration";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (!context.getEnvironment().getProperty("glide.socket.enabled", Boolean.class, true)) {
			return;
		}
		ClassLoader classLoader = context.getClassLoader();
		boolean since35 = ClassUtils.isPresent(SINCE_3_5, classLoader);
		boolean boot4 = since35 && ClassUtils.isPresent(BOOT_4, classLoader);
		boolean boot35 = since35 && !boot4 && ClassUtils.isPresent(BOOT_3, classLoader);
		boolean boot3Module = ClassUtils.isPresent(BOOT3_MODULE, classLoader);
		String found = "Spring Boot " + version();
		if (boot4 && boot3Module) {
			throw new UnsupportedSpringBootException("This application runs " + found
					+ " and has glide-socket-autoconfigure-boot3, glide-socket's part for Spring Boot 3.5. glide-socket "
					+ "supports " + SUPPORTED + ".",
					"On Spring Boot 4 depend on glide-socket-starter instead of glide-socket-starter-boot3.");
		}
		if (boot35 && !boot3Module) {
			throw new UnsupportedSpringBootException("This application runs " + found
					+ " without glide-socket-autoconfigure-boot3, glide-socket's part for Spring Boot 3.5. glide-socket "
					+ "supports " + SUPPORTED + ".",
					"On Spring Boot 3.5 depend on glide-socket-starter-boot3 instead of glide-socket-starter.");
		}
		if (!boot4 && !boot35) {
			throw new UnsupportedSpringBootException("This application runs " + found
					+ ", which glide-socket does not support. glide-socket supports " + SUPPORTED + ".",
					"Run the application on Spring Boot 4.0 or 4.1 with glide-socket-starter, or on Spring Boot 3.5 "
							+ "with glide-socket-starter-boot3.");
		}
	}

	private static String version() {
		@Nullable String version = SpringBootVersion.getVersion();
		return (version != null) ? version : "(version unknown)";
	}

}
