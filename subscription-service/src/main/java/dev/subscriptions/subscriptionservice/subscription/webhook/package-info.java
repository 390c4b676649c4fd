/**
 * Billing providers' webhooks (Lemon Squeezy, Stripe) and what they share: each delivery
 * is verified by its signature over the raw bytes before anything is parsed, recorded
 * once, and what it says written to {@code billing.events} in the same transaction.
 */
@NullMarked
package dev.subscriptions.subscriptionservice.subscription.webhook;

import org.jspecify.annotations.NullMarked;
