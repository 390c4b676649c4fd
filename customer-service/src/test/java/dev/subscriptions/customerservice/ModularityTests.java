package dev.subscriptions.customerservice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import dev.subscriptions.eventing.test.MessagingEdge;

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
		MessagingEdge.verify(CustomerServiceApplication.class);
	}

}
