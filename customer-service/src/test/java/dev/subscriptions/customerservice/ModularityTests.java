package dev.subscriptions.customerservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The structure of customer-service: its application modules ({@code customer},
 * {@code deletion}) depend on one another only through their top-level packages, without
 * cycles, and the Avro contract stays at the messaging edge.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(CustomerServiceApplication.class);

	@Test
	void keepsTheModulesFreeOfCyclesAndOfAccessToTheirInternals() {
		assertThat(this.modules.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
			.containsExactlyInAnyOrder("customer", "deletion");
		this.modules.verify();
	}

	@Test
	void keepsAvroRecordsOutOfEveryPackageButTheMessagingEdge() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(CustomerServiceApplication.class.getPackageName());

		noClasses().that()
			.resideOutsideOfPackage("..messaging..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.subscriptions.events..", "org.apache.avro..")
			.check(classes);
	}

}
