package dev.subscriptions.subscriptionservice.subscription.messaging;

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
 * Turns the domain's subscription events into the Avro contract and appends them to the outbox, in the transaction
 * of the change (Spring Data publishes them when the subscription is saved).
 */
@Component
class SubscriptionEventPublisher {

	private final Outbox outbox;

	SubscriptionEventPublisher(Outbox outbox) {
		this.outbox = outbox;
	}

	@EventListener
	void on(SubscriptionEvent.Created event) {
		Header h = event.header();
		publish(h, SubscriptionCreated.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.setStatus(event.status().value())
			.setAmount(event.amount())
			.setCurrency(event.currency())
			.setCurrentPeriodStart(event.currentPeriodStart())
			.setCurrentPeriodEnd(event.currentPeriodEnd())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.Canceled event) {
		Header h = event.header();
		publish(h, SubscriptionCanceled.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.setAtPeriodEnd(event.atPeriodEnd())
			.setEndsAt(event.endsAt())
			.setReason(event.reason())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.Uncanceled event) {
		Header h = event.header();
		publish(h, SubscriptionUncanceled.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.PastDue event) {
		Header h = event.header();
		publish(h, SubscriptionPastDue.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.setInvoiceId(event.invoiceId().toString())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.Activated event) {
		Header h = event.header();
		publish(h, SubscriptionActivated.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.Paused event) {
		Header h = event.header();
		publish(h, SubscriptionPaused.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.setMode(event.mode().value())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.Resumed event) {
		Header h = event.header();
		publish(h, SubscriptionResumed.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.build());
	}

	@EventListener
	void on(SubscriptionEvent.Ended event) {
		Header h = event.header();
		publish(h, SubscriptionEnded.newBuilder()
			.setEventId(h.eventId().toString())
			.setOccurredAt(h.occurredAt())
			.setOrganizationId(h.organizationId().toString())
			.setCustomerId(h.customerId().toString())
			.setSubscriptionId(h.subscriptionId().toString())
			.setProductId(h.productId().toString())
			.setSequence(h.sequence())
			.setReason(event.reason().value())
			.setEndedAt(event.endedAt())
			.build());
	}

	private void publish(Header header, SpecificRecord record) {
		this.outbox.append(Topic.SUBSCRIPTION_EVENTS.topicName(), header.subscriptionId().toString(), record);
	}

}
