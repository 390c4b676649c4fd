package dev.subscriptions.subscriptionservice.subscription.webhook;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.messaging.BillingEvents;

/**
 * Records each verified webhook delivery once and writes what it says to
 * {@code billing.events}, in one transaction: a delivery is acknowledged (200) only once
 * its changes are in the outbox, and a provider's retry of it stores nothing more.
 * <p>
 * Counts {@code billing.webhook.deliveries{provider, event, outcome}}: {@code applied},
 * {@code replayed} (a delivery seen before), {@code ignored} (an event name not handled,
 * or another mode's event).
 */
@Service
public class WebhookDeliveries {

	private final JdbcClient jdbc;

	private final BillingEvents billingEvents;

	private final MeterRegistry meters;

	WebhookDeliveries(JdbcClient jdbc, BillingEvents billingEvents, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.billingEvents = billingEvents;
		this.meters = meters;
	}

	/**
	 * Records the delivery {@code deliveryId} of {@code provider} and appends its
	 * {@code change} (if it makes one) to the outbox, unless it was recorded before.
	 * @return whether it was new (false for a replay, which changes nothing)
	 */
	@Transactional
	public boolean accept(String provider, String deliveryId, String eventName, @Nullable BillingChange change) {
		boolean recorded = this.jdbc.sql("""
				insert into webhook_delivery (provider, delivery_id, event_name, received_at)
				values (?, ?, ?, now())
				on conflict do nothing""").params(provider, deliveryId, eventName).update() == 1;
		if (recorded && change != null) {
			this.billingEvents.append(change);
		}
		count(provider, eventName, recorded ? "applied" : "replayed");
		return recorded;
	}

	/** Counts a delivery acknowledged and not applied: an event not handled here. */
	public void ignored(String provider, String eventName) {
		count(provider, eventName, "ignored");
	}

	/**
	 * The event id of the change a delivery makes: derived from the delivery, so that a
	 * replay that got past the delivery record would carry the same id, and the
	 * consumer's inbox would drop it.
	 */
	public static UUID eventId(String provider, String deliveryId) {
		return UUID.nameUUIDFromBytes((provider + ":" + deliveryId).getBytes(StandardCharsets.UTF_8));
	}

	private void count(String provider, String eventName, String outcome) {
		this.meters.counter("billing.webhook.deliveries", "provider", provider, "event", eventName, "outcome", outcome)
			.increment();
	}

}
