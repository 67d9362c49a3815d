package io.github.glidesocket;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the library packages ({@code metrics}, {@code health}, {@code actuate}) free of
 * configuration, and the core auto-configuration free of the optional libraries, so that it
 * loads without Micrometer or the actuator on the class path.
 */
class LibraryPackageDependencyTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.glidesocket");

	@Test
	void libraryPackagesDoNotDependOnTheAutoConfiguration() {
		noClasses().that()
			.resideInAnyPackage("io.github.glidesocket.metrics..", "io.github.glidesocket.health..",
					"io.github.glidesocket.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.glidesocket.autoconfigure..")
			.check(classes);
	}

	@Test
	void coreAutoConfigurationDoesNotDependOnOptionalLibraries() {
		noClasses().that()
			.resideInAPackage("io.github.glidesocket.autoconfigure")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.micrometer..", "org.springframework.boot.actuate..",
					"org.springframework.boot.health..", "org.springframework.boot.micrometer..",
					"io.github.glidesocket.metrics..", "io.github.glidesocket.health..", "io.github.glidesocket.actuate..")
			.check(classes);
	}

}
