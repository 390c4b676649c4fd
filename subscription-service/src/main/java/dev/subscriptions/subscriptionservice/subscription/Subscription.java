package dev.subscriptions.subscriptionservice.subscription;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A customer's subscription to a product. Each transition is one package-private method,
 * called by {@link SubscriptionManagement}, that checks the status (rules in
 * {@link SubscriptionStatus}), changes the state and records a past-tense
 * {@link SubscriptionEvent}, numbered in sequence. What a cancellation and a pause say is
 * kept as one value each ({@link Cancellation}, {@link Pause}), embedded in the row.
 */
@Table("subscription")
public class Subscription extends AbstractAggregateRoot<Subscription> {

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

	@Embedded.Nullable
	private @Nullable Cancellation cancellation;

	private @Nullable Instant endedAt;

	@Embedded.Nullable
	private @Nullable Pause pause;

	private @Nullable String revokedReason;

	private boolean graceOver;

	private final @Nullable String provider;

	private final @Nullable String providerSubscriptionId;

	private long eventSequence;

	@Version
	private @Nullable Long version;

	private final Instant createdAt;

	private Instant modifiedAt;

	@PersistenceCreator
	Subscription(UUID id, UUID organizationId, UUID customerId, UUID productId, SubscriptionStatus status, long amount,
			String currency, Instant currentPeriodStart, Instant currentPeriodEnd, @Nullable Cancellation cancellation,
			@Nullable Instant endedAt, @Nullable Pause pause, @Nullable String revokedReason, boolean graceOver,
			@Nullable String provider, @Nullable String providerSubscriptionId, long eventSequence,
			@Nullable Long version, Instant createdAt, Instant modifiedAt) {
		this.id = id;
		this.organizationId = organizationId;
		this.customerId = customerId;
		this.productId = productId;
		this.status = status;
		this.amount = amount;
		this.currency = currency;
		this.currentPeriodStart = currentPeriodStart;
		this.currentPeriodEnd = currentPeriodEnd;
		this.cancellation = cancellation;
		this.endedAt = endedAt;
		this.pause = pause;
		this.revokedReason = revokedReason;
		this.graceOver = graceOver;
		this.provider = provider;
		this.providerSubscriptionId = providerSubscriptionId;
		this.eventSequence = eventSequence;
		this.version = version;
		this.createdAt = createdAt;
		this.modifiedAt = modifiedAt;
	}

	/**
	 * A new subscription, not canceled, paused or ended; billed by {@code provider} when
	 * one is given, otherwise created over the API.
	 */
	private Subscription(UUID organizationId, UUID customerId, UUID productId, SubscriptionStatus status, long amount,
			String currency, Instant periodStart, Instant periodEnd, @Nullable String provider,
			@Nullable String providerSubscriptionId) {
		this.id = UUID.randomUUID();
		this.organizationId = organizationId;
		this.customerId = customerId;
		this.productId = productId;
		this.status = status;
		this.amount = amount;
		this.currency = currency;
		this.currentPeriodStart = periodStart;
		this.currentPeriodEnd = periodEnd;
		this.provider = provider;
		this.providerSubscriptionId = providerSubscriptionId;
		this.createdAt = periodStart;
		this.modifiedAt = periodStart;
	}

	/**
	 * A new subscription, trialing for {@code trialDays} when given, otherwise active for
	 * a first monthly period. Its currency is kept as the upper-case ISO 4217 code
	 * ({@code USD}).
	 */
	static Subscription create(UUID organizationId, UUID customerId, UUID productId, long amount, Currency currency,
			int trialDays, Clock clock) {
		Instant now = clock.instant();
		String code = currency.getCurrencyCode();
		Instant periodEnd = (trialDays > 0) ? now.plusSeconds(trialDays * 86_400L)
				: now.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
		Subscription subscription = new Subscription(organizationId, customerId, productId,
				(trialDays > 0) ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE, amount, code, now, periodEnd,
				null, null);
		subscription.recordCreated(now);
		return subscription;
	}

	/**
	 * A new subscription that a billing provider created, linked to it by
	 * {@code (provider, providerSubscriptionId)}: trialing or active, its period running
	 * from now to {@code periodEnd} (now when the provider gave none, or one that has
	 * passed). The provider prices it, so {@code amount} and {@code currency} (upper-case
	 * ISO 4217) are only what its first invoice said, if anything; its own invoices carry
	 * the amounts. Whatever else the provider's first snapshot says is reached afterwards
	 * through the transitions.
	 */
	static Subscription createByProvider(UUID organizationId, UUID customerId, UUID productId, String provider,
			String providerSubscriptionId, boolean trialing, long amount, String currency, @Nullable Instant periodEnd,
			Clock clock) {
		Instant now = clock.instant();
		Subscription subscription = new Subscription(organizationId, customerId, productId,
				trialing ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE, amount, currency, now,
				(periodEnd != null && periodEnd.isAfter(now)) ? periodEnd : now, provider, providerSubscriptionId);
		subscription.recordCreated(now);
		return subscription;
	}

	private void recordCreated(Instant now) {
		record(header -> new SubscriptionEvent.Created(header, this.status, this.amount, this.currency,
				this.currentPeriodStart, this.currentPeriodEnd), now);
	}

	/**
	 * Cancels at the end of the period, keeping why ({@code reason}, a short code) and
	 * the customer's {@code comment}; both may be null. The subscription stays live until
	 * {@code current_period_end}, then the period-end job ends it. This needs a period
	 * that is still running: once {@code current_period_end} is not after now there is no
	 * "end of the period" left to wait for, and ending it later with an end date in the
	 * past would misstate when access stopped, so the cancellation is refused and the
	 * client is told to cancel immediately. Asking again while already canceled at period
	 * end changes nothing (the first reason and comment stay).
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws SubscriptionPeriodAlreadyEnded when the period has ended
	 * @throws TransitionRefused when its status does not allow it (paused)
	 * @throws IllegalArgumentException when the reason or comment is longer than kept
	 */
	void cancelAtPeriodEnd(@Nullable String reason, @Nullable String comment, Clock clock) {
		requireLive("cancel");
		Instant now = clock.instant();
		Cancellation cancellation = Cancellation.atPeriodEnd(now, reason, comment, this.currentPeriodEnd);
		require(this.status.canCancelAtPeriodEnd(), "cancel_at_period_end");
		if (isCancelAtPeriodEnd()) {
			return;
		}
		if (!this.currentPeriodEnd.isAfter(now)) {
			throw new SubscriptionPeriodAlreadyEnded(this.id, "cancel_at_period_end", this.status,
					this.currentPeriodEnd, "cancel it immediately instead");
		}
		this.cancellation = cancellation;
		record(header -> new SubscriptionEvent.Canceled(header, true, cancellation.endsAt(), reason), now);
	}

	/**
	 * Cancels now, keeping why ({@code reason}, a short code) and the customer's
	 * {@code comment}; both may be null. The subscription ends at once; a cancellation at
	 * period end it had is replaced.
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws IllegalArgumentException when the reason or comment is longer than kept
	 */
	void cancelImmediately(@Nullable String reason, @Nullable String comment, Clock clock) {
		requireLive("cancel");
		Instant now = clock.instant();
		Cancellation cancellation = Cancellation.immediately(now, reason, comment);
		require(this.status.canCancelImmediately(), "cancel");
		this.cancellation = cancellation;
		record(header -> new SubscriptionEvent.Canceled(header, false, null, reason), now);
		end(SubscriptionStatus.CANCELED, EndReason.CANCELED, now);
	}

	/**
	 * Takes back a cancellation at period end, with its reason and comment, while the
	 * period still runs. Once {@code ends_at} is not after now the subscription is due to
	 * end (the period-end job only runs every few seconds) and is not brought back.
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws SubscriptionPeriodAlreadyEnded when its cancellation has come due
	 * @throws TransitionRefused when it is not canceled at period end
	 */
	void uncancel(Clock clock) {
		requireLive("uncancel");
		Instant endsAt = getEndsAt();
		if (!isCancelAtPeriodEnd() || endsAt == null) {
			throw new TransitionRefused(this.id, "uncancel", this.status,
					"Subscription " + this.id + " is not canceled at period end (status " + this.status.value() + ")");
		}
		Instant now = clock.instant();
		if (!endsAt.isAfter(now)) {
			throw new SubscriptionPeriodAlreadyEnded(this.id, "uncancel", this.status, endsAt, "it ends as canceled");
		}
		this.cancellation = null;
		record(SubscriptionEvent.Uncanceled::new, now);
	}

	/**
	 * The billing provider canceled the subscription at the end of its period, which ends
	 * at {@code endsAt} by the provider's word: entitled until then. Unlike a
	 * cancellation over the API this does not need the period to be running (the provider
	 * knows when it ends; one already due is ended by {@link #endIfDue}), keeps no
	 * reason, and leaves a cancellation at period end it had as it is.
	 * @return false when it was canceled at period end already (nothing changes)
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws TransitionRefused when its status does not allow it (paused)
	 */
	boolean cancelAtProvidersPeriodEnd(Instant endsAt, Clock clock) {
		requireLive("cancel");
		if (isCancelAtPeriodEnd()) {
			return false;
		}
		require(this.status.canCancelAtPeriodEnd(), "cancel_at_period_end");
		Instant now = clock.instant();
		Cancellation cancellation = Cancellation.atPeriodEnd(now, null, null, endsAt);
		this.cancellation = cancellation;
		record(header -> new SubscriptionEvent.Canceled(header, true, endsAt, null), now);
		return true;
	}

	/**
	 * The billing provider took back its cancellation at period end. Unlike an uncancel
	 * over the API this is not refused once {@code ends_at} has passed: the provider,
	 * which bills the subscription, says it goes on.
	 * @return false when it was not canceled at period end (nothing changes)
	 * @throws SubscriptionAlreadyEnded when it has ended
	 */
	boolean uncancelByProvider(Clock clock) {
		requireLive("uncancel");
		if (!isCancelAtPeriodEnd()) {
			return false;
		}
		this.cancellation = null;
		record(SubscriptionEvent.Uncanceled::new, clock.instant());
		return true;
	}

	/**
	 * The billing provider ended the subscription at {@code endedAt}: canceled now
	 * ({@link EndReason#CANCELED}, recorded as an immediate cancellation, then the end),
	 * or expired ({@link EndReason#EXPIRED}). A canceled one that was canceled at period
	 * end has reached that end, so it expires, keeping how it was canceled.
	 * @return false when it had ended already (nothing changes)
	 * @throws IllegalArgumentException when {@code reason} is neither of these
	 */
	boolean endByProvider(EndReason reason, Instant endedAt) {
		if (reason != EndReason.CANCELED && reason != EndReason.EXPIRED) {
			throw new IllegalArgumentException("Not an end by the provider: " + reason);
		}
		if (this.status.hasEnded()) {
			return false;
		}
		if (reason == EndReason.CANCELED && !isCancelAtPeriodEnd()) {
			this.cancellation = Cancellation.immediately(endedAt, null, null);
			record(header -> new SubscriptionEvent.Canceled(header, false, null, null), endedAt);
			end(SubscriptionStatus.CANCELED, EndReason.CANCELED, endedAt);
		}
		else {
			end(SubscriptionStatus.CANCELED, EndReason.EXPIRED, endedAt);
		}
		return true;
	}

	/**
	 * Follows the billing provider's period, which ends at {@code periodEnd} by its
	 * snapshot taken at {@code at}. A period end that moved past {@code at} from one that
	 * {@code at} had reached is a renewal: the new period starts where the old one ended.
	 * Records no event (the contract has none for it); an ended subscription, or a period
	 * end before the period's start, is left as it is.
	 */
	void followBillingPeriod(Instant periodEnd, Instant at, Clock clock) {
		if (this.status.hasEnded() || periodEnd.equals(this.currentPeriodEnd)
				|| periodEnd.isBefore(this.currentPeriodStart)) {
			return;
		}
		if (periodEnd.isAfter(this.currentPeriodEnd) && !this.currentPeriodEnd.isAfter(at)) {
			this.currentPeriodStart = this.currentPeriodEnd;
		}
		this.currentPeriodEnd = periodEnd;
		Instant now = clock.instant();
		this.modifiedAt = now.isAfter(this.modifiedAt) ? now : this.modifiedAt;
	}

	/**
	 * Pauses; with {@code void} access is suspended meanwhile, with {@code free} it is
	 * kept.
	 */
	void pause(PauseMode mode, Clock clock) {
		requireLive("pause");
		require(this.status.canPause(), "pause");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.PAUSED;
		this.pause = new Pause(now, mode);
		record(header -> new SubscriptionEvent.Paused(header, mode), now);
	}

	/** Resumes a paused subscription. */
	void resume(Clock clock) {
		requireLive("resume");
		require(this.status.canResume(), "resume");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.ACTIVE;
		this.pause = null;
		record(SubscriptionEvent.Resumed::new, now);
	}

	/**
	 * A payment failed: the subscription becomes overdue with {@code invoice} open.
	 * @return false when it was overdue already (nothing changes)
	 */
	boolean markPastDue(Invoice invoice, Clock clock) {
		requireLive("become_past_due");
		if (this.status == SubscriptionStatus.PAST_DUE) {
			return false;
		}
		require(this.status.canBecomePastDue(), "become_past_due");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.PAST_DUE;
		this.graceOver = false;
		record(header -> new SubscriptionEvent.PastDue(header, invoice.getId(), false), now);
		return true;
	}

	/**
	 * The billing provider gave up collecting ({@code unpaid}): the subscription is
	 * overdue with {@code invoice} open and its grace is over, so access is suspended at
	 * once rather than after the consumers' grace period. An overdue subscription whose
	 * grace was running gets here too.
	 * @return false when its grace was over already (nothing changes)
	 * @throws SubscriptionAlreadyEnded when it has ended
	 * @throws TransitionRefused when its status does not allow it (paused)
	 */
	boolean markUnpaid(Invoice invoice, Clock clock) {
		requireLive("become_unpaid");
		if (this.status == SubscriptionStatus.PAST_DUE && this.graceOver) {
			return false;
		}
		require(this.status.canBecomeUnpaid(), "become_unpaid");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.PAST_DUE;
		this.graceOver = true;
		record(header -> new SubscriptionEvent.PastDue(header, invoice.getId(), true), now);
		return true;
	}

	/**
	 * A payment succeeded (or a trial converted): the subscription is active again.
	 * @return false when it was active already (nothing changes)
	 */
	boolean activate(Clock clock) {
		requireLive("activate");
		if (this.status == SubscriptionStatus.ACTIVE) {
			return false;
		}
		require(this.status.canBecomeActive(), "activate");
		Instant now = clock.instant();
		this.status = SubscriptionStatus.ACTIVE;
		this.graceOver = false;
		record(SubscriptionEvent.Activated::new, now);
		return true;
	}

	/**
	 * Ends the subscription at once, by the system: an administrator or the deletion of
	 * its customer.
	 * @return false when it had ended already (nothing changes; revoking is idempotent)
	 */
	boolean revoke(EndReason reason, Clock clock) {
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
	 * Whether it was revoked because its customer was deleted: nothing, not even an
	 * invoice, is added to it any more.
	 */
	boolean isRevokedForDeletedCustomer() {
		return this.status == SubscriptionStatus.REVOKED
				&& EndReason.CUSTOMER_DELETED.value().equals(this.revokedReason);
	}

	/**
	 * Ends a subscription canceled at period end once that end has passed.
	 * @return whether it ended now
	 */
	boolean endIfDue(Clock clock) {
		Instant endsAt = getEndsAt();
		if (!isCancelAtPeriodEnd() || endsAt == null || endsAt.isAfter(clock.instant())) {
			return false;
		}
		end(SubscriptionStatus.CANCELED, EndReason.EXPIRED, endsAt);
		return true;
	}

	private void end(SubscriptionStatus endStatus, EndReason reason, Instant at) {
		this.status = endStatus;
		this.endedAt = at;
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

	/**
	 * Whether it is live and canceled at the end of its period, which it has not reached.
	 */
	public boolean isCancelAtPeriodEnd() {
		return !this.status.hasEnded() && this.cancellation != null && this.cancellation.atPeriodEnd();
	}

	/** How it was canceled; none while it is not canceled. */
	public @Nullable Cancellation getCancellation() {
		return this.cancellation;
	}

	/** When a cancellation at period end takes (or took) effect. */
	public @Nullable Instant getEndsAt() {
		return (this.cancellation != null) ? this.cancellation.endsAt() : null;
	}

	public @Nullable Instant getEndedAt() {
		return this.endedAt;
	}

	/** Its pause; none while it is not paused. */
	public @Nullable Pause getPause() {
		return this.pause;
	}

	public @Nullable String getRevokedReason() {
		return this.revokedReason;
	}

	/**
	 * Whether it is overdue and the provider gave up collecting ({@code unpaid}): access
	 * is suspended at once.
	 */
	public boolean isGraceOver() {
		return this.graceOver;
	}

	public @Nullable String getProvider() {
		return this.provider;
	}

	public @Nullable String getProviderSubscriptionId() {
		return this.providerSubscriptionId;
	}

	public long getEventSequence() {
		return this.eventSequence;
	}

	public @Nullable Long getVersion() {
		return this.version;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getModifiedAt() {
		return this.modifiedAt;
	}

}
