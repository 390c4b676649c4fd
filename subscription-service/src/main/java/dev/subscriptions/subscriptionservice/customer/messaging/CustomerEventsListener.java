package dev.subscriptions.subscriptionservice.customer.messaging;

import java.time.Clock;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;

/**
 * Keeps the customer replica from {@code customer.events} and ends the subscriptions of deleted customers. Each
 * record is handled in one local transaction with its inbox entry: replica, revocations, their events and the
 * revocation report commit together, or not at all; a duplicate delivery does nothing.
 */
@Component
class CustomerEventsListener {

	static final String CONSUMER = "subscription-service";

	private static final Logger log = LoggerFactory.getLogger(CustomerEventsListener.class);

	private final Inbox inbox;

	private final Outbox outbox;

	private final KnownCustomers customers;

	private final SubscriptionManagement subscriptions;

	private final Clock clock;

	CustomerEventsListener(Inbox inbox, Outbox outbox, KnownCustomers customers, SubscriptionManagement subscriptions,
			Clock clock) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.clock = clock;
	}

	/**
	 * The group is {@code spring.kafka.consumer.group-id} ({@value #CONSUMER} by default): a replica rebuilt from an
	 * empty database reads {@code customer.events} from the start under a new group.
	 */
	@KafkaListener(topics = "customer.events")
	@Transactional
	public void on(ConsumerRecord<String, Object> record) {
		if (record.value() instanceof CustomerCreated created) {
			if (this.inbox.markProcessed(CONSUMER, UUID.fromString(created.getEventId()))) {
				this.customers.recordCreated(UUID.fromString(created.getCustomerId()),
						UUID.fromString(created.getOrganizationId()), created.getOccurredAt());
			}
		}
		else if (record.value() instanceof CustomerDeleted deleted) {
			if (this.inbox.markProcessed(CONSUMER, UUID.fromString(deleted.getEventId()))) {
				customerDeleted(deleted);
			}
		}
		else {
			log.debug("Ignoring {} at {}-{}@{}", record.value(), record.topic(), record.partition(), record.offset());
		}
	}

	private void customerDeleted(CustomerDeleted deleted) {
		UUID customerId = UUID.fromString(deleted.getCustomerId());
		this.customers.recordDeleted(customerId, UUID.fromString(deleted.getOrganizationId()), deleted.getDeletedAt());
		int revoked = this.subscriptions.revokeAllOfDeletedCustomer(customerId);
		java.time.Instant now = this.clock.instant();
		this.outbox.append(Topic.CUSTOMER_REVOCATIONS.topicName(), deleted.getCustomerId(),
				CustomerRevocationCompleted.newBuilder()
					.setEventId(UUID.randomUUID().toString())
					.setOccurredAt(now)
					.setOrganizationId(deleted.getOrganizationId())
					.setCustomerId(deleted.getCustomerId())
					.setService("subscription")
					.setRevokedCount(revoked)
					.setCompletedAt(now)
					.setCustomerEventId(deleted.getEventId())
					.build());
	}

}
