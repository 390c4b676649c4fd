package dev.subscriptions.benefitservice.grant.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.benefitservice.grant.SubscriptionChanged;
import dev.subscriptions.eventing.consumer.BatchDispatcher;
import dev.subscriptions.eventing.consumer.BatchHandling;
import dev.subscriptions.eventing.consumer.CoveredBatchListener;
import dev.subscriptions.eventing.consumer.Delivery;
import dev.subscriptions.eventing.consumer.EventingBatchListeners;
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
 * {@link SubscriptionChanged} it stands for, and a poll's changes are applied in one
 * transaction with their inbox entries; changes older than the last applied for their
 * subscription are ignored. Every type goes to one handler, so that a wave's changes of
 * all types lock their customers together.
 * <p>
 * Per set of changes, one statement writes their inbox entries and tells which of the new
 * ones are of a tombstoned customer: those do nothing more (a tombstone commits with the
 * revocation of every grant of its customer, under the customer's lock, and nothing is
 * granted to a tombstoned customer), so the ends of subscriptions that a customer's
 * deletion brings, arriving after it, cost that one statement. The others go to
 * {@link GrantManagement#applyAll}.
 */
@Component
class SubscriptionEventsListener implements CoveredBatchListener {

	static final String GROUP = "benefit-service";

	private final BatchHandling batches;

	private final GrantManagement grants;

	private final JdbcClient jdbc;

	private final Counter duplicates;

	private final BatchDispatcher dispatcher;

	SubscriptionEventsListener(BatchHandling batches, GrantManagement grants, JdbcClient jdbc, MeterRegistry meters) {
		this.batches = batches;
		this.grants = grants;
		this.jdbc = jdbc;
		this.duplicates = Counter.builder(Inbox.DUPLICATES)
			.description("Deliveries the inbox skipped as already handled")
			.tag("consumer", GROUP)
			.register(meters);
		this.dispatcher = BatchDispatcher.forConsumer(GROUP)
			.onAnyDeduplicatedByHandler(this::changes,
					types -> types
						.type(SubscriptionCreated.class, created -> IncomingEvents.eventId(created.getEventId()),
								IncomingEvents::changed)
						.type(SubscriptionActivated.class, activated -> IncomingEvents.eventId(activated.getEventId()),
								IncomingEvents::changed)
						.type(SubscriptionResumed.class, resumed -> IncomingEvents.eventId(resumed.getEventId()),
								IncomingEvents::changed)
						.type(SubscriptionUncanceled.class,
								uncanceled -> IncomingEvents.eventId(uncanceled.getEventId()), IncomingEvents::changed)
						.type(SubscriptionCanceled.class, canceled -> IncomingEvents.eventId(canceled.getEventId()),
								IncomingEvents::changed)
						.type(SubscriptionPastDue.class, pastDue -> IncomingEvents.eventId(pastDue.getEventId()),
								IncomingEvents::changed)
						.type(SubscriptionPaused.class, paused -> IncomingEvents.eventId(paused.getEventId()),
								IncomingEvents::changed)
						.type(SubscriptionEnded.class, ended -> IncomingEvents.eventId(ended.getEventId()),
								IncomingEvents::changed))
			.build();
	}

	@KafkaListener(topics = Topic.Names.SUBSCRIPTION_EVENTS, groupId = GROUP,
			containerFactory = EventingBatchListeners.FACTORY, batch = "true")
	void on(List<ConsumerRecord<String, Object>> records) {
		this.batches.handle(records, this.dispatcher);
	}

	@Override
	public BatchDispatcher dispatcher() {
		return this.dispatcher;
	}

	/**
	 * A wave's changes, of every subscription event type in one call, so that
	 * {@link GrantManagement#applyAll} locks all their customers at once.
	 */
	private void changes(List<Delivery<SubscriptionChanged>> deliveries) {
		Map<UUID, SubscriptionChanged> changes = new LinkedHashMap<>();
		for (Delivery<SubscriptionChanged> delivery : deliveries) {
			changes.putIfAbsent(delivery.eventId(), delivery.event());
		}
		Set<UUID> toApply = newOfLiveCustomers(changes, deliveries.size());
		List<SubscriptionChanged> applied = new ArrayList<>();
		changes.forEach((eventId, changed) -> {
			if (toApply.contains(eventId)) {
				applied.add(changed);
			}
		});
		this.grants.applyAll(applied);
	}

	/**
	 * Writes the inbox entries of the changes, in one statement that also reads the
	 * tombstones of their customers.
	 * @param changes by event id
	 * @param deliveries how many deliveries they came in (a repeat of an event id counts
	 * as a duplicate)
	 * @return the ids of the changes new to the inbox whose customer is not tombstoned
	 */
	private Set<UUID> newOfLiveCustomers(Map<UUID, SubscriptionChanged> changes, int deliveries) {
		UUID[] eventIds = changes.keySet().toArray(UUID[]::new);
		UUID[] customers = changes.values().stream().map(SubscriptionChanged::customerId).toArray(UUID[]::new);
		Map<UUID, Boolean> first = this.jdbc.sql("""
				with new as (
				  insert into inbox (consumer, event_id)
				  select ?, e from unnest(?::uuid[]) e
				  on conflict do nothing
				  returning event_id)
				select r.event_id, exists (select 1 from customer_tombstone t where t.customer_id = r.customer_id)
				  from unnest(?::uuid[], ?::uuid[]) r(event_id, customer_id)
				  join new using (event_id)""")
			.params(GROUP, eventIds, eventIds, customers)
			.query((rs, row) -> Map.entry(rs.getObject(1, UUID.class), rs.getBoolean(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		countDuplicatesAfterCommit(deliveries - first.size());
		return first.entrySet()
			.stream()
			.filter(entry -> !entry.getValue())
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
	}

	/** As {@link Inbox} counts them, once the transaction commits. */
	private void countDuplicatesAfterCommit(int repeated) {
		if (repeated <= 0) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				SubscriptionEventsListener.this.duplicates.increment(repeated);
			}

		});
	}

}
