package dev.subscriptions.subscriptionservice.subscription.web;

import java.time.Instant;
import java.util.UUID;

import dev.subscriptions.subscriptionservice.subscription.Subscription;

/**
 * A subscription as the API shows it; statuses and modes in lower case ({@code past_due}).
 */
public record SubscriptionView(UUID id, UUID organizationId, UUID customerId, UUID productId, String status,
		long amount, String currency, Instant currentPeriodStart, Instant currentPeriodEnd, boolean cancelAtPeriodEnd,
		Instant canceledAt, String cancellationReason, String cancellationComment, Instant endsAt, Instant endedAt,
		Instant pausedAt, String pauseMode, String revokedReason, Instant createdAt, Instant modifiedAt) {

	static SubscriptionView of(Subscription s) {
		return new SubscriptionView(s.getId(), s.getOrganizationId(), s.getCustomerId(), s.getProductId(),
				s.getStatus().value(), s.getAmount(), s.getCurrency(), s.getCurrentPeriodStart(),
				s.getCurrentPeriodEnd(), s.isCancelAtPeriodEnd(), s.getCanceledAt(), s.getCancellationReason(),
				s.getCancellationComment(), s.getEndsAt(), s.getEndedAt(), s.getPausedAt(),
				(s.getPauseMode() != null) ? s.getPauseMode().value() : null, s.getRevokedReason(), s.getCreatedAt(),
				s.getModifiedAt());
	}

}
