package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The Lemon Squeezy events this webhook handles, each with the type of object its
 * {@code data} is, as Lemon Squeezy documents them. Any other event name is acknowledged,
 * counted and ignored. What an event does follows from its object, never from its name: a
 * subscription object is a snapshot of the subscription whatever event carries it.
 */
enum LemonSqueezyEvent {

	/** A purchase: the order is recorded with its customer. */
	ORDER_CREATED(ObjectType.ORDER),
	/** An order refunded in full or in part: the order's new state is recorded. */
	ORDER_REFUNDED(ObjectType.ORDER),

	SUBSCRIPTION_CREATED(ObjectType.SUBSCRIPTION),
	/** The catch-all: any change of the subscription. */
	SUBSCRIPTION_UPDATED(ObjectType.SUBSCRIPTION),
	/** Canceled by the customer or the store: entitled until {@code ends_at}. */
	SUBSCRIPTION_CANCELLED(ObjectType.SUBSCRIPTION),
	/** A cancellation withdrawn before {@code ends_at}. */
	SUBSCRIPTION_RESUMED(ObjectType.SUBSCRIPTION),
	/** Ended: after a cancellation's grace or after dunning gave up. */
	SUBSCRIPTION_EXPIRED(ObjectType.SUBSCRIPTION),
	/** Payment collection paused, {@code pause.mode} void or free. */
	SUBSCRIPTION_PAUSED(ObjectType.SUBSCRIPTION), SUBSCRIPTION_UNPAUSED(ObjectType.SUBSCRIPTION),
	/** Another variant or product of the store. */
	SUBSCRIPTION_PLAN_CHANGED(ObjectType.SUBSCRIPTION),

	SUBSCRIPTION_PAYMENT_SUCCESS(ObjectType.SUBSCRIPTION_INVOICE),
	SUBSCRIPTION_PAYMENT_FAILED(ObjectType.SUBSCRIPTION_INVOICE),
	SUBSCRIPTION_PAYMENT_RECOVERED(ObjectType.SUBSCRIPTION_INVOICE),
	SUBSCRIPTION_PAYMENT_REFUNDED(ObjectType.SUBSCRIPTION_INVOICE);

	private final ObjectType data;

	LemonSqueezyEvent(ObjectType data) {
		this.data = data;
	}

	/** The type of object its {@code data} is. */
	ObjectType data() {
		return this.data;
	}

	/** How Lemon Squeezy names it in {@code meta.event_name}. */
	String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The handled event named {@code eventName}, if it is one. */
	static Optional<LemonSqueezyEvent> named(String eventName) {
		return Arrays.stream(values()).filter(event -> event.value().equals(eventName)).findFirst();
	}

	/** The JSON:API types of the objects a handled event carries in {@code data.type}. */
	enum ObjectType {

		/** {@code data.id} is the subscription's id. */
		SUBSCRIPTION("subscriptions"),
		/**
		 * {@code data.id} is the invoice's id; {@code attributes.subscription_id} the
		 * subscription's.
		 */
		SUBSCRIPTION_INVOICE("subscription-invoices"),
		/** {@code data.id} is the order's id; an order names no subscription. */
		ORDER("orders");

		private final String type;

		ObjectType(String type) {
			this.type = type;
		}

		String type() {
			return this.type;
		}

	}

}
