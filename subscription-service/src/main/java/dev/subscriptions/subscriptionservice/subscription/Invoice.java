package dev.subscriptions.subscriptionservice.subscription;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An invoice of a subscription's period. An unpaid one stays open whatever happens to the
 * subscription: cancelling an overdue subscription does not forgive the debt. One of a
 * billing provider is known by the provider's id of it ({@code provider},
 * {@code providerInvoiceId}), and follows what the provider says of it, forward only.
 */
@Table("invoice")
public class Invoice {

	/**
	 * Open, paid, void, or refunded after it was paid. An open one may become any other;
	 * a paid one refunded; void and refunded are final.
	 */
	public enum Status {

		OPEN, PAID, VOID, REFUNDED;

		/** Whether an invoice in this status may move on to {@code next}. */
		boolean canBecome(Status next) {
			return (this == OPEN && next != OPEN) || (this == PAID && next == REFUNDED);
		}

		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		/**
		 * The status named {@code value} ({@code paid} or {@code PAID}).
		 * @throws IllegalArgumentException when it is none of these
		 */
		public static Status of(String value) {
			return java.util.Arrays.stream(values())
				.filter(status -> status.name().equalsIgnoreCase(value))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(
						"Unknown invoice status " + value + "; open, paid, void or refunded"));
		}

	}

	@Id
	private final UUID id;

	private final UUID subscriptionId;

	private long amount;

	private String currency;

	private Status status;

	private final Instant dueAt;

	private @Nullable Instant paidAt;

	private final Instant createdAt;

	private @Nullable String provider;

	private @Nullable String providerInvoiceId;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	Invoice(UUID id, UUID subscriptionId, long amount, String currency, Status status, Instant dueAt,
			@Nullable Instant paidAt, Instant createdAt, @Nullable String provider, @Nullable String providerInvoiceId,
			@Nullable Long version) {
		this.id = id;
		this.subscriptionId = subscriptionId;
		this.amount = amount;
		this.currency = currency;
		this.status = status;
		this.dueAt = dueAt;
		this.paidAt = paidAt;
		this.createdAt = createdAt;
		this.provider = provider;
		this.providerInvoiceId = providerInvoiceId;
		this.version = version;
	}

	/** An open invoice for the subscription's current period, due now. */
	static Invoice open(Subscription subscription, Clock clock) {
		Instant now = clock.instant();
		return new Invoice(UUID.randomUUID(), subscription.getId(), subscription.getAmount(),
				subscription.getCurrency(), Status.OPEN, now, null, now, null, null, null);
	}

	/**
	 * An invoice of the subscription as its billing provider has it, told at {@code at}
	 * (due then, and paid then when it is paid or refunded).
	 */
	static Invoice ofProvider(Subscription subscription, String provider, BillingChange.ProviderInvoice invoice,
			Instant at, Clock clock) {
		Status status = invoice.status();
		return new Invoice(UUID.randomUUID(), subscription.getId(), invoice.amount(), invoice.currency(), status, at,
				(status == Status.PAID || status == Status.REFUNDED) ? at : null, clock.instant(), provider,
				invoice.providerInvoiceId(), null);
	}

	/**
	 * Follows what the provider says of it at {@code at}: forward only (open to paid or
	 * void, paid to refunded); the same status again, or one it has moved past, changes
	 * nothing, so two events about one payment pay it once.
	 * @return whether it changed
	 */
	boolean follow(Status status, Instant at) {
		if (!this.status.canBecome(status)) {
			return false;
		}
		if (this.paidAt == null && (status == Status.PAID || status == Status.REFUNDED)) {
			this.paidAt = at;
		}
		this.status = status;
		return true;
	}

	/**
	 * Becomes the provider's invoice {@code invoice}: an open invoice of ours, opened
	 * because a snapshot said the subscription is overdue before the provider's invoice
	 * event came, is that invoice. It takes the provider's id, amount and currency, then
	 * follows the provider's status at {@code at} ({@link #follow}), so that one debt is
	 * one invoice (and the {@code SubscriptionPastDue} that named ours names it still).
	 * @throws IllegalStateException when it is the provider's already, or not open
	 */
	void adopt(String provider, BillingChange.ProviderInvoice invoice, Instant at) {
		if (this.provider != null || this.status != Status.OPEN) {
			throw new IllegalStateException("Invoice " + this.id + " is " + this.status.value()
					+ ((this.provider != null) ? " and " + this.provider + "'s already" : "") + "; not one to adopt");
		}
		this.provider = provider;
		this.providerInvoiceId = invoice.providerInvoiceId();
		this.amount = invoice.amount();
		this.currency = invoice.currency();
		follow(invoice.status(), at);
	}

	/** Records the payment; paying a paid invoice changes nothing. */
	void pay(Clock clock) {
		if (this.status == Status.PAID) {
			return;
		}
		if (this.status == Status.VOID) {
			throw new IllegalStateException("Invoice " + this.id + " is void");
		}
		this.status = Status.PAID;
		this.paidAt = clock.instant();
	}

	/** Whether it has not been saved yet. */
	boolean isNew() {
		return this.version == null;
	}

	public UUID getId() {
		return this.id;
	}

	public UUID getSubscriptionId() {
		return this.subscriptionId;
	}

	public long getAmount() {
		return this.amount;
	}

	public String getCurrency() {
		return this.currency;
	}

	public Status getStatus() {
		return this.status;
	}

	public Instant getDueAt() {
		return this.dueAt;
	}

	public @Nullable Instant getPaidAt() {
		return this.paidAt;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	/** The billing provider that issued it; none for an invoice of ours. */
	public @Nullable String getProvider() {
		return this.provider;
	}

	/** The provider's id of it; none for an invoice of ours. */
	public @Nullable String getProviderInvoiceId() {
		return this.providerInvoiceId;
	}

}
