package dev.subscriptions.subscriptionservice.subscription;

import java.util.Locale;

/**
 * What became of a {@link BillingChange}; counted as
 * {@code billing.changes{provider,outcome}}.
 */
public enum BillingOutcome {

	/** Applied to the subscription it is linked to (or to the link, or to an invoice). */
	APPLIED,
	/** The first snapshot: it created the subscription. */
	CREATED,
	/** Older than the last snapshot applied: ignored; its invoice still applies. */
	STALE,
	/**
	 * The subscription (the provider's or ours) has ended: ignored, nothing re-opens it;
	 * its invoice still applies.
	 */
	AFTER_END,
	/**
	 * The customer was deleted (and its subscription revoked): nothing is created or
	 * granted, no invoice added.
	 */
	CUSTOMER_DELETED,
	/**
	 * An invoice event of a provider subscription that no subscription of ours is linked
	 * to yet: kept until the first snapshot creates the subscription, then applied before
	 * that snapshot's state.
	 */
	PARKED;

	/** How the metric's {@code outcome} tag names it: {@code after_end}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
