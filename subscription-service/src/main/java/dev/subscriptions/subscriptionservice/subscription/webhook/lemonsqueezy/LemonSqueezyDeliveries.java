package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;

/**
 * Applies one verified Lemon Squeezy delivery in one transaction: the delivery record,
 * its changes in the outbox and its order, so that a retry of it stores nothing more.
 */
@Service
class LemonSqueezyDeliveries {

	private final WebhookDeliveries deliveries;

	private final ProviderOrders orders;

	LemonSqueezyDeliveries(WebhookDeliveries deliveries, ProviderOrders orders) {
		this.deliveries = deliveries;
		this.orders = orders;
	}

	/**
	 * Records the delivery, appends its {@code change} (if any) to the outbox and records
	 * {@code order}, unless the delivery was recorded before.
	 * @return whether it was new
	 */
	@Transactional
	public boolean apply(String deliveryId, String eventName, @Nullable BillingChange change,
			@Nullable ProviderOrder order) {
		boolean recorded = this.deliveries.accept(BillingChange.LEMON_SQUEEZY, deliveryId, eventName, change);
		if (recorded && order != null) {
			this.orders.record(order);
		}
		return recorded;
	}

	/** Counts a delivery acknowledged and not applied. */
	public void ignored(String eventName) {
		this.deliveries.ignored(BillingChange.LEMON_SQUEEZY, eventName);
	}

}
