package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.BillingOutcome;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;

/**
 * Follows {@code billing.events}: what the billing providers' webhooks, and other billing
 * systems, say of their subscriptions moves ours
 * ({@link SubscriptionManagement#applyBilling}). Each record is handled in one local
 * transaction with its inbox entry, so the same {@code event_id} twice has one effect;
 * each is counted once committed as {@value #METER}{@code {provider,outcome}}
 * ({@link BillingOutcome}).
 * <p>
 * A record that cannot be read (an id that is no UUID, a status the contract does not
 * name) is a dead letter at once. A snapshot for a provider subscription that is not
 * known and that it cannot create (no {@code customer_id}/{@code product_id}), or whose
 * customer is not known, fails: it is retried the bounded number of times
 * ({@code eventing.consumer.attempts}), in case its first snapshot or its customer is
 * still on the way, then dead-lettered to {@code billing.events.subscription-service.DLT}
 * with the reason in its headers. Either way consumption goes on with the next record. An
 * invoice event for a provider subscription not linked yet is not retried: its first
 * snapshot has the same key and comes behind it, so it is parked in this transaction
 * ({@link BillingOutcome#PARKED}) and applied when that snapshot creates the
 * subscription.
 * <p>
 * The container has an id of its own ({@value #ID}); the group is the service's
 * ({@code spring.kafka.consumer.group-id}), as for customer.events.
 */
@Component
@KafkaListener(id = BillingEventsListener.ID, idIsGroup = false, topics = Topic.Names.BILLING_EVENTS)
class BillingEventsListener {

	/** The id of the listener's container. */
	static final String ID = "subscription.billing-events";

	/** The inbox's name of this consumer, whatever the group. */
	static final String CONSUMER = "subscription-service.billing";

	/** The counter of billing records by provider and outcome. */
	static final String METER = "billing.changes";

	private final Inbox inbox;

	private final SubscriptionManagement subscriptions;

	private final MeterRegistry meters;

	private final UnhandledRecords unhandled;

	private final String group;

	BillingEventsListener(Inbox inbox, SubscriptionManagement subscriptions, MeterRegistry meters,
			UnhandledRecords unhandled, KafkaProperties kafka) {
		this.inbox = inbox;
		this.subscriptions = subscriptions;
		this.meters = meters;
		this.unhandled = unhandled;
		this.group = Objects.requireNonNullElse(kafka.getConsumer().getGroupId(), CustomerEventsListener.CONSUMER);
	}

	@KafkaHandler
	@Transactional
	public void on(BillingSubscriptionChanged record) {
		BillingChange change = BillingEventMapper.toDomain(record);
		if (this.inbox.markProcessed(CONSUMER, change.eventId())) {
			BillingOutcome outcome = this.subscriptions.applyBilling(change);
			Counter counter = Counter.builder(METER)
				.description("Records of billing.events by provider and what became of them")
				.tag("provider", change.provider())
				.tag("outcome", outcome.value())
				.register(this.meters);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					counter.increment();
				}

			});
		}
	}

	/**
	 * Counts and skips what has no handler here: an event type added to billing.events
	 * later, or a record without value.
	 */
	@KafkaHandler(isDefault = true)
	public void unhandled(@Payload(required = false) @Nullable Object value,
			@Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		this.unhandled.skip(this.group, topic, value);
	}

}
