package dev.subscriptions.benefitservice.grant;

import java.time.Instant;
import java.util.UUID;

/**
 * One change of a subscription, as grants see it: what changed, of which subscription,
 * its place in the subscription's sequence and when.
 */
public record SubscriptionChanged(SubscriptionChange change, UUID organizationId, UUID customerId, UUID subscriptionId,
		UUID productId, long sequence, Instant occurredAt) {

}
