package io.github.glidesocket;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the core usable from plain Java: it depends on the JDK, junixsocket and JSpecify only,
 * and nothing in it reaches up into the Spring integration.
 */
class PackageDependencyTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.glidesocket");

	@Test
	void coreDoesNotDependOnSpringOrMicrometer() {
		noClasses().that()
			.resideInAPackage("io.github.glidesocket.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.micrometer..", "jakarta..")
			.check(classes);
	}

	@Test
	void coreDoesNotDependOnTheIntegrationPackages() {
		noClasses().that()
			.resideInAPackage("io.github.glidesocket.core..")
			.should()
			.dependOnClassesThat()
			.resideOutsideOfPackages("io.github.glidesocket.core..", "java..", "javax..", "org.newsclub..",
					"org.jspecify..")
			.check(classes);
	}

}
