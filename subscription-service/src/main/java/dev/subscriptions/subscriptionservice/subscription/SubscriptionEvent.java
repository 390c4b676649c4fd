package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What happened to a subscription, in past tense. Each carries the subscription's
 * sequence number, so that consumers can ignore an event older than one they already
 * applied.
 */
public sealed interface SubscriptionEvent {

	Header header();

	/**
	 * What every event says.
	 *
	 * @param sequence the subscription's n-th event, from 1
	 */
	record Header(UUID eventId, Instant occurredAt, UUID organizationId, UUID customerId, UUID subscriptionId,
			UUID productId, long sequence) {
	}

	record Created(Header header, SubscriptionStatus status, long amount, String currency, Instant currentPeriodStart,
			Instant currentPeriodEnd) implements SubscriptionEvent {
	}

	record Canceled(Header header, boolean atPeriodEnd, @Nullable Instant endsAt,
			@Nullable String reason) implements SubscriptionEvent {
	}

	record Uncanceled(Header header) implements SubscriptionEvent {
	}

	/**
	 * Overdue with {@code invoiceId} open.
	 *
	 * @param graceOver the provider gave up collecting: access is suspended at once
	 */
	record PastDue(Header header, UUID invoiceId, boolean graceOver) implements SubscriptionEvent {
	}

	record Activated(Header header) implements SubscriptionEvent {
	}

	record Paused(Header header, PauseMode mode) implements SubscriptionEvent {
	}

	record Resumed(Header header) implements SubscriptionEvent {
	}

	record Ended(Header header, EndReason reason, Instant endedAt) implements SubscriptionEvent {
	}

}
