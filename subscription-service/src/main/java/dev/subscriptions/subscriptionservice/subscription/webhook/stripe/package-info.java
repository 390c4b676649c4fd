/**
 * Stripe's webhook, {@code POST /webhooks/stripe}: each delivery's
 * {@code Stripe-Signature} is verified over the raw bytes before anything is parsed; its
 * subscription and invoice events are written to {@code billing.events}, once per Stripe
 * event id.
 */
@NullMarked
package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import org.jspecify.annotations.NullMarked;
