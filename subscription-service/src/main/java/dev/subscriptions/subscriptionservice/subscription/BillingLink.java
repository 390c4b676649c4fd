package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What subscription-service knows of one billing provider's subscription: which of ours
 * it is, and the ordering state of its snapshots. The rules of order are here: a snapshot
 * older than the last applied is stale; one as old is applied, so that of two states in
 * the same second (the providers' times have one-second resolution) the later record in
 * partition order wins; once ended, nothing is applied any more, so an ended state still
 * wins a tie whichever comes first.
 *
 * @param subscriptionId ours; none while none exists
 * @param lastSnapshotAt {@code occurred_at} of the last snapshot applied
 * @param ended the provider's subscription, or ours, has ended
 */
record BillingLink(String provider, String providerSubscriptionId, @Nullable UUID subscriptionId,
		@Nullable Instant lastSnapshotAt, boolean ended) {

	/**
	 * Whether a snapshot taken at {@code at} comes too late to be applied: it is older
	 * than the last applied (one as old is not).
	 */
	boolean isStale(Instant at) {
		return this.lastSnapshotAt != null && at.isBefore(this.lastSnapshotAt);
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
