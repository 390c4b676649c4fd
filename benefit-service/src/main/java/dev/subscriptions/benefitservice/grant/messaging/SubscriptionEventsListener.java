package dev.subscriptions.benefitservice.grant.messaging;

import java.time.Instant;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.benefitservice.grant.Access;
import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.benefitservice.grant.GrantManagement.SubscriptionFacts;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.events.subscription.SubscriptionUncanceled;

/**
 * Grants follow {@code subscription.events}. Each event is turned into the access it calls for and applied in one
 * transaction with its inbox entry; events older than the last applied for their subscription are ignored.
 */
@Component
class SubscriptionEventsListener {

	static final String CONSUMER = "benefit-service";

	private final Inbox inbox;

	private final GrantManagement grants;

	SubscriptionEventsListener(Inbox inbox, GrantManagement grants) {
		this.inbox = inbox;
		this.grants = grants;
	}

	@KafkaListener(topics = "subscription.events", groupId = CONSUMER)
	@Transactional
	public void on(ConsumerRecord<String, Object> record) {
		if (!(record.value() instanceof SpecificRecord event) || event.getSchema().getField("sequence") == null) {
			return;
		}
		if (!this.inbox.markProcessed(CONSUMER, UUID.fromString(field(event, "event_id")))) {
			return;
		}
		this.grants.apply(facts(event), event.getSchema().getName(), access(event), revocationReason(event));
	}

	/**
	 * The access each event calls for: created, activated, resumed, uncanceled and canceled at period end keep or give
	 * access; paused with mode {@code void} suspends it ({@code free} keeps it); past due keeps it (for the grace
	 * period, which {@link GrantManagement} enforces); ended revokes it.
	 */
	Access access(SpecificRecord event) {
		if (event instanceof SubscriptionCreated || event instanceof SubscriptionActivated
				|| event instanceof SubscriptionResumed || event instanceof SubscriptionUncanceled) {
			return Access.GRANTED;
		}
		if (event instanceof SubscriptionPaused paused) {
			return "free".equalsIgnoreCase(paused.getMode()) ? Access.GRANTED : Access.SUSPENDED;
		}
		if (event instanceof SubscriptionPastDue) {
			return Access.GRANTED;
		}
		if (event instanceof SubscriptionCanceled canceled) {
			return canceled.getAtPeriodEnd() ? Access.GRANTED : Access.UNCHANGED;
		}
		if (event instanceof SubscriptionEnded) {
			return Access.REVOKED;
		}
		return Access.UNCHANGED;
	}

	/**
	 * Why grants end with an ended subscription: {@code customer_deleted} when the customer's deletion ended it (the
	 * same reason the customer's own deletion event gives), otherwise {@code subscription_ended}.
	 */
	private static String revocationReason(SpecificRecord event) {
		if (event instanceof SubscriptionEnded ended && GrantManagement.CUSTOMER_DELETED.equals(ended.getReason())) {
			return GrantManagement.CUSTOMER_DELETED;
		}
		return "subscription_ended";
	}

	private static SubscriptionFacts facts(SpecificRecord event) {
		return new SubscriptionFacts(UUID.fromString(field(event, "organization_id")),
				UUID.fromString(field(event, "customer_id")), UUID.fromString(field(event, "subscription_id")),
				UUID.fromString(field(event, "product_id")),
				(Long) event.get(event.getSchema().getField("sequence").pos()),
				(Instant) event.get(event.getSchema().getField("occurred_at").pos()));
	}

	private static String field(SpecificRecord event, String name) {
		return String.valueOf(event.get(event.getSchema().getField(name).pos()));
	}

}
