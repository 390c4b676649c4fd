package dev.subscriptions.customerservice.customer;

import java.util.UUID;

/** The external id of a customer is set once and then cannot change. */
public class ExternalIdAlreadyAssigned extends RuntimeException {

	private final String externalId;

	public ExternalIdAlreadyAssigned(UUID customerId, String externalId) {
		super("Customer " + customerId + " already has external id " + externalId + "; it cannot change");
		this.externalId = externalId;
	}

	public String externalId() {
		return this.externalId;
	}

}
