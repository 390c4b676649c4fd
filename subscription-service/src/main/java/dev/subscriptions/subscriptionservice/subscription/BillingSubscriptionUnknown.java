package dev.subscriptions.subscriptionservice.subscription;

/**
 * A billing record refers to a provider subscription that no subscription of ours is
 * linked to, and cannot create one: a snapshot without {@code customer_id} and
 * {@code product_id}, or an invoice event. Its first snapshot may still be on the way, so
 * the record is retried (a bounded number of times), then dead-lettered with this
 * message.
 */
public class BillingSubscriptionUnknown extends RuntimeException {

	public BillingSubscriptionUnknown(BillingChange change, String why) {
		super("No subscription is linked to " + change.provider() + ":" + change.providerSubscriptionId()
				+ " (billing event " + change.eventId() + "): " + why);
	}

}
