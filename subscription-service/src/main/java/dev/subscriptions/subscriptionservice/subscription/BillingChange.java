package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What a billing provider (Lemon Squeezy, Stripe) or another billing system says about
 * one of its subscriptions: the domain value of a {@code BillingSubscriptionChanged} on
 * {@code billing.events}, which the webhooks write and the subscriptions follow.
 * <p>
 * With a {@link #status()} it is a <em>snapshot</em> of the provider's subscription at
 * {@link #occurredAt()}: the subscription's state is derived from it, never from the name
 * of the provider's event. Without one (an invoice event) only its {@link #invoice()}
 * applies.
 *
 * @param eventId the event's id; applied once
 * @param occurredAt when the provider changed the subscription; a snapshot older than the
 * last applied one is ignored
 * @param provider who bills it: {@code lemon_squeezy}, {@code stripe}, another system's
 * name
 * @param providerSubscriptionId the provider's id of the subscription (never an order's
 * or an invoice's)
 * @param customerId our customer, needed to create the subscription on its first snapshot
 * @param productId our product, needed to create the subscription on its first snapshot
 * @param status the provider subscription's status; none for an invoice event
 * @param cancelAtPeriodEnd canceled, entitled until {@code endsAt}
 * @param pauseMode with status {@link Status#PAUSED}: what the pause does to access
 * @param resumesAt when a pause ends by itself, if it does
 * @param currentPeriodEnd when the current billing period ends
 * @param endsAt when a subscription canceled at period end stops, or when an ended one
 * stopped
 * @param invoice the invoice the provider's event is about, if any
 */
public record BillingChange(UUID eventId, Instant occurredAt, String provider, String providerSubscriptionId,
		@Nullable UUID customerId, @Nullable UUID productId, @Nullable Status status, boolean cancelAtPeriodEnd,
		@Nullable PauseMode pauseMode, @Nullable Instant resumesAt, @Nullable Instant currentPeriodEnd,
		@Nullable Instant endsAt, @Nullable ProviderInvoice invoice) {

	/** Providers' names of their own, as the contract spells them. */
	public static final String LEMON_SQUEEZY = "lemon_squeezy";

	public static final String STRIPE = "stripe";

	/** Whether it is a snapshot of the provider's subscription (it has a status). */
	public boolean isSnapshot() {
		return this.status != null;
	}

	/** The status of a provider's subscription, as {@code billing.events} names it. */
	public enum Status {

		TRIALING, ACTIVE,
		/** Overdue, the grace period running. */
		PAST_DUE,
		/** Overdue, the provider gave up collecting: the grace is over. */
		UNPAID, PAUSED, CANCELED, EXPIRED;

		/** Ended: nothing re-opens the subscription afterwards. */
		public boolean hasEnded() {
			return this == CANCELED || this == EXPIRED;
		}

		/** How the contract names it: {@code past_due}. */
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The status named {@code value} ({@code past_due}).
		 * @throws IllegalArgumentException when it is none of the contract's
		 */
		public static Status of(String value) {
			return Arrays.stream(values())
				.filter(status -> status.value().equals(value))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown billing status " + value + "; one of "
						+ Arrays.stream(values()).map(Status::value).toList()));
		}

	}

	/**
	 * An invoice as the provider has it; its effects apply once per
	 * {@code providerInvoiceId}.
	 *
	 * @param amount total in minor units of {@code currency}
	 * @param currency upper-case ISO 4217 code
	 */
	public record ProviderInvoice(String providerInvoiceId, Invoice.Status status, long amount, String currency) {
	}

}
