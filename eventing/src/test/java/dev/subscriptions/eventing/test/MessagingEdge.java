package dev.subscriptions.eventing.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rule every service's structure test applies: Avro records (the generated contract
 * classes and Avro itself) stay at the messaging edge, in {@code messaging} packages; the
 * domain, its SQL included, sees only domain values.
 */
public final class MessagingEdge {

	private MessagingEdge() {
	}

	/** Fails naming every class outside a {@code messaging} package that uses Avro. */
	public static void verify(Class<?> application) {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(application.getPackageName());
		noClasses().that()
			.resideOutsideOfPackage("..messaging..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.subscriptions.events..", "org.apache.avro..")
			.check(classes);
	}

}
