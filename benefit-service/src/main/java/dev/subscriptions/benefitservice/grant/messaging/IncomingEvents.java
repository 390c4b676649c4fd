package dev.subscriptions.benefitservice.grant.messaging;

import java.time.Instant;
import java.util.UUID;

import dev.subscriptions.benefitservice.grant.SubscriptionChange;
import dev.subscriptions.benefitservice.grant.SubscriptionChanged;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.events.subscription.SubscriptionUncanceled;

/**
 * benefit-service's one Avro → domain mapper: each subscription record becomes the
 * {@link SubscriptionChanged} it stands for, a deleted customer its id. What a change
 * then does to grants is {@link SubscriptionChange}'s business.
 */
final class IncomingEvents {

	/**
	 * The {@code SubscriptionEnded.reason} of a subscription that its customer's deletion
	 * ended.
	 */
	static final String CUSTOMER_DELETED = "customer_deleted";

	/** The {@code SubscriptionPaused.mode} that keeps access. */
	static final String FREE = "free";

	private IncomingEvents() {
	}

	static SubscriptionChanged changed(SubscriptionCreated created) {
		return changed(SubscriptionChange.CREATED, created.getOrganizationId(), created.getCustomerId(),
				created.getSubscriptionId(), created.getProductId(), created.getSequence(), created.getOccurredAt());
	}

	static SubscriptionChanged changed(SubscriptionActivated activated) {
		return changed(SubscriptionChange.ACTIVATED, activated.getOrganizationId(), activated.getCustomerId(),
				activated.getSubscriptionId(), activated.getProductId(), activated.getSequence(),
				activated.getOccurredAt());
	}

	static SubscriptionChanged changed(SubscriptionResumed resumed) {
		return changed(SubscriptionChange.RESUMED, resumed.getOrganizationId(), resumed.getCustomerId(),
				resumed.getSubscriptionId(), resumed.getProductId(), resumed.getSequence(), resumed.getOccurredAt());
	}

	static SubscriptionChanged changed(SubscriptionUncanceled uncanceled) {
		return changed(SubscriptionChange.UNCANCELED, uncanceled.getOrganizationId(), uncanceled.getCustomerId(),
				uncanceled.getSubscriptionId(), uncanceled.getProductId(), uncanceled.getSequence(),
				uncanceled.getOccurredAt());
	}

	static SubscriptionChanged changed(SubscriptionCanceled canceled) {
		SubscriptionChange change = canceled.getAtPeriodEnd() ? SubscriptionChange.CANCELED_AT_PERIOD_END
				: SubscriptionChange.CANCELED_IMMEDIATELY;
		return changed(change, canceled.getOrganizationId(), canceled.getCustomerId(), canceled.getSubscriptionId(),
				canceled.getProductId(), canceled.getSequence(), canceled.getOccurredAt());
	}

	/**
	 * Past due within the grace period, or with the grace over ({@code grace_over}: the
	 * provider gave up collecting).
	 */
	static SubscriptionChanged changed(SubscriptionPastDue pastDue) {
		SubscriptionChange change = pastDue.getGraceOver() ? SubscriptionChange.PAST_DUE_GRACE_OVER
				: SubscriptionChange.PAST_DUE;
		return changed(change, pastDue.getOrganizationId(), pastDue.getCustomerId(), pastDue.getSubscriptionId(),
				pastDue.getProductId(), pastDue.getSequence(), pastDue.getOccurredAt());
	}

	/** Paused {@code free} keeps access; any other mode ({@code void}) suspends it. */
	static SubscriptionChanged changed(SubscriptionPaused paused) {
		SubscriptionChange change = FREE.equalsIgnoreCase(paused.getMode()) ? SubscriptionChange.PAUSED_FREE
				: SubscriptionChange.PAUSED_VOID;
		return changed(change, paused.getOrganizationId(), paused.getCustomerId(), paused.getSubscriptionId(),
				paused.getProductId(), paused.getSequence(), paused.getOccurredAt());
	}

	/**
	 * Ended by the customer's deletion, or for any other reason of the subscription's
	 * own.
	 */
	static SubscriptionChanged changed(SubscriptionEnded ended) {
		SubscriptionChange change = CUSTOMER_DELETED.equals(ended.getReason())
				? SubscriptionChange.ENDED_BY_CUSTOMER_DELETION : SubscriptionChange.ENDED;
		return changed(change, ended.getOrganizationId(), ended.getCustomerId(), ended.getSubscriptionId(),
				ended.getProductId(), ended.getSequence(), ended.getOccurredAt());
	}

	static UUID customerId(CustomerDeleted deleted) {
		return UUID.fromString(deleted.getCustomerId());
	}

	static UUID eventId(String eventId) {
		return UUID.fromString(eventId);
	}

	private static SubscriptionChanged changed(SubscriptionChange change, String organizationId, String customerId,
			String subscriptionId, String productId, long sequence, Instant occurredAt) {
		return new SubscriptionChanged(change, UUID.fromString(organizationId), UUID.fromString(customerId),
				UUID.fromString(subscriptionId), UUID.fromString(productId), sequence, occurredAt);
	}

}
