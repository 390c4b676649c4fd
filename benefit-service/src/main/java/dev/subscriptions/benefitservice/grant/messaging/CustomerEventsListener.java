package dev.subscriptions.benefitservice.grant.messaging;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.RevocationReport;
import dev.subscriptions.schemas.Topic;

/**
 * A deleted customer loses every grant, and nothing is granted to it again: tombstone, revocations, inbox entry and
 * the revocation report commit in one transaction.
 */
@Component
@KafkaListener(topics = Topic.Names.CUSTOMER_EVENTS, groupId = SubscriptionEventsListener.GROUP)
class CustomerEventsListener {

	/** How benefit-service names itself in its revocation reports. */
	static final String SERVICE = "benefit";

	private static final Logger log = LoggerFactory.getLogger(CustomerEventsListener.class);

	private final Inbox inbox;

	private final Outbox outbox;

	private final GrantManagement grants;

	private final Clock clock;

	CustomerEventsListener(Inbox inbox, Outbox outbox, GrantManagement grants, Clock clock) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.grants = grants;
		this.clock = clock;
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

	/** benefit-service keeps no list of customers: a grant is made for a subscription, whoever its customer is. */
	@KafkaHandler
	public void on(CustomerCreated created) {
	}

	@KafkaHandler(isDefault = true)
	public void unhandled(Object value, @Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		log.debug("Skipping {} on {}", value.getClass().getName(), topic);
	}

}
