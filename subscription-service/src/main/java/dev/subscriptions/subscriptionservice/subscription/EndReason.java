package dev.subscriptions.subscriptionservice.subscription;

import java.util.Locale;

/** Why a subscription ended. */
public enum EndReason {

	/** Canceled immediately. */
	CANCELED,
	/** Reached the end of its period after a cancellation at period end. */
	EXPIRED,
	/** Revoked by an administrator. */
	REVOKED,
	/** Its customer was deleted. */
	CUSTOMER_DELETED;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
