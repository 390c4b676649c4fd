package dev.subscriptions.subscriptionservice.subscription;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a subscription is in its life, and which actions each status allows. Every rule
 * is here, at a glance; the aggregate asks, and {@code SubscriptionTransitionsTests}
 * walks every (status, action) pair. Rules that depend on time rather than status (a
 * period that has already ended) are in {@link Subscription}.
 */
public enum SubscriptionStatus {

	TRIALING, ACTIVE, PAST_DUE, PAUSED, CANCELED, REVOKED;

	/** Ended subscriptions are final: nothing changes them any more. */
	public boolean hasEnded() {
		return this == CANCELED || this == REVOKED;
	}

	/**
	 * Overdue subscriptions may be canceled like any live one: their unpaid invoice stays
	 * open.
	 */
	boolean canCancelAtPeriodEnd() {
		return this == TRIALING || this == ACTIVE || this == PAST_DUE;
	}

	/** Every live subscription, paused ones too, may be canceled immediately. */
	boolean canCancelImmediately() {
		return !hasEnded();
	}

	boolean canPause() {
		return this == TRIALING || this == ACTIVE;
	}

	boolean canResume() {
		return this == PAUSED;
	}

	boolean canBecomePastDue() {
		return this == TRIALING || this == ACTIVE;
	}

	/** Overdue with the grace over: from where a payment can fail, and from overdue. */
	boolean canBecomeUnpaid() {
		return this == TRIALING || this == ACTIVE || this == PAST_DUE;
	}

	boolean canBecomeActive() {
		return this == TRIALING || this == PAST_DUE;
	}

	/** How the API and the events name it: {@code past_due}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The status named {@code value} ({@code past_due} or {@code PAST_DUE}). */
	public static SubscriptionStatus of(String value) {
		return Arrays.stream(values())
			.filter(status -> status.name().equalsIgnoreCase(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown status " + value + "; one of "
					+ Arrays.stream(values()).map(SubscriptionStatus::value).toList()));
	}

}
