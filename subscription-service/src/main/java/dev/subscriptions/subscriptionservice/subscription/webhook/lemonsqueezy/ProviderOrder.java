package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An order of a billing provider, as its latest delivery describes it.
 *
 * @param provider who took the order ({@code lemon_squeezy})
 * @param providerOrderId the provider's id of the order (an order's {@code data.id})
 * @param customerId our customer, from the checkout's custom data
 * @param productId our product, from the checkout's custom data
 * @param providerCustomerId the provider's id of the customer
 * @param status the provider's status of the order ({@code paid}, {@code refunded}, …)
 * @param total total in minor units of {@code currency}
 * @param currency upper-case ISO 4217 code
 * @param updatedAt when the provider last changed the order
 */
record ProviderOrder(String provider, String providerOrderId, @Nullable UUID customerId, @Nullable UUID productId,
		@Nullable String providerCustomerId, String status, long total, String currency, Instant updatedAt) {
}
