package io.github.glidesocket.core;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core's shape: usable from plain Java (the JDK, junixsocket and JSpecify only), its API
 * package readable on its own, and no package cycles.
 */
class ArchitectureTests {

	private static final String API = "io.github.glidesocket.core";

	private static final String INTERNAL = "io.github.glidesocket.core.internal..";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(API);

	@Test
	void coreDependsOnTheJdkJunixsocketAndJSpecifyOnly() {
		noClasses().that()
			.resideInAPackage(API + "..")
			.should()
			.dependOnClassesThat()
			.resideOutsideOfPackages(API + "..", "java..", "javax..", "jdk.net..", "org.newsclub..", "org.jspecify..")
			.check(classes);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void apiPackageDoesNotDependOnTheInternals() {
		noClasses().that()
			.resideInAPackage(API)
			.should()
			.dependOnClassesThat()
			.resideInAPackage(INTERNAL)
			.check(classes);
	}

	@Test
	void publicApiSignaturesMentionNoInternalType() {
		members().that()
			.areDeclaredInClassesThat(publicApiTypes())
			.and()
			.arePublic()
			.should(mentionNoInternalType())
			.check(classes);
	}

	private static DescribedPredicate<JavaClass> publicApiTypes() {
		return DescribedPredicate.describe("public types of the API package",
				(type) -> type.getPackageName().equals(API) && type.getModifiers().contains(JavaModifier.PUBLIC));
	}

	private static ArchCondition<JavaMember> mentionNoInternalType() {
		return new ArchCondition<>("mention no internal type in their signature") {

			@Override
			public void check(JavaMember member, ConditionEvents events) {
				Set<JavaClass> involved = (member instanceof JavaCodeUnit codeUnit) ? signatureTypes(codeUnit)
						: ((JavaField) member).getType().getAllInvolvedRawTypes();
				Set<String> internal = involved.stream()
					.map(JavaClass::getName)
					.filter((name) -> name.startsWith(API + ".internal."))
					.collect(Collectors.toSet());
				if (!internal.isEmpty()) {
					events.add(SimpleConditionEvent.violated(member,
							member.getFullName() + " mentions internal types " + internal));
				}
			}

		};
	}

	private static Set<JavaClass> signatureTypes(JavaCodeUnit codeUnit) {
		Set<JavaClass> types = new HashSet<>(codeUnit.getReturnType().getAllInvolvedRawTypes());
		codeUnit.getParameterTypes().forEach((type) -> types.addAll(type.getAllInvolvedRawTypes()));
		codeUnit.getThrowsClause().getTypes().forEach(types::add);
		return types;
	}

}
