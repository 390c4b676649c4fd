package dev.subscriptions.benefitservice.grant.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.subscriptions.benefitservice.grant.GrantManagement;
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

/**
 * A deleted customer loses every grant, and nothing is granted to it again: a poll's
 * deletions commit in one transaction with their inbox entries, tombstones, revocations
 * and revocation reports, each written set-wise
 * ({@link GrantManagement#revokeAllOfDeletedCustomers}, one {@link Outbox#appendAll}).
 */
@Component
class CustomerEventsListener implements CoveredBatchListener {

	/** How benefit-service names itself in its revocation reports. */
	static final String SERVICE = "benefit";

	private final BatchHandling batches;

	private final Outbox outbox;

	private final GrantManagement grants;

	private final Clock clock;

	private final BatchDispatcher dispatcher;

	CustomerEventsListener(BatchHandling batches, Outbox outbox, GrantManagement grants, Clock clock) {
		this.batches = batches;
		this.outbox = outbox;
		this.grants = grants;
		this.clock = clock;
		this.dispatcher = BatchDispatcher.forConsumer(SubscriptionEventsListener.GROUP)
			.on(CustomerDeleted.class, deleted -> IncomingEvents.eventId(deleted.getEventId()), this::deleted)
			// benefit-service keeps no list of customers: a grant is made for a
			// subscription, whoever its customer is.
			.ignore(CustomerCreated.class)
			.build();
	}

	@KafkaListener(topics = Topic.Names.CUSTOMER_EVENTS, groupId = SubscriptionEventsListener.GROUP,
			containerFactory = EventingBatchListeners.FACTORY, batch = "true")
	void on(List<ConsumerRecord<String, Object>> records) {
		this.batches.handle(records, this.dispatcher);
	}

	@Override
	public BatchDispatcher dispatcher() {
		return this.dispatcher;
	}

	private void deleted(List<Delivery<CustomerDeleted>> deliveries) {
		Map<UUID, Integer> revoked = this.grants.revokeAllOfDeletedCustomers(
				deliveries.stream().map(delivery -> IncomingEvents.customerId(delivery.event())).toList());
		Instant now = this.clock.instant();
		this.outbox.appendAll(deliveries.stream().map(Delivery::event).map(deleted -> {
			int count = revoked.getOrDefault(IncomingEvents.customerId(deleted), 0);
			return new Outbox.Event(Topic.CUSTOMER_REVOCATIONS.topicName(), deleted.getCustomerId(),
					RevocationReport.completed(deleted, SERVICE, count, now));
		}).toList());
	}

}
