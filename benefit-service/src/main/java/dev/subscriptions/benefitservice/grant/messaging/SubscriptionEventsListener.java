package dev.subscriptions.benefitservice.grant.messaging;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.benefitservice.grant.SubscriptionChanged;
import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.events.subscription.SubscriptionUncanceled;
import dev.subscriptions.schemas.Topic;

/**
 * Grants follow {@code subscription.events}: each record is mapped to the
 * {@link SubscriptionChanged} it stands for and applied in one transaction with its inbox
 * entry; changes older than the last applied for their subscription are ignored.
 */
@Component
@KafkaListener(topics = Topic.Names.SUBSCRIPTION_EVENTS, groupId = SubscriptionEventsListener.GROUP)
class SubscriptionEventsListener {

	static final String GROUP = "benefit-service";

	private final Inbox inbox;

	private final GrantManagement grants;

	private final UnhandledRecords unhandled;

	SubscriptionEventsListener(Inbox inbox, GrantManagement grants, UnhandledRecords unhandled) {
		this.inbox = inbox;
		this.grants = grants;
		this.unhandled = unhandled;
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionCreated created) {
		apply(created.getEventId(), IncomingEvents.changed(created));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionActivated activated) {
		apply(activated.getEventId(), IncomingEvents.changed(activated));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionResumed resumed) {
		apply(resumed.getEventId(), IncomingEvents.changed(resumed));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionUncanceled uncanceled) {
		apply(uncanceled.getEventId(), IncomingEvents.changed(uncanceled));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionCanceled canceled) {
		apply(canceled.getEventId(), IncomingEvents.changed(canceled));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionPastDue pastDue) {
		apply(pastDue.getEventId(), IncomingEvents.changed(pastDue));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionPaused paused) {
		apply(paused.getEventId(), IncomingEvents.changed(paused));
	}

	@KafkaHandler
	@Transactional
	public void on(SubscriptionEnded ended) {
		apply(ended.getEventId(), IncomingEvents.changed(ended));
	}

	/**
	 * A record of a type this listener does not know (a newer publisher's), or one
	 * without value (a tombstone, which the compacted topic may hold): counted and
	 * skipped.
	 */
	@KafkaHandler(isDefault = true)
	public void unhandled(@Payload(required = false) @Nullable Object value,
			@Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		this.unhandled.skip(GROUP, topic, value);
	}

	private void apply(String eventId, SubscriptionChanged changed) {
		if (this.inbox.markProcessed(GROUP, IncomingEvents.eventId(eventId))) {
			this.grants.apply(changed);
		}
	}

}
