package dev.subscriptions.subscriptionservice.subscription;

import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers.KnownCustomer;

/**
 * The use cases of subscriptions. Each runs in one transaction, in which the
 * subscription's events reach the outbox, and locks the subscription first so that its
 * transitions (and event sequence numbers) never interleave.
 */
@Service
public class SubscriptionManagement {

	private final Subscriptions subscriptions;

	private final Invoices invoices;

	private final KnownCustomers customers;

	private final Clock clock;

	SubscriptionManagement(Subscriptions subscriptions, Invoices invoices, KnownCustomers customers, Clock clock) {
		this.subscriptions = subscriptions;
		this.invoices = invoices;
		this.customers = customers;
		this.clock = clock;
	}

	/**
	 * Creates a subscription for a known, live customer. The customer's row is
	 * share-locked meanwhile, so a {@code CustomerDeleted} handled concurrently either
	 * waits and then revokes the new subscription, or commits first and makes this
	 * creation fail.
	 */
	@Transactional
	public Subscription create(UUID customerId, UUID productId, long amount, Currency currency, int trialDays) {
		KnownCustomer customer = this.customers.findByIdForShare(customerId)
			.orElseThrow(() -> new CustomerUnknown(customerId));
		if (customer.isDeleted()) {
			throw new CustomerAlreadyDeleted(customerId);
		}
		return this.subscriptions.save(Subscription.create(customer.organizationId(), customerId, productId, amount,
				currency, trialDays, this.clock));
	}

	@Transactional(readOnly = true)
	public Subscription get(UUID id) {
		return this.subscriptions.findById(id).orElseThrow(() -> new SubscriptionNotFound(id));
	}

	@Transactional(readOnly = true)
	public List<Subscription> findByCustomer(UUID customerId, @Nullable SubscriptionStatus status) {
		return (status != null) ? this.subscriptions.findByCustomerIdAndStatus(customerId, status.name())
				: this.subscriptions.findByCustomerId(customerId);
	}

	@Transactional(readOnly = true)
	public List<Invoice> invoicesOf(UUID id) {
		get(id);
		return this.invoices.findBySubscriptionId(id);
	}

	/**
	 * Cancels at the end of the period, keeping the reason and the customer's comment
	 * (both optional).
	 */
	@Transactional
	public Subscription cancelAtPeriodEnd(UUID id, @Nullable String reason, @Nullable String comment) {
		return change(id, subscription -> subscription.cancelAtPeriodEnd(reason, comment, this.clock));
	}

	/**
	 * Cancels now: the subscription ends. Keeps the reason and the customer's comment
	 * (both optional).
	 */
	@Transactional
	public Subscription cancelImmediately(UUID id, @Nullable String reason, @Nullable String comment) {
		return change(id, subscription -> subscription.cancelImmediately(reason, comment, this.clock));
	}

	@Transactional
	public Subscription uncancel(UUID id) {
		return change(id, subscription -> subscription.uncancel(this.clock));
	}

	@Transactional
	public Subscription pause(UUID id, PauseMode mode) {
		return change(id, subscription -> subscription.pause(mode, this.clock));
	}

	@Transactional
	public Subscription resume(UUID id) {
		return change(id, subscription -> subscription.resume(this.clock));
	}

	/**
	 * A payment failed: the subscription becomes past due with an open invoice (once,
	 * however often it is told).
	 */
	@Transactional
	public Subscription paymentFailed(UUID id) {
		return change(id, subscription -> {
			Invoice invoice = Invoice.open(subscription, this.clock);
			if (subscription.markPastDue(invoice, this.clock)) {
				this.invoices.save(invoice);
			}
		});
	}

	/** A payment succeeded: the open invoices are paid and the subscription is active. */
	@Transactional
	public Subscription paymentSucceeded(UUID id) {
		return change(id, subscription -> {
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
	public Subscription revoke(UUID id) {
		return change(id, subscription -> subscription.revoke(EndReason.REVOKED, this.clock));
	}

	/**
	 * Revokes every live subscription of a deleted customer; ended ones stay as they are.
	 * Runs in the caller's transaction (the handling of {@code CustomerDeleted}).
	 * @return how many were revoked
	 */
	@Transactional
	public int revokeAllOfDeletedCustomer(UUID customerId) {
		int revoked = 0;
		for (Subscription subscription : this.subscriptions.findLiveByCustomerIdForUpdate(customerId)) {
			if (subscription.revoke(EndReason.CUSTOMER_DELETED, this.clock)) {
				this.subscriptions.save(subscription);
				revoked++;
			}
		}
		return revoked;
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

	private Subscription change(UUID id, Consumer<Subscription> transition) {
		Subscription subscription = this.subscriptions.findByIdForUpdate(id)
			.orElseThrow(() -> new SubscriptionNotFound(id));
		transition.accept(subscription);
		return this.subscriptions.save(subscription);
	}

}
