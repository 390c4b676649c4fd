package dev.subscriptions.subscriptionservice;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

import dev.subscriptions.eventing.test.MessagingEdge;

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
		MessagingEdge.verify(SubscriptionServiceApplication.class);
	}

}
