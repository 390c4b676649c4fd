package dev.subscriptions.benefitservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * The modules of benefit-service ({@code benefit}, {@code grant}) depend on each other's
 * API only, and without cycles.
 */
class ModularityTests {

	@Test
	void keepsTheModulesFreeOfCyclesAndOfEachOthersInternals() {
		ApplicationModules.of(BenefitServiceApplication.class).verify();
	}

	@Test
	void keepsAvroRecordsOutOfEveryPackageButTheMessagingEdge() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(BenefitServiceApplication.class.getPackageName());

		noClasses().that()
			.resideOutsideOfPackage("..messaging..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.subscriptions.events..", "org.apache.avro..")
			.check(classes);
	}

}
