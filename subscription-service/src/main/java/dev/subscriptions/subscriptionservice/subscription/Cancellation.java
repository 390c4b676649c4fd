package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.relational.core.mapping.Column;

/**
 * How a subscription was canceled: when, why ({@code reason}, a short code) and in the
 * customer's words, and whether at the end of its period ({@code endsAt}) or immediately.
 * Embedded in the subscription's row; none while it is not canceled (or the cancellation
 * was taken back).
 *
 * @param atPeriodEnd canceled at period end rather than immediately; it stays so once the
 * subscription has ended
 * @param endsAt when a cancellation at period end takes effect; none for an immediate one
 */
public record Cancellation(@Column("canceled_at") Instant at, @Column("cancellation_reason") @Nullable String reason,
		@Column("cancellation_comment") @Nullable String comment, @Column("cancel_at_period_end") boolean atPeriodEnd,
		@Column("ends_at") @Nullable Instant endsAt) {

	/** The longest reason kept (a short code such as {@code too_expensive}). */
	public static final int MAX_REASON_LENGTH = 64;

	/** The longest comment kept (the customer's own words). */
	public static final int MAX_COMMENT_LENGTH = 2000;

	/**
	 * @throws IllegalArgumentException when the reason or comment is longer than kept
	 */
	public Cancellation {
		requireAtMost(MAX_REASON_LENGTH, reason, "reason");
		requireAtMost(MAX_COMMENT_LENGTH, comment, "comment");
	}

	static Cancellation atPeriodEnd(Instant at, @Nullable String reason, @Nullable String comment, Instant endsAt) {
		return new Cancellation(at, reason, comment, true, endsAt);
	}

	static Cancellation immediately(Instant at, @Nullable String reason, @Nullable String comment) {
		return new Cancellation(at, reason, comment, false, null);
	}

	private static void requireAtMost(int maxLength, @Nullable String value, String name) {
		if (value != null && value.length() > maxLength) {
			throw new IllegalArgumentException(
					"The cancellation " + name + " is longer than " + maxLength + " characters");
		}
	}

}
