package dev.subscriptions.subscriptionservice.subscription;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers.KnownCustomer;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.ProviderInvoice;

/**
 * The use cases of subscriptions. Each runs in one transaction, in which the
 * subscription's events reach the outbox, and locks the subscription first so that its
 * transitions (and event sequence numbers) never interleave.
 * <p>
 * Those of the API take the caller's organization and find only its subscriptions and
 * customers, filtered in SQL: another organization's subscription is not found
 * ({@link SubscriptionNotFound}), its customer is unknown ({@link CustomerUnknown}).
 * Those that follow records (customer deletions, billing providers) and the period-end
 * job know no caller and find subscriptions of any organization.
 */
@Service
public class SubscriptionManagement {

	/**
	 * ISO 4217's code for "no currency": that of a subscription a billing provider
	 * created without an invoice, as the provider prices it.
	 */
	static final String NO_CURRENCY = "XXX";

	private final Subscriptions subscriptions;

	private final Invoices invoices;

	private final KnownCustomers customers;

	private final BillingLinks links;

	private final ParkedInvoices parked;

	private final Revocations revocations;

	private final SubscriptionEndings endings;

	private final Clock clock;

	SubscriptionManagement(Subscriptions subscriptions, Invoices invoices, KnownCustomers customers, BillingLinks links,
			ParkedInvoices parked, Revocations revocations, SubscriptionEndings endings, Clock clock) {
		this.subscriptions = subscriptions;
		this.invoices = invoices;
		this.customers = customers;
		this.links = links;
		this.parked = parked;
		this.revocations = revocations;
		this.endings = endings;
		this.clock = clock;
	}

	/**
	 * Creates a subscription in {@code organizationId} for a known, live customer of that
	 * organization; a customer of another organization is unknown here. The customer's
	 * row is share-locked meanwhile, so a {@code CustomerDeleted} handled concurrently
	 * either waits and then revokes the new subscription, or commits first and makes this
	 * creation fail.
	 */
	@Transactional
	public Subscription create(UUID organizationId, UUID customerId, UUID productId, long amount, Currency currency,
			int trialDays) {
		KnownCustomer customer = this.customers.findByIdAndOrganizationIdForShare(customerId, organizationId)
			.orElseThrow(() -> new CustomerUnknown(customerId));
		if (customer.isDeleted()) {
			throw new CustomerAlreadyDeleted(customerId);
		}
		return this.subscriptions.save(Subscription.create(customer.organizationId(), customerId, productId, amount,
				currency, trialDays, this.clock));
	}

	/**
	 * The subscription {@code id} of {@code organizationId}; one of another organization
	 * is not found, as an unknown one.
	 */
	@Transactional(readOnly = true)
	public Subscription get(UUID organizationId, UUID id) {
		return this.subscriptions.findByIdAndOrganizationId(id, organizationId)
			.orElseThrow(() -> new SubscriptionNotFound(id));
	}

	/**
	 * The subscription a billing provider knows by {@code providerSubscriptionId}: the
	 * live one, else the latest that ended.
	 */
	@Transactional(readOnly = true)
	public Optional<Subscription> findByProviderSubscription(String provider, String providerSubscriptionId) {
		return this.subscriptions.findByProviderSubscription(provider, providerSubscriptionId);
	}

	/**
	 * The subscriptions of {@code organizationId} of a customer, with the status if one
	 * is given; none for a customer of another organization.
	 */
	@Transactional(readOnly = true)
	public List<Subscription> findByCustomer(UUID organizationId, UUID customerId,
			@Nullable SubscriptionStatus status) {
		return (status != null)
				? this.subscriptions.findByOrganizationIdAndCustomerIdAndStatus(organizationId, customerId,
						status.name())
				: this.subscriptions.findByOrganizationIdAndCustomerId(organizationId, customerId);
	}

	/**
	 * The invoices of the subscription {@code id} of {@code organizationId}.
	 * @throws SubscriptionNotFound when the organization has no such subscription
	 */
	@Transactional(readOnly = true)
	public List<Invoice> invoicesOf(UUID organizationId, UUID id) {
		get(organizationId, id);
		return this.invoices.findBySubscriptionId(id);
	}

	/**
	 * Cancels at the end of the period, keeping the reason and the customer's comment
	 * (both optional).
	 */
	@Transactional
	public Subscription cancelAtPeriodEnd(UUID organizationId, UUID id, @Nullable String reason,
			@Nullable String comment) {
		return change(organizationId, id, subscription -> subscription.cancelAtPeriodEnd(reason, comment, this.clock));
	}

	/**
	 * Cancels now: the subscription ends. Keeps the reason and the customer's comment
	 * (both optional).
	 */
	@Transactional
	public Subscription cancelImmediately(UUID organizationId, UUID id, @Nullable String reason,
			@Nullable String comment) {
		return change(organizationId, id, subscription -> subscription.cancelImmediately(reason, comment, this.clock));
	}

	@Transactional
	public Subscription uncancel(UUID organizationId, UUID id) {
		return change(organizationId, id, subscription -> subscription.uncancel(this.clock));
	}

	@Transactional
	public Subscription pause(UUID organizationId, UUID id, PauseMode mode) {
		return change(organizationId, id, subscription -> subscription.pause(mode, this.clock));
	}

	@Transactional
	public Subscription resume(UUID organizationId, UUID id) {
		return change(organizationId, id, subscription -> subscription.resume(this.clock));
	}

	/**
	 * A payment failed: the subscription becomes past due with an open invoice (once,
	 * however often it is told).
	 */
	@Transactional
	public Subscription paymentFailed(UUID organizationId, UUID id) {
		return change(organizationId, id, subscription -> {
			Invoice invoice = Invoice.open(subscription, this.clock);
			if (subscription.markPastDue(invoice, this.clock)) {
				this.invoices.save(invoice);
			}
		});
	}

	/** A payment succeeded: the open invoices are paid and the subscription is active. */
	@Transactional
	public Subscription paymentSucceeded(UUID organizationId, UUID id) {
		return change(organizationId, id, subscription -> {
			subscription.activate(this.clock);
			for (Invoice invoice : this.invoices.findOpenBySubscriptionId(id)) {
				invoice.pay(this.clock);
				this.invoices.save(invoice);
			}
		});
	}

	/**
	 * An administrator ends the subscription now. Revoking an ended subscription changes
	 * nothing.
	 */
	@Transactional
	public Subscription revoke(UUID organizationId, UUID id) {
		return change(organizationId, id, subscription -> subscription.revoke(EndReason.REVOKED, this.clock));
	}

	/**
	 * Revokes every live subscription of the deleted customers {@code customerIds} in one
	 * statement, as {@link Subscription#revoke} with {@link EndReason#CUSTOMER_DELETED}
	 * does each ({@link Revocations}); ended ones stay as they are. Runs in the caller's
	 * transaction (the handling of a batch of {@code CustomerDeleted}), which must have
	 * recorded the deletions first: their row locks make a subscription being created for
	 * one of the customers commit before this reads, so that it is revoked too. The ends
	 * are counted once the transaction commits, as {@link SubscriptionEndings} counts
	 * every end.
	 * @return the {@link SubscriptionEvent.Ended} of each revoked subscription, by
	 * customer in the order given, then by creation. No aggregate is saved, so nothing
	 * publishes them: the caller must append them to the outbox in the same transaction
	 * ({@code SubscriptionEventPublisher.ended}), or the subscriptions' event sequences
	 * have a gap
	 */
	@Transactional
	public List<SubscriptionEvent.Ended> revokeAllOfDeletedCustomers(Collection<UUID> customerIds) {
		List<SubscriptionEvent.Ended> ended = this.revocations.revokeAllOfDeletedCustomers(customerIds,
				this.clock.instant().truncatedTo(ChronoUnit.MICROS));
		this.endings.countAfterCommit(EndReason.CUSTOMER_DELETED, ended.size());
		return ended;
	}

	/**
	 * Ends up to {@code limit} subscriptions whose cancellation at period end has come
	 * due.
	 * @return how many ended
	 */
	@Transactional
	public int endDueSubscriptions(int limit) {
		int ended = 0;
		for (Subscription subscription : this.subscriptions.findDueToEndForUpdate(limit)) {
			if (subscription.endIfDue(this.clock)) {
				this.subscriptions.save(subscription);
				ended++;
			}
		}
		return ended;
	}

	/**
	 * Follows what a billing provider (or another billing system) says of one of its
	 * subscriptions, in the caller's transaction (the handling of the record, with its
	 * inbox entry). The provider subscription's {@link BillingLink} is locked first, so
	 * that its records never interleave, also before a subscription of ours exists.
	 * <ul>
	 * <li>A snapshot ({@link BillingChange#isSnapshot()}) is applied unless the link says
	 * it is stale or the subscription has ended ({@link BillingLink}). Its invoice is
	 * followed first, then the subscription reaches the snapshot's state through its
	 * transitions ({@link #reach}), never by setting a status.</li>
	 * <li>The first snapshot of an unknown provider subscription creates ours, for the
	 * known customer {@code customer_id} (nothing for a deleted one), unless it has ended
	 * already: then the link only remembers that.</li>
	 * <li>An invoice event ({@code status} null) changes only its invoice. One of a
	 * provider subscription that no subscription is linked to yet is parked
	 * ({@link ParkedInvoices}): the first snapshot, which comes behind it, applies it
	 * when it creates the subscription, before it reaches its own state. If the provider
	 * subscription ends without one, parked invoices are dropped.</li>
	 * </ul>
	 * An invoice is known by the provider's id of it and only moves forward, also from a
	 * stale snapshot or after the end; the first one of the provider takes the place of
	 * an open invoice of ours ({@link Invoice#adopt}). A subscription revoked because its
	 * customer was deleted gets no invoice any more.
	 * @throws BillingSubscriptionUnknown when no subscription is linked and the snapshot
	 * cannot create one (no {@code customer_id}/{@code product_id})
	 * @throws CustomerUnknown when the snapshot's customer is not known (yet)
	 */
	@Transactional
	public BillingOutcome applyBilling(BillingChange change) {
		BillingLink link = this.links.lock(change.provider(), change.providerSubscriptionId());
		BillingChange.Status status = change.status();
		UUID linked = link.subscriptionId();
		if (status == null) {
			if (linked == null) {
				if (link.ended()) {
					return BillingOutcome.AFTER_END;
				}
				ProviderInvoice invoice = change.invoice();
				if (invoice != null) {
					this.parked.park(change, invoice, this.clock.instant());
				}
				return BillingOutcome.PARKED;
			}
			return invoiceOnly(locked(linked), change, BillingOutcome.APPLIED);
		}
		if (link.ended() || link.isStale(change.occurredAt())) {
			if (linked == null) {
				return link.ended() ? BillingOutcome.AFTER_END : BillingOutcome.STALE;
			}
			return invoiceOnly(locked(linked), change, link.ended() ? BillingOutcome.AFTER_END : BillingOutcome.STALE);
		}
		if (linked == null) {
			if (status.hasEnded()) {
				this.parked.remove(change.provider(), change.providerSubscriptionId());
				this.links.save(link.applied(change.occurredAt(), null, true));
				return BillingOutcome.APPLIED;
			}
			return create(link, change, status);
		}
		Subscription subscription = locked(linked);
		if (subscription.getStatus().hasEnded()) {
			this.links.save(link.asEnded());
			return invoiceOnly(subscription, change, BillingOutcome.AFTER_END);
		}
		reach(subscription, change, status, followInvoice(subscription, change));
		subscription = this.subscriptions.save(subscription);
		this.links.save(link.applied(change.occurredAt(), linked, subscription.getStatus().hasEnded()));
		return BillingOutcome.APPLIED;
	}

	/**
	 * Follows only the record's invoice (its snapshot, if any, does not apply).
	 * @return {@code outcome}, unless the subscription was revoked because its customer
	 * was deleted
	 */
	private BillingOutcome invoiceOnly(Subscription subscription, BillingChange change, BillingOutcome outcome) {
		followInvoice(subscription, change);
		return subscription.isRevokedForDeletedCustomer() ? BillingOutcome.CUSTOMER_DELETED : outcome;
	}

	/**
	 * Creates the subscription of a provider's first snapshot, priced by its invoice if
	 * it has one, else by the first invoice parked for it (otherwise 0 of {@code XXX},
	 * ISO 4217's "no currency"), follows the parked invoices in the order they occurred
	 * and forgets them, then brings it to the snapshot's state. The customer's row is
	 * share-locked meanwhile, as in {@link #create}. For a deleted customer nothing is
	 * created and the parked invoices are dropped.
	 */
	private BillingOutcome create(BillingLink link, BillingChange change, BillingChange.Status status) {
		UUID customerId = change.customerId();
		UUID productId = change.productId();
		if (customerId == null || productId == null) {
			throw new BillingSubscriptionUnknown(change,
					"the snapshot has no customer_id and product_id to create one with; it may wait for the"
							+ " subscription's first snapshot");
		}
		KnownCustomer customer = this.customers.findByIdForShare(customerId)
			.orElseThrow(() -> new CustomerUnknown(customerId));
		List<ParkedInvoices.Parked> parked = this.parked.of(change.provider(), change.providerSubscriptionId());
		if (!parked.isEmpty()) {
			this.parked.remove(change.provider(), change.providerSubscriptionId());
		}
		if (customer.isDeleted()) {
			return BillingOutcome.CUSTOMER_DELETED;
		}
		ProviderInvoice invoice = (change.invoice() != null) ? change.invoice()
				: parked.isEmpty() ? null : parked.get(0).invoice();
		Subscription subscription = this.subscriptions.save(Subscription.createByProvider(customer.organizationId(),
				customerId, productId, change.provider(), change.providerSubscriptionId(),
				status == BillingChange.Status.TRIALING, (invoice != null) ? invoice.amount() : 0,
				(invoice != null) ? invoice.currency() : NO_CURRENCY, change.currentPeriodEnd(), this.clock));
		for (ParkedInvoices.Parked early : parked) {
			followInvoice(subscription, change.provider(), early.invoice(), early.occurredAt());
		}
		reach(subscription, change, status, followInvoice(subscription, change));
		subscription = this.subscriptions.save(subscription);
		this.links.save(link.applied(change.occurredAt(), subscription.getId(), subscription.getStatus().hasEnded()));
		return BillingOutcome.CREATED;
	}

	/**
	 * Brings a live subscription to the state of the provider's snapshot through its
	 * transitions: the period first, then the status, then the cancellation at period
	 * end; one whose cancellation has come due ends.
	 * <ul>
	 * <li>{@code trialing}, {@code active}: resumed when paused, active when overdue (a
	 * trial does not come back once left).</li>
	 * <li>{@code past_due}: overdue with the invoice open; {@code unpaid}: overdue with
	 * the grace over. A paused one is resumed first.</li>
	 * <li>{@code paused}: paused with the snapshot's mode ({@code void} when it names
	 * none); an overdue one is activated first, one paused with the other mode resumed
	 * first.</li>
	 * <li>{@code canceled}, {@code expired}: ended
	 * ({@link Subscription#endByProvider}).</li>
	 * <li>{@code cancel_at_period_end}: canceled at period end, entitled until
	 * {@code ends_at} (the period's end when it names none), unless paused; without it, a
	 * cancellation at period end is taken back.</li>
	 * </ul>
	 */
	private void reach(Subscription subscription, BillingChange change, BillingChange.Status status,
			@Nullable Invoice invoice) {
		if (change.currentPeriodEnd() != null) {
			subscription.followBillingPeriod(change.currentPeriodEnd(), change.occurredAt(), this.clock);
		}
		switch (status) {
			case TRIALING, ACTIVE -> {
				resumeIfPaused(subscription);
				if (status == BillingChange.Status.ACTIVE || subscription.getStatus() == SubscriptionStatus.PAST_DUE) {
					subscription.activate(this.clock);
				}
			}
			case PAST_DUE -> {
				resumeIfPaused(subscription);
				Invoice open = openInvoice(subscription, invoice);
				if (subscription.markPastDue(open, this.clock) && open.isNew()) {
					this.invoices.save(open);
				}
			}
			case UNPAID -> {
				resumeIfPaused(subscription);
				Invoice open = openInvoice(subscription, invoice);
				if (subscription.markUnpaid(open, this.clock) && open.isNew()) {
					this.invoices.save(open);
				}
			}
			case PAUSED -> {
				PauseMode mode = Objects.requireNonNullElse(change.pauseMode(), PauseMode.VOID);
				Pause pause = subscription.getPause();
				if (pause == null || pause.mode() != mode) {
					resumeIfPaused(subscription);
					if (subscription.getStatus() == SubscriptionStatus.PAST_DUE) {
						subscription.activate(this.clock);
					}
					subscription.pause(mode, this.clock);
				}
			}
			case CANCELED, EXPIRED -> {
				subscription.endByProvider(
						(status == BillingChange.Status.EXPIRED) ? EndReason.EXPIRED : EndReason.CANCELED,
						endedAt(change));
				return;
			}
		}
		if (change.cancelAtPeriodEnd()) {
			if (subscription.getStatus() != SubscriptionStatus.PAUSED) {
				subscription.cancelAtProvidersPeriodEnd(
						Objects.requireNonNullElse(change.endsAt(), subscription.getCurrentPeriodEnd()), this.clock);
			}
		}
		else {
			subscription.uncancelByProvider(this.clock);
		}
		subscription.endIfDue(this.clock);
	}

	private void resumeIfPaused(Subscription subscription) {
		if (subscription.getStatus() == SubscriptionStatus.PAUSED) {
			subscription.resume(this.clock);
		}
	}

	/**
	 * The open invoice an overdue subscription points to: the snapshot's, else its latest
	 * open one, else a new one of ours (saved only when it is used).
	 */
	private Invoice openInvoice(Subscription subscription, @Nullable Invoice given) {
		if (given != null && given.getStatus() == Invoice.Status.OPEN) {
			return given;
		}
		List<Invoice> open = this.invoices.findOpenBySubscriptionId(subscription.getId());
		return open.isEmpty() ? Invoice.open(subscription, this.clock) : open.get(open.size() - 1);
	}

	/**
	 * Follows the record's invoice, if it has one
	 * ({@link #followInvoice(Subscription, String, ProviderInvoice, Instant)}).
	 * @return the invoice as it is now
	 */
	private @Nullable Invoice followInvoice(Subscription subscription, BillingChange change) {
		ProviderInvoice given = change.invoice();
		return (given != null) ? followInvoice(subscription, change.provider(), given, change.occurredAt()) : null;
	}

	/**
	 * Follows a provider's invoice told at {@code at} by the provider's id of it: moved
	 * forward when known; when new, it takes the place of the oldest open invoice of ours
	 * (opened because a snapshot said the subscription is overdue before this invoice
	 * came), else it is created. Nothing is added to a subscription revoked because its
	 * customer was deleted.
	 * @return the invoice as it is now; none for such a revoked subscription
	 */
	private @Nullable Invoice followInvoice(Subscription subscription, String provider, ProviderInvoice given,
			Instant at) {
		if (subscription.isRevokedForDeletedCustomer()) {
			return null;
		}
		Optional<Invoice> known = this.invoices.findByProviderInvoiceIdForUpdate(provider, given.providerInvoiceId());
		if (known.isPresent()) {
			Invoice invoice = known.get();
			return invoice.follow(given.status(), at) ? this.invoices.save(invoice) : invoice;
		}
		List<Invoice> ours = this.invoices.findOpenOfOursBySubscriptionId(subscription.getId());
		if (!ours.isEmpty()) {
			Invoice invoice = ours.get(0);
			invoice.adopt(provider, given, at);
			return this.invoices.save(invoice);
		}
		return this.invoices.save(Invoice.ofProvider(subscription, provider, given, at, this.clock));
	}

	/**
	 * When an ended snapshot says it ended: its {@code ends_at}, unless that is later
	 * than the snapshot itself.
	 */
	private static Instant endedAt(BillingChange change) {
		Instant endsAt = change.endsAt();
		return (endsAt != null && endsAt.isBefore(change.occurredAt())) ? endsAt : change.occurredAt();
	}

	/**
	 * The subscription {@code id} of any organization, locked until the transaction ends;
	 * for billing, whose records name no organization.
	 */
	private Subscription locked(UUID id) {
		return this.subscriptions.findByIdForUpdate(id).orElseThrow(() -> new SubscriptionNotFound(id));
	}

	/**
	 * The subscription {@code id} of {@code organizationId}, locked as by
	 * {@link #locked(UUID)}; one of another organization is not found.
	 */
	private Subscription locked(UUID organizationId, UUID id) {
		return this.subscriptions.findByIdAndOrganizationIdForUpdate(id, organizationId)
			.orElseThrow(() -> new SubscriptionNotFound(id));
	}

	/**
	 * A transition of the caller's organization's subscription {@code id}, which is
	 * locked first.
	 */
	private Subscription change(UUID organizationId, UUID id, Consumer<Subscription> transition) {
		Subscription subscription = locked(organizationId, id);
		transition.accept(subscription);
		return this.subscriptions.save(subscription);
	}

}
