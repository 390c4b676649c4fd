package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.time.Clock;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.RevocationReport;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;

/**
 * Keeps the customer replica from {@code customer.events} and ends the subscriptions of
 * deleted customers, one handler per event type. Each record is handled in one local
 * transaction with its inbox entry: replica, revocations, their events and the revocation
 * report commit together, or not at all; a duplicate delivery does nothing.
 * <p>
 * It lives in the subscription module, not beside the replica in {@code customer}:
 * revoking is the subscription module's reaction to a deletion, and so {@code customer}
 * depends on nothing and {@code subscription} on it alone. The group is
 * {@code spring.kafka.consumer.group-id} ({@value #CONSUMER} by default): a replica
 * rebuilt from an empty database reads {@code customer.events} from the start under a new
 * group. The container has an id of its own ({@value #ID}).
 */
@Component
@KafkaListener(id = CustomerEventsListener.ID, idIsGroup = false, topics = Topic.Names.CUSTOMER_EVENTS)
class CustomerEventsListener {

	/** The id of the listener's container. */
	static final String ID = "subscription.customer-events";

	/** The inbox's name of this consumer, whatever the group. */
	static final String CONSUMER = "subscription-service";

	/** How the revocation report names this service. */
	static final String SERVICE = "subscription";

	private final Inbox inbox;

	private final Outbox outbox;

	private final KnownCustomers customers;

	private final SubscriptionManagement subscriptions;

	private final Clock clock;

	private final UnhandledRecords unhandled;

	private final String group;

	CustomerEventsListener(Inbox inbox, Outbox outbox, KnownCustomers customers, SubscriptionManagement subscriptions,
			Clock clock, UnhandledRecords unhandled, KafkaProperties kafka) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.clock = clock;
		this.unhandled = unhandled;
		this.group = Objects.requireNonNullElse(kafka.getConsumer().getGroupId(), CONSUMER);
	}

	@KafkaHandler
	@Transactional
	public void on(CustomerCreated created) {
		if (this.inbox.markProcessed(CONSUMER, CustomerEventMapper.eventId(created))) {
			this.customers.recordCreated(CustomerEventMapper.toDomain(created));
		}
	}

	@KafkaHandler
	@Transactional
	public void on(CustomerDeleted deleted) {
		if (this.inbox.markProcessed(CONSUMER, CustomerEventMapper.eventId(deleted))) {
			KnownCustomers.Deleted customer = CustomerEventMapper.toDomain(deleted);
			this.customers.recordDeleted(customer);
			int revoked = this.subscriptions.revokeAllOfDeletedCustomer(customer.id());
			this.outbox.append(Topic.CUSTOMER_REVOCATIONS.topicName(), deleted.getCustomerId(),
					RevocationReport.completed(deleted, SERVICE, revoked, this.clock.instant()));
		}
	}

	/**
	 * Counts and skips what has no handler here: an event type added to customer.events
	 * later, or a record without value (a tombstone another team wrote to the compacted
	 * topic).
	 */
	@KafkaHandler(isDefault = true)
	public void unhandled(@Payload(required = false) @Nullable Object value,
			@Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		this.unhandled.skip(this.group, topic, value);
	}

}
