package dev.subscriptions.benefitservice;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

import dev.subscriptions.eventing.test.MessagingEdge;

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
		MessagingEdge.verify(BenefitServiceApplication.class);
	}

}
