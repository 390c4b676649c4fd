package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;

/**
 * Writes what a billing provider's webhook said to {@code billing.events}, through the
 * outbox: in the transaction that records the delivery, so a delivery is published if and
 * only if it is acknowledged. The subscriptions then follow it as they follow any other
 * billing system's record.
 */
@Component
public class BillingEvents {

	private final Outbox outbox;

	BillingEvents(Outbox outbox) {
		this.outbox = outbox;
	}

	/**
	 * Appends {@code change} to the outbox, keyed
	 * {@code <provider>:<provider_subscription_id>}. Must run inside a transaction.
	 * @return its event id
	 */
	public UUID append(BillingChange change) {
		return this.outbox.append(Topic.BILLING_EVENTS.topicName(),
				Topic.billingKey(change.provider(), change.providerSubscriptionId()),
				BillingEventMapper.toRecord(change));
	}

}
