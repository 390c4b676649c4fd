package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What subscription-service knows of one billing provider's subscription: which of ours
 * it is, and the ordering state of its snapshots. The rules of order are here: a snapshot
 * older than the last applied is stale; one as old is stale too, unless it ends the
 * subscription (an ended state wins a tie; otherwise the first applied stays); once
 * ended, nothing is applied any more.
 *
 * @param subscriptionId ours; none while none exists
 * @param lastSnapshotAt {@code occurred_at} of the last snapshot applied
 * @param ended the provider's subscription, or ours, has ended
 */
record BillingLink(String provider, String providerSubscriptionId, @Nullable UUID subscriptionId,
		@Nullable Instant lastSnapshotAt, boolean ended) {

	/** Whether a snapshot taken at {@code at} comes too late to be applied. */
	boolean isStale(Instant at, boolean ends) {
		if (this.lastSnapshotAt == null) {
			return false;
		}
		return at.isBefore(this.lastSnapshotAt) || (at.equals(this.lastSnapshotAt) && !ends);
	}

	/** The link once a snapshot taken at {@code at} is applied. */
	BillingLink applied(Instant at, @Nullable UUID subscriptionId, boolean ended) {
		Instant last = (this.lastSnapshotAt != null && this.lastSnapshotAt.isAfter(at)) ? this.lastSnapshotAt : at;
		return new BillingLink(this.provider, this.providerSubscriptionId, subscriptionId, last, this.ended || ended);
	}

	/** The link once its subscription is found ended. */
	BillingLink asEnded() {
		return new BillingLink(this.provider, this.providerSubscriptionId, this.subscriptionId, this.lastSnapshotAt,
				true);
	}

}
