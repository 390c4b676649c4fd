package dev.subscriptions.subscriptionservice.subscription;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A customer's subscription to a product. Each transition is one method that checks the status (rules in
 * {@link SubscriptionStatus}), changes the state and records a past-tense {@link SubscriptionEvent}, numbered in
 * sequence.
 */
@Table("subscription")
public class Subscription extends AbstractAggregateRoot<Subscription> {

	/** The longest cancellation reason kept (a short code such as {@code too_expensive}). */
	public static final int MAX_CANCELLATION_REASON_LENGTH = 64;

	/** The longest cancellation comment kept (the customer's own words). */
	public static final int MAX_CANCELLATION_COMMENT_LENGTH = 2000;

	@Id
	private final UUID id;

	private final UUID organizationId;

	private final UUID customerId;

	private final UUID productId;

	private SubscriptionStatus status;

	private final long amount;

	private final String currency;

	private Instant currentPeriodStart;

	private Instant currentPeriodEnd;

	private boolean cancelAtPeriodEnd;

	private Instant canceledAt;

	private String cancellationReason;

	private String cancellationComment;

	private Instant endsAt;

	private Instant endedAt;

	private Instant pausedAt;

	private PauseMode pauseMode;

	private String revokedReason;

	private final String provider;

	private final String providerSubscriptionId;

	private long eventSequence;

	@Version
	private Long version;

	private final Instant createdAt;

	private Instant modifiedAt;

	@PersistenceCreator
	Subscription(UUID id, UUID organizationId, UUID customerId, UUID productId, SubscriptionStatus status, long amount,
			String currency, Instant currentPeriodStart, Instant currentPeriodEnd, boolean cancelAtPeriodEnd,
			Instant canceledAt, String cancellationReason, String cancellationComment, Instant endsAt, Instant endedAt,
			Instant pausedAt, PauseMode pauseMode, String revokedReason, String provider, String providerSubscriptionId,
			long eventSequence, Long version, Instant createdAt, Instant modifiedAt) {
		this.id = id;
		this.organizationId = organizationId;
		this.customerId = customerId;
		this.productId = productId;
		this.status = status;
		this.amount = amount;
		this.currency = currency;
		this.currentPeriodStart = currentPeriodStart;
		this.currentPeriodEnd = currentPeriodEnd;
		this.cancelAtPeriodEnd = cancelAtPeriodEnd;
		this.canceledAt = canceledAt;
		this.cancellationReason = cancellationReason;
		this.cancellationComment = cancellationComment;
		this.endsAt = endsAt;
		this.endedAt = endedAt;
		this.pausedAt = pausedAt;
		this.pauseMode = pauseMode;
		this.revokedReason = revokedReason;
		this.provider = provider;
		this.providerSubscriptionId = providerSubscriptionId;
		this.eventSequence = eventSequence;
		this.version = version;
		this.createdAt = createdAt;
		this.modifiedAt = modifiedAt;
	}

	/**
	 * A new subscription, trialing for {@code trialDays} when given, otherwise active for a first monthly period.
	 */
	public static Subscription create(UUID organizationId, UUID customerId, UUID productId, long amount,
			String currency, int trialDays, Clock clock) {
		Instant now = clock.instant();
		Instant periodEnd = (trialDays > 0) ? now.plusSeconds(trialDays * 86_400L)
				: now.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
		Subscription subscription = new Subscription(UUID.randomUUID(), organizationId, customerId, productId,
				(trialDays > 0) ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE, amount, currency, now,
				periodEnd, false, null, null, null, null, null, null, null, null, null, null, 0, null, now, now);
		subscription.record(header -> new SubscriptionEvent.Created(header, subscription.status, amount, currency,
				subscription.currentPeriodStart, subscription.currentPeriodEnd), now);
		return subscription;
	}

	/**
	 * Cancels, keeping why ({@code reason}, a short code) and the customer's {@code comment}; both may be null.
	 * <ul>
	 * <li>Immediately: the subscription ends now.</li>
	 * <li>At period end: it stays live until {@code current_period_end}, then the period-end job ends it. This needs a
	 * period that is still running: once {@code current_period_end} is not after now there is no "end of the period"
	 * left to wait for, and ending it later with an end date in the past would misstate when access stopped, so the
	 * cancellation is refused and the client is told to cancel immediately. Asking again while already canceled at
	 * period end changes nothing (the first reason and comment stay).</li>
	 * </ul>
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws SubscriptionPeriodAlreadyEnded when asked to cancel at period end after the period has ended
	 * @throws TransitionRefused when its status does not allow the cancellation (paused, at period end)
	 * @throws IllegalArgumentException when the reason or comment is longer than kept
	 */
	public void cancel(boolean immediately, String reason, String comment, Clock clock) {
		requireLive("cancel");
		requireAtMost(MAX_CANCELLATION_REASON_LENGTH, reason, "reason");
		requireAtMost(MAX_CANCELLATION_COMMENT_LENGTH, comment, "comment");
		Instant now = clock.instant();
		if (immediately) {
			require(this.status.canCancelImmediately(), "cancel");
			this.canceledAt = now;
			this.cancellationReason = reason;
			this.cancellationComment = comment;
			this.cancelAtPeriodEnd = false;
			this.endsAt = null;
			record(header -> new SubscriptionEvent.Canceled(header, false, null, reason), now);
			end(SubscriptionStatus.CANCELED, EndReason.CANCELED, now);
			return;
		}
		require(this.status.canCancelAtPeriodEnd(), "cancel_at_period_end");
		if (this.cancelAtPeriodEnd) {
			return;
		}
		if (!this.currentPeriodEnd.isAfter(now)) {
			throw new SubscriptionPeriodAlreadyEnded(this.id, "cancel_at_period_end", this.status,
					this.currentPeriodEnd, "cancel it immediately instead");
		}
		this.cancelAtPeriodEnd = true;
		this.canceledAt = now;
		this.cancellationReason = reason;
		this.cancellationComment = comment;
		this.endsAt = this.currentPeriodEnd;
		record(header -> new SubscriptionEvent.Canceled(header, true, this.endsAt, reason), now);
	}

	/**
	 * Takes back a cancellation at period end, with its reason and comment, while the period still runs. Once
	 * {@code ends_at} is not after now the subscription is due to end (the period-end job only runs every few seconds)
	 * and is not brought back.
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws SubscriptionPeriodAlreadyEnded when its cancellation has come due
	 * @throws TransitionRefused when it is not canceled at period end
	 */
	public void uncancel(Clock clock) {
		requireLive("uncancel");
		if (!this.cancelAtPeriodEnd) {
			throw new TransitionRefused(this.id, "uncancel", this.status,
					"Subscription " + this.id + " is not canceled at period end (status " + this.status.value() + ")");
		}
		Instant now = clock.instant();
		if (this.endsAt != null && !this.endsAt.isAfter(now)) {
			throw new SubscriptionPeriodAlreadyEnded(this.id, "uncancel", this.status, this.endsAt,
					"it ends as canceled");
		}
		this.cancelAtPeriodEnd = false;
		this.canceledAt = null;
		this.cancellationReason = null;
		this.cancellationComment = null;
		this.endsAt = null;
		record(SubscriptionEvent.Uncanceled::new, now);
	}

	/** Pauses; with {@code void} access is suspended meanwhile, with {@code free} it is kept. */
	public void pause(PauseMode mode, Clock clock) {
		requireLive("pause");
		require(this.status.canPause(), "pause");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.PAUSED;
		this.pausedAt = now;
		this.pauseMode = mode;
		record(header -> new SubscriptionEvent.Paused(header, mode), now);
	}

	/** Resumes a paused subscription. */
	public void resume(Clock clock) {
		requireLive("resume");
		require(this.status.canResume(), "resume");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.ACTIVE;
		this.pausedAt = null;
		this.pauseMode = null;
		record(SubscriptionEvent.Resumed::new, now);
	}

	/**
	 * A payment failed: the subscription becomes overdue with {@code invoice} open.
	 * @return false when it was overdue already (nothing changes)
	 */
	public boolean markPastDue(Invoice invoice, Clock clock) {
		requireLive("become_past_due");
		if (this.status == SubscriptionStatus.PAST_DUE) {
			return false;
		}
		require(this.status.canBecomePastDue(), "become_past_due");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.PAST_DUE;
		record(header -> new SubscriptionEvent.PastDue(header, invoice.getId()), now);
		return true;
	}

	/**
	 * A payment succeeded (or a trial converted): the subscription is active again.
	 * @return false when it was active already (nothing changes)
	 */
	public boolean activate(Clock clock) {
		requireLive("activate");
		if (this.status == SubscriptionStatus.ACTIVE) {
			return false;
		}
		require(this.status.canBecomeActive(), "activate");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.ACTIVE;
		record(SubscriptionEvent.Activated::new, now);
		return true;
	}

	/**
	 * Ends the subscription at once, by the system: an administrator or the deletion of its customer.
	 * @return false when it had ended already (nothing changes; revoking is idempotent)
	 */
	public boolean revoke(EndReason reason, Clock clock) {
		if (reason != EndReason.REVOKED && reason != EndReason.CUSTOMER_DELETED) {
			throw new IllegalArgumentException("Not a revocation: " + reason);
		}
		if (this.status.hasEnded()) {
			return false;
		}
		this.revokedReason = reason.value();
		end(SubscriptionStatus.REVOKED, reason, clock.instant());
		return true;
	}

	/**
	 * Ends a subscription canceled at period end once that end has passed.
	 * @return whether it ended now
	 */
	public boolean endIfDue(Clock clock) {
		Instant now = clock.instant();
		if (this.status.hasEnded() || !this.cancelAtPeriodEnd || this.endsAt == null || this.endsAt.isAfter(now)) {
			return false;
		}
		end(SubscriptionStatus.CANCELED, EndReason.EXPIRED, this.endsAt);
		return true;
	}

	private void end(SubscriptionStatus endStatus, EndReason reason, Instant at) {
		this.status = endStatus;
		this.endedAt = at;
		this.cancelAtPeriodEnd = false;
		record(header -> new SubscriptionEvent.Ended(header, reason, at), at);
	}

	private void requireLive(String action) {
		if (this.status.hasEnded()) {
			throw new SubscriptionAlreadyEnded(this.id, action, this.status);
		}
	}

	private void require(boolean allowed, String action) {
		if (!allowed) {
			throw new TransitionRefused(this.id, action, this.status);
		}
	}

	private static void requireAtMost(int maxLength, String value, String name) {
		if (value != null && value.length() > maxLength) {
			throw new IllegalArgumentException(
					"The cancellation " + name + " is longer than " + maxLength + " characters");
		}
	}

	private void record(java.util.function.Function<SubscriptionEvent.Header, SubscriptionEvent> event, Instant at) {
		this.eventSequence++;
		this.modifiedAt = at.isAfter(this.modifiedAt) ? at : this.modifiedAt;
		registerEvent(event.apply(new SubscriptionEvent.Header(UUID.randomUUID(), at, this.organizationId,
				this.customerId, this.id, this.productId, this.eventSequence)));
	}

	/** The events recorded and not yet published (Spring Data publishes them on save). */
	List<SubscriptionEvent> recordedEvents() {
		return domainEvents().stream().map(SubscriptionEvent.class::cast).toList();
	}

	public UUID getId() {
		return this.id;
	}

	public UUID getOrganizationId() {
		return this.organizationId;
	}

	public UUID getCustomerId() {
		return this.customerId;
	}

	public UUID getProductId() {
		return this.productId;
	}

	public SubscriptionStatus getStatus() {
		return this.status;
	}

	public long getAmount() {
		return this.amount;
	}

	public String getCurrency() {
		return this.currency;
	}

	public Instant getCurrentPeriodStart() {
		return this.currentPeriodStart;
	}

	public Instant getCurrentPeriodEnd() {
		return this.currentPeriodEnd;
	}

	public boolean isCancelAtPeriodEnd() {
		return this.cancelAtPeriodEnd;
	}

	public Instant getCanceledAt() {
		return this.canceledAt;
	}

	public String getCancellationReason() {
		return this.cancellationReason;
	}

	public String getCancellationComment() {
		return this.cancellationComment;
	}

	public Instant getEndsAt() {
		return this.endsAt;
	}

	public Instant getEndedAt() {
		return this.endedAt;
	}

	public Instant getPausedAt() {
		return this.pausedAt;
	}

	public PauseMode getPauseMode() {
		return this.pauseMode;
	}

	public String getRevokedReason() {
		return this.revokedReason;
	}

	public String getProvider() {
		return this.provider;
	}

	public String getProviderSubscriptionId() {
		return this.providerSubscriptionId;
	}

	public long getEventSequence() {
		return this.eventSequence;
	}

	public Long getVersion() {
		return this.version;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getModifiedAt() {
		return this.modifiedAt;
	}

}
