package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;
import java.util.UUID;

/**
 * The subscription's period (or its cancellation at period end) has already come to its
 * end, so an action that depends on the period still running is refused. The subscription
 * may still be live: the period-end job ends due subscriptions every few seconds.
 */
public class SubscriptionPeriodAlreadyEnded extends TransitionRefused {

	public SubscriptionPeriodAlreadyEnded(UUID id, String action, SubscriptionStatus status, Instant periodEnd,
			String instead) {
		super(id, action, status, "The period of subscription " + id + " ended at " + periodEnd + " (status "
				+ status.value() + "); it cannot " + action.replace('_', ' ') + ": " + instead);
	}

}
