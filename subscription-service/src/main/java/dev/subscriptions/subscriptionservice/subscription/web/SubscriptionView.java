package dev.subscriptions.subscriptionservice.subscription.web;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.subscriptions.subscriptionservice.subscription.Cancellation;
import dev.subscriptions.subscriptionservice.subscription.Pause;
import dev.subscriptions.subscriptionservice.subscription.Subscription;

/**
 * A subscription as the API shows it; statuses and modes in lower case
 * ({@code past_due}). The cancellation and the pause are flat fields here, as they were
 * before the aggregate kept them as values. {@code provider} and
 * {@code providerSubscriptionId} name the billing provider's subscription it follows;
 * none for one created over the API.
 */
public record SubscriptionView(UUID id, UUID organizationId, UUID customerId, UUID productId, String status,
		long amount, String currency, Instant currentPeriodStart, Instant currentPeriodEnd, boolean cancelAtPeriodEnd,
		@Nullable Instant canceledAt, @Nullable String cancellationReason, @Nullable String cancellationComment,
		@Nullable Instant endsAt, @Nullable Instant endedAt, @Nullable Instant pausedAt, @Nullable String pauseMode,
		@Nullable String revokedReason, @Nullable String provider, @Nullable String providerSubscriptionId,
		Instant createdAt, Instant modifiedAt) {

	static SubscriptionView of(Subscription s) {
		Cancellation cancellation = s.getCancellation();
		Pause pause = s.getPause();
		return new SubscriptionView(s.getId(), s.getOrganizationId(), s.getCustomerId(), s.getProductId(),
				s.getStatus().value(), s.getAmount(), s.getCurrency(), s.getCurrentPeriodStart(),
				s.getCurrentPeriodEnd(), s.isCancelAtPeriodEnd(), (cancellation != null) ? cancellation.at() : null,
				(cancellation != null) ? cancellation.reason() : null,
				(cancellation != null) ? cancellation.comment() : null, s.getEndsAt(), s.getEndedAt(),
				(pause != null) ? pause.at() : null, (pause != null) ? pause.mode().value() : null,
				s.getRevokedReason(), s.getProvider(), s.getProviderSubscriptionId(), s.getCreatedAt(),
				s.getModifiedAt());
	}

}
