package dev.subscriptions.benefitservice.benefit;

import java.util.UUID;

/** No live benefit has this id. */
public class BenefitNotFound extends RuntimeException {

	public BenefitNotFound(UUID id) {
		super("Benefit " + id + " not found");
	}

}
