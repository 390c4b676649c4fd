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

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.subscriptions.eventing.consumer.BatchDispatcher;
import dev.subscriptions.eventing.consumer.BatchHandling;
import dev.subscriptions.eventing.consumer.CoveredBatchListener;
import dev.subscriptions.eventing.consumer.Delivery;
import dev.subscriptions.eventing.consumer.EventingBatchListeners;
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
 * deleted customers, a poll's records at a time ({@link BatchHandling}): one transaction
 * per batch with the inbox entries, in which each event type's records are handled in a
 * few statements whatever their number; replica, revocations, their events and the
 * revocation reports commit together, or not at all, and a duplicate delivery does
 * nothing. A record that fails is retried alone and then dead-lettered alone; the others
 * commit.
 * <p>
 * It lives in the subscription module, not beside the replica in {@code customer}:
 * revoking is the subscription module's reaction to a deletion, and so {@code customer}
 * depends on nothing and {@code subscription} on it alone. The group is
 * {@code spring.kafka.consumer.group-id} ({@value #CONSUMER} by default): a replica
 * rebuilt from an empty database reads {@code customer.events} from the start under a new
 * group. The container has an id of its own ({@value #ID}).
 */
@Component
class CustomerEventsListener implements CoveredBatchListener {

	/** The id of the listener's container. */
	static final String ID = "subscription.customer-events";

	/**
	 * The inbox's name of this consumer, whatever the group (also the group of its
	 * unhandled-record counts).
	 */
	static final String CONSUMER = "subscription-service";

	/** How the revocation report names this service. */
	static final String SERVICE = "subscription";

	private final BatchDispatcher dispatcher = BatchDispatcher.forConsumer(CONSUMER)
		.on(CustomerCreated.class, CustomerEventMapper::eventId, this::created)
		.on(CustomerDeleted.class, CustomerEventMapper::eventId, this::deleted)
		.build();

	private final BatchHandling batches;

	private final Outbox outbox;

	private final KnownCustomers customers;

	private final SubscriptionManagement subscriptions;

	private final Clock clock;

	CustomerEventsListener(BatchHandling batches, Outbox outbox, KnownCustomers customers,
			SubscriptionManagement subscriptions, Clock clock) {
		this.batches = batches;
		this.outbox = outbox;
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.clock = clock;
	}

	/**
	 * A poll's records; those without value (a tombstone another team wrote to the
	 * compacted topic) and those of a type without handler here (one added to
	 * customer.events later) are counted and skipped.
	 */
	@KafkaListener(id = ID, idIsGroup = false, topics = Topic.Names.CUSTOMER_EVENTS,
			containerFactory = EventingBatchListeners.FACTORY, batch = "true")
	void on(List<ConsumerRecord<String, Object>> records) {
		this.batches.handle(records, this.dispatcher);
	}

	@Override
	public BatchDispatcher dispatcher() {
		return this.dispatcher;
	}

	/**
	 * Records created customers in the replica, in one statement. A customer known
	 * already (a tombstone among them: a deletion handled before a late creation) stays
	 * as it is.
	 */
	private void created(List<Delivery<CustomerCreated>> created) {
		this.customers.recordCreated(created.stream().map(Delivery::event).map(CustomerEventMapper::toDomain).toList());
	}

	/**
	 * Records deleted customers and revokes their live subscriptions, in three statements
	 * whatever their number: the tombstones (whose row locks let a subscription being
	 * created for one of them commit first, so that it is revoked too), the revocation,
	 * and one insert into the outbox of every {@code SubscriptionEnded}, each customer's
	 * followed by its revocation report. A customer deleted twice in one call (two
	 * events, each with its own report) has its subscriptions counted in the first
	 * report, as if the events came one after the other.
	 */
	private void deleted(List<Delivery<CustomerDeleted>> deliveries) {
		List<CustomerDeleted> deleted = deliveries.stream().map(Delivery::event).toList();
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

}
