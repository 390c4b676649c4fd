package dev.subscriptions.subscriptionservice.subscription;

import java.util.UUID;

/** No customer with this id is known to this service (yet). */
public class CustomerUnknown extends RuntimeException {

	public CustomerUnknown(UUID customerId) {
		super("Customer " + customerId + " is not known");
	}

}
