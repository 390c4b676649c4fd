package dev.subscriptions.subscriptionservice.subscription;

import java.util.UUID;

/** The subscription has ended (canceled or revoked): it cannot change any more. */
public class SubscriptionAlreadyEnded extends TransitionRefused {

	public SubscriptionAlreadyEnded(UUID id, String action, SubscriptionStatus status) {
		super(id, action, status, "Subscription " + id + " has already ended (status " + status.value()
				+ "); it cannot " + action.replace('_', ' '));
	}

}
