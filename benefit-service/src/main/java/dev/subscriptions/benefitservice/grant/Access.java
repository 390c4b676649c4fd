package dev.subscriptions.benefitservice.grant;

/**
 * The access a subscription's latest event calls for. Applying the latest event's access
 * (and ignoring older events) makes any order and any number of deliveries end in the
 * same state.
 */
public enum Access {

	/** The product's benefits are granted and not suspended. */
	GRANTED,
	/** The grants exist but give no access. */
	SUSPENDED,
	/** The grants are ended for good. */
	REVOKED,
	/** Nothing changes. */
	UNCHANGED

}
