/**
 * Lemon Squeezy's webhook, {@code POST /webhooks/lemon-squeezy}: each delivery is
 * verified by its {@code X-Signature} over the raw bytes before it is parsed, then read
 * by its object's type ({@code subscriptions}, {@code subscription-invoices},
 * {@code orders}) into what it says on {@code billing.events}, and recorded once (by
 * {@code meta.webhook_id}). Orders are recorded with their customer; their ids never
 * stand for a subscription's.
 */
@NullMarked
package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import org.jspecify.annotations.NullMarked;
