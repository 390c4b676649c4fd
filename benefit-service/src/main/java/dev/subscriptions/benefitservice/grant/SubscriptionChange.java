package dev.subscriptions.benefitservice.grant;

import org.jspecify.annotations.Nullable;

/**
 * What happened to a subscription, as far as its grants care, and the one table of what
 * each change does to them: the {@link Access} it calls for, its effect on the past-due
 * clock and, when it revokes, why.
 * <p>
 * Stored by its name in {@code subscription_state.last_event}.
 */
public enum SubscriptionChange {

	/** Subscribed: the product's benefits are granted. */
	CREATED(Access.GRANTED, PastDue.ENDS, null),
	/** Paid (again): access is given back, the past-due clock stops. */
	ACTIVATED(Access.GRANTED, PastDue.ENDS, null),
	/** Resumed after a pause. */
	RESUMED(Access.GRANTED, PastDue.RUNS_ON, null),
	/** A cancellation at period end was taken back. */
	UNCANCELED(Access.GRANTED, PastDue.RUNS_ON, null),
	/** Canceled at the end of the period: access stays until it ends. */
	CANCELED_AT_PERIOD_END(Access.GRANTED, PastDue.RUNS_ON, null),
	/** Canceled at once; the {@link #ENDED} that follows revokes. */
	CANCELED_IMMEDIATELY(Access.UNCHANGED, PastDue.RUNS_ON, null),
	/**
	 * A payment failed: access stays for the grace period, which the past-due clock
	 * measures.
	 */
	PAST_DUE(Access.GRANTED, PastDue.STARTS, null),
	/**
	 * Past due with the grace over (the provider gave up collecting): access is suspended
	 * at once, and stays so until paid.
	 */
	PAST_DUE_GRACE_OVER(Access.SUSPENDED, PastDue.GRACE_OVER, null),
	/** Paused without access (mode {@code void}). */
	PAUSED_VOID(Access.SUSPENDED, PastDue.RUNS_ON, null),
	/** Paused keeping access (mode {@code free}). */
	PAUSED_FREE(Access.GRANTED, PastDue.RUNS_ON, null),
	/** Ended for a reason of its own (canceled, expired, revoked). */
	ENDED(Access.REVOKED, PastDue.RUNS_ON, RevocationReason.SUBSCRIPTION_ENDED),
	/**
	 * Ended because its customer was deleted: revoked with the reason the customer's own
	 * deletion gives, so the deletion report counts these grants.
	 */
	ENDED_BY_CUSTOMER_DELETION(Access.REVOKED, PastDue.RUNS_ON, RevocationReason.CUSTOMER_DELETED);

	/** What a change does to the time since which the subscription is past due. */
	public enum PastDue {

		/** Starts it, unless it already runs (the earliest unpaid time counts). */
		STARTS,
		/**
		 * Starts it like {@link #STARTS}, with the grace over whatever its length:
		 * nothing but a payment ({@link #ENDS}) gives access back.
		 */
		GRACE_OVER,
		/** Clears it (and a grace over with it). */
		ENDS,
		/** Leaves it as it is. */
		RUNS_ON

	}

	private final Access access;

	private final PastDue pastDue;

	private final @Nullable RevocationReason revocationReason;

	SubscriptionChange(Access access, PastDue pastDue, @Nullable RevocationReason revocationReason) {
		this.access = access;
		this.pastDue = pastDue;
		this.revocationReason = revocationReason;
	}

	/**
	 * The access the subscription's grants are brought to (before the past-due grace is
	 * taken into account).
	 */
	public Access access() {
		return this.access;
	}

	public PastDue pastDue() {
		return this.pastDue;
	}

	/**
	 * Why grants end with this change.
	 * @throws IllegalStateException when it revokes nothing
	 */
	public RevocationReason revocationReason() {
		if (this.revocationReason == null) {
			throw new IllegalStateException(name() + " revokes no grant");
		}
		return this.revocationReason;
	}

}
