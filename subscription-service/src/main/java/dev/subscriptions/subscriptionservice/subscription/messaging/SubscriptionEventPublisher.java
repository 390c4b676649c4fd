package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.util.List;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.events.subscription.SubscriptionUncanceled;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Header;

/**
 * The one mapper from the domain's {@link SubscriptionEvent}s to the Avro contract of
 * {@link Topic#SUBSCRIPTION_EVENTS}: it appends each event to the outbox, in the
 * transaction of the change (Spring Data publishes them when the subscription is saved).
 * Spring dispatches each domain type to its method, which writes only what that type says
 * beyond the header.
 * <p>
 * The header (the seven fields every subscription event starts with,
 * {@link #HEADER_FIELDS}) is written in one place, {@link #withHeader}, through the
 * record's schema positions: Avro's generated records and builders share no interface for
 * these fields, so the alternatives are the seven setters in every method, or a builder
 * per type passed to a method per type. A schema that lacks one of the fields fails here
 * at once (and, before that, in {@code SubscriptionEventContractTests}, which checks
 * every schema of the topic for them), and a record left with a required field unset is
 * refused before it reaches the outbox.
 */
@Component
class SubscriptionEventPublisher {

	/**
	 * The fields every schema of {@link Topic#SUBSCRIPTION_EVENTS} starts with, in order.
	 */
	static final List<String> HEADER_FIELDS = List.of("event_id", "occurred_at", "organization_id", "customer_id",
			"subscription_id", "product_id", "sequence");

	private static final List<Function<Header, Object>> HEADER_VALUES = List.of(header -> header.eventId().toString(),
			Header::occurredAt, header -> header.organizationId().toString(), header -> header.customerId().toString(),
			header -> header.subscriptionId().toString(), header -> header.productId().toString(), Header::sequence);

	private final Outbox outbox;

	SubscriptionEventPublisher(Outbox outbox) {
		this.outbox = outbox;
	}

	@EventListener
	void on(SubscriptionEvent.Created event) {
		SubscriptionCreated record = new SubscriptionCreated();
		record.setStatus(event.status().value());
		record.setAmount(event.amount());
		record.setCurrency(event.currency());
		record.setCurrentPeriodStart(event.currentPeriodStart());
		record.setCurrentPeriodEnd(event.currentPeriodEnd());
		publish(event, record);
	}

	@EventListener
	void on(SubscriptionEvent.Canceled event) {
		SubscriptionCanceled record = new SubscriptionCanceled();
		record.setAtPeriodEnd(event.atPeriodEnd());
		record.setEndsAt(event.endsAt());
		record.setReason(event.reason());
		publish(event, record);
	}

	@EventListener
	void on(SubscriptionEvent.Uncanceled event) {
		publish(event, new SubscriptionUncanceled());
	}

	@EventListener
	void on(SubscriptionEvent.PastDue event) {
		SubscriptionPastDue record = new SubscriptionPastDue();
		record.setInvoiceId(event.invoiceId().toString());
		record.setGraceOver(event.graceOver());
		publish(event, record);
	}

	@EventListener
	void on(SubscriptionEvent.Activated event) {
		publish(event, new SubscriptionActivated());
	}

	@EventListener
	void on(SubscriptionEvent.Paused event) {
		SubscriptionPaused record = new SubscriptionPaused();
		record.setMode(event.mode().value());
		publish(event, record);
	}

	@EventListener
	void on(SubscriptionEvent.Resumed event) {
		publish(event, new SubscriptionResumed());
	}

	@EventListener
	void on(SubscriptionEvent.Ended event) {
		append(ended(event));
	}

	/**
	 * The outbox event of an end, as {@link #on(SubscriptionEvent.Ended)} appends it: for
	 * ends recorded set-wise, without the aggregate, which their caller appends together
	 * ({@link Outbox#appendAll}).
	 */
	static Outbox.Event ended(SubscriptionEvent.Ended event) {
		SubscriptionEnded record = new SubscriptionEnded();
		record.setReason(event.reason().value());
		record.setEndedAt(event.endedAt());
		return outboxEvent(event, record);
	}

	private void publish(SubscriptionEvent event, SpecificRecord body) {
		append(outboxEvent(event, body));
	}

	private void append(Outbox.Event event) {
		this.outbox.append(event.topic(), event.key(), event.record());
	}

	private static Outbox.Event outboxEvent(SubscriptionEvent event, SpecificRecord body) {
		Header header = event.header();
		return new Outbox.Event(Topic.SUBSCRIPTION_EVENTS.topicName(), header.subscriptionId().toString(),
				withHeader(header, body));
	}

	/**
	 * Writes the header into {@code record}, whose own fields are set already, and checks
	 * that nothing required is left unset.
	 * @throws IllegalStateException when the record's schema lacks a header field or a
	 * required field is unset
	 */
	static <R extends SpecificRecord> R withHeader(Header header, R record) {
		Schema schema = record.getSchema();
		for (int i = 0; i < HEADER_FIELDS.size(); i++) {
			Schema.Field field = schema.getField(HEADER_FIELDS.get(i));
			if (field == null) {
				throw new IllegalStateException(schema.getFullName() + " has no header field " + HEADER_FIELDS.get(i));
			}
			record.put(field.pos(), HEADER_VALUES.get(i).apply(header));
		}
		for (Schema.Field field : schema.getFields()) {
			if (record.get(field.pos()) == null && !field.schema().isNullable()) {
				throw new IllegalStateException(schema.getName() + "." + field.name() + " is required and unset");
			}
		}
		return record;
	}

}
