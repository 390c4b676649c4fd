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
	/**
	 * Older than the last snapshot applied (or as old, and not ended): ignored; its
	 * invoice still applies.
	 */
	STALE,
	/**
	 * The subscription (the provider's or ours) has ended: ignored, nothing re-opens it;
	 * its invoice still applies.
	 */
	AFTER_END,
	/** The customer was deleted: nothing is created or granted. */
	CUSTOMER_DELETED;

	/** How the metric's {@code outcome} tag names it: {@code after_end}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
