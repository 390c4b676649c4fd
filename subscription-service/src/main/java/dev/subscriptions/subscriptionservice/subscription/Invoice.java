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
 * subscription: cancelling an overdue subscription does not forgive the debt.
 */
@Table("invoice")
public class Invoice {

	/** Open, paid, void, or refunded after it was paid. */
	public enum Status {

		OPEN, PAID, VOID, REFUNDED;

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

	private final long amount;

	private final String currency;

	private Status status;

	private final Instant dueAt;

	private @Nullable Instant paidAt;

	private final Instant createdAt;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	Invoice(UUID id, UUID subscriptionId, long amount, String currency, Status status, Instant dueAt,
			@Nullable Instant paidAt, Instant createdAt, @Nullable Long version) {
		this.id = id;
		this.subscriptionId = subscriptionId;
		this.amount = amount;
		this.currency = currency;
		this.status = status;
		this.dueAt = dueAt;
		this.paidAt = paidAt;
		this.createdAt = createdAt;
		this.version = version;
	}

	/** An open invoice for the subscription's current period, due now. */
	static Invoice open(Subscription subscription, Clock clock) {
		Instant now = clock.instant();
		return new Invoice(UUID.randomUUID(), subscription.getId(), subscription.getAmount(),
				subscription.getCurrency(), Status.OPEN, now, null, now, null);
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

}
