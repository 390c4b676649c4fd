package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

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
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent;
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
			created(List.of(created));
		}
	}

	@KafkaHandler
	@Transactional
	public void on(CustomerDeleted deleted) {
		if (this.inbox.markProcessed(CONSUMER, CustomerEventMapper.eventId(deleted))) {
			deleted(List.of(deleted));
		}
	}

	/**
	 * Records created customers in the replica, in one statement. A customer known
	 * already (a tombstone among them: a deletion handled before a late creation) stays
	 * as it is.
	 */
	void created(List<CustomerCreated> created) {
		this.customers.recordCreated(created.stream().map(CustomerEventMapper::toDomain).toList());
	}

	/**
	 * Records deleted customers and revokes their live subscriptions, in four statements
	 * whatever their number: the tombstones (whose row locks let a subscription being
	 * created for one of them commit first, so that it is revoked too), the revocation,
	 * and one insert into the outbox of every {@code SubscriptionEnded}, each customer's
	 * followed by its revocation report. A customer deleted twice in one call (two
	 * events, each with its own report) has its subscriptions counted in the first
	 * report, as if the events came one after the other.
	 */
	void deleted(List<CustomerDeleted> deleted) {
		List<KnownCustomers.Deleted> customers = deleted.stream().map(CustomerEventMapper::toDomain).toList();
		this.customers.recordDeleted(customers);
		Map<UUID, List<SubscriptionEvent.Ended>> endedByCustomer = this.subscriptions
			.revokeAllOfDeletedCustomers(customers.stream().map(KnownCustomers.Deleted::id).toList())
			.stream()
			.collect(Collectors.groupingBy(ended -> ended.header().customerId(), LinkedHashMap::new,
					Collectors.toList()));
		Instant now = this.clock.instant();
		List<Outbox.Event> events = new ArrayList<>();
		for (int i = 0; i < deleted.size(); i++) {
			List<SubscriptionEvent.Ended> ended = Objects
				.requireNonNullElse(endedByCustomer.remove(customers.get(i).id()), List.of());
			ended.stream().map(SubscriptionEventPublisher::ended).forEach(events::add);
			events.add(new Outbox.Event(Topic.CUSTOMER_REVOCATIONS.topicName(), deleted.get(i).getCustomerId(),
					RevocationReport.completed(deleted.get(i), SERVICE, ended.size(), now)));
		}
		this.outbox.appendAll(events);
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
