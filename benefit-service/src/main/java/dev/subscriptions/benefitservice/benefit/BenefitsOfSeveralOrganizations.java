package dev.subscriptions.benefitservice.benefit;

import java.util.Set;
import java.util.UUID;

/**
 * A product was to be mapped to benefits of more than one organization; a product belongs
 * to one.
 */
public class BenefitsOfSeveralOrganizations extends RuntimeException {

	public BenefitsOfSeveralOrganizations(UUID productId, Set<UUID> organizations) {
		super("The benefits of product " + productId + " belong to several organizations " + organizations
				+ "; a product grants benefits of one organization only");
	}

}
