package dev.subscriptions.subscriptionservice.subscription;

import java.util.UUID;

/** No subscription has this id. */
public class SubscriptionNotFound extends RuntimeException {

	public SubscriptionNotFound(UUID id) {
		super("Subscription " + id + " not found");
	}

}
