package dev.subscriptions.subscriptionservice.subscription;

import java.util.UUID;

/** The customer was deleted: nothing new may be created for it. */
public class CustomerAlreadyDeleted extends RuntimeException {

	public CustomerAlreadyDeleted(UUID customerId) {
		super("Customer " + customerId + " has been deleted");
	}

}
