package io.github.glidesocket;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.glidesocket.health.GlideSocketHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * glide-socket-autoconfigure serves Spring Boot 3.5, 4.0 and 4.1 alike (see
 * docs/spring-boot.md): only Spring Boot 4's health indicator and its auto-configuration use
 * types that one generation has and another has not, and nothing uses what only Spring Boot 4.1
 * made public. The consumer builds of glide-socket-starter run it on each.
 */
class SpringBootGenerationsTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.glidesocket");

	@Test
	void onlySpringBoot4sHealthIndicatorUsesTypesOfOneGeneration() {
		noClasses().that()
			.doNotHaveFullyQualifiedName(GlideSocketHealthIndicator.class.getName())
			.and()
			.resideOutsideOfPackages("io.github.glidesocket.autoconfigure.health",
					// The embedded web servers' sockets are for Spring Boot 4 only; their own conditions say so.
					"io.github.glidesocket..web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot.thread..", "org.springframework.boot.autoconfigure.thread..",
					"org.springframework.boot.health..", "org.springframework.boot.actuate.health..",
					"org.springframework.boot.actuate.autoconfigure.health..", "org.springframework.boot.micrometer..",
					"org.springframework.boot.actuate.autoconfigure.metrics..")
			.check(classes);
	}

	@Test
	void noCallOfTheConstructorThatOnlySpringBoot41MadePublic() {
		noClasses().should()
			.callConstructor(InvalidConfigurationPropertyValueException.class, String.class, Object.class, String.class,
					Throwable.class)
			.check(classes);
	}

}
