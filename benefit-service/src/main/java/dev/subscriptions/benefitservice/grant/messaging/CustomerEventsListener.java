package dev.subscriptions.benefitservice.grant.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;

/**
 * A deleted customer loses every grant, and nothing is granted to it again: tombstone, revocations, inbox entry and
 * the revocation report commit in one transaction.
 */
@Component
class CustomerEventsListener {

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

	@KafkaListener(topics = "customer.events", groupId = SubscriptionEventsListener.CONSUMER)
	@Transactional
	public void on(ConsumerRecord<String, Object> record) {
		if (!(record.value() instanceof CustomerDeleted deleted)
				|| !this.inbox.markProcessed(SubscriptionEventsListener.CONSUMER, UUID.fromString(deleted.getEventId()))) {
			return;
		}
		int revoked = this.grants.revokeAllOfDeletedCustomer(UUID.fromString(deleted.getCustomerId()));
		Instant now = this.clock.instant();
		this.outbox.append(Topic.CUSTOMER_REVOCATIONS.topicName(), deleted.getCustomerId(),
				CustomerRevocationCompleted.newBuilder()
					.setEventId(UUID.randomUUID().toString())
					.setOccurredAt(now)
					.setOrganizationId(deleted.getOrganizationId())
					.setCustomerId(deleted.getCustomerId())
					.setService("benefit")
					.setRevokedCount(revoked)
					.setCompletedAt(now)
					.setCustomerEventId(deleted.getEventId())
					.build());
	}

}
