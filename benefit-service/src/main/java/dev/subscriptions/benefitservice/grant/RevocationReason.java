package dev.subscriptions.benefitservice.grant;

import java.util.Arrays;
import java.util.Locale;

/** Why a grant was revoked; stored and shown as its {@link #value()}. */
public enum RevocationReason {

	/**
	 * Its customer was deleted (directly, or through the end of a subscription that the
	 * deletion ended).
	 */
	CUSTOMER_DELETED,
	/** Its subscription ended for a reason of its own: canceled, expired or revoked. */
	SUBSCRIPTION_ENDED,
	/** Its benefit was deleted. */
	BENEFIT_DELETED;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static RevocationReason of(String value) {
		return Arrays.stream(values())
			.filter(reason -> reason.name().equalsIgnoreCase(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown revocation reason " + value + "; one of "
					+ Arrays.stream(values()).map(RevocationReason::value).toList()));
	}

}
