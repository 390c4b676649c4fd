package dev.subscriptions.subscriptionservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * The service's modules ({@code customer}, the replica; {@code subscription}, which
 * depends on it) stay free of cycles, and no module reaches into another's internal
 * packages (as spring-restbucks' {@code ModularityTests}).
 */
class ModularityTests {

	@Test
	void keepsItsModulesFreeOfCyclesAndOfEachOthersInternals() {
		ApplicationModules.of(SubscriptionServiceApplication.class).verify();
	}

	@Test
	void keepsAvroRecordsOutOfEveryPackageButTheMessagingEdge() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(SubscriptionServiceApplication.class.getPackageName());

		noClasses().that()
			.resideOutsideOfPackage("..messaging..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.subscriptions.events..", "org.apache.avro..")
			.check(classes);
	}

}
