package dev.subscriptions.benefitservice.grant.messaging;

import java.time.Clock;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.RevocationReport;
import dev.subscriptions.schemas.Topic;

/**
 * A deleted customer loses every grant, and nothing is granted to it again: tombstone,
 * revocations, inbox entry and the revocation report commit in one transaction.
 */
@Component
@KafkaListener(topics = Topic.Names.CUSTOMER_EVENTS, groupId = SubscriptionEventsListener.GROUP)
class CustomerEventsListener {

	/** How benefit-service names itself in its revocation reports. */
	static final String SERVICE = "benefit";

	private final Inbox inbox;

	private final Outbox outbox;

	private final GrantManagement grants;

	private final Clock clock;

	private final UnhandledRecords unhandled;

	CustomerEventsListener(Inbox inbox, Outbox outbox, GrantManagement grants, Clock clock,
			UnhandledRecords unhandled) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.grants = grants;
		this.clock = clock;
		this.unhandled = unhandled;
	}

	@KafkaHandler
	@Transactional
	public void on(CustomerDeleted deleted) {
		if (!this.inbox.markProcessed(SubscriptionEventsListener.GROUP, IncomingEvents.eventId(deleted.getEventId()))) {
			return;
		}
		int revoked = this.grants.revokeAllOfDeletedCustomer(IncomingEvents.customerId(deleted));
		this.outbox.append(Topic.CUSTOMER_REVOCATIONS.topicName(), deleted.getCustomerId(),
				RevocationReport.completed(deleted, SERVICE, revoked, this.clock.instant()));
	}

	/**
	 * benefit-service keeps no list of customers: a grant is made for a subscription,
	 * whoever its customer is.
	 */
	@KafkaHandler
	public void on(CustomerCreated created) {
	}

	/**
	 * A record of a type this listener does not know (a newer publisher's), or one
	 * without value (a tombstone, which the compacted topic may hold): counted and
	 * skipped.
	 */
	@KafkaHandler(isDefault = true)
	public void unhandled(@Payload(required = false) @Nullable Object value,
			@Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		this.unhandled.skip(SubscriptionEventsListener.GROUP, topic, value);
	}

}
