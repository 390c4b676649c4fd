package dev.subscriptions.customerservice;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * The application modules of customer-service ({@code customer}, {@code deletion}) depend on one another only through
 * their top-level packages, and without cycles.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(CustomerServiceApplication.class);

	@Test
	void keepsTheModulesFreeOfCyclesAndOfAccessToTheirInternals() {
		this.modules.verify();
	}

}
