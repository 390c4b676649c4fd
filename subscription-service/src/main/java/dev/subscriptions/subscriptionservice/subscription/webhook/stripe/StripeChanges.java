package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.amount;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.currency;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.malformed;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.ourId;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.reference;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.requiredText;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripeEvent.timestamp;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.ProviderInvoice;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.Status;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;

/**
 * What a Stripe event says about a subscription, as a {@link BillingChange} of
 * {@code billing.events}.
 * <p>
 * <b>Subscription events</b> ({@code customer.subscription.created}, {@code updated},
 * {@code deleted}, {@code paused}, {@code resumed}) carry the whole Subscription object,
 * so each becomes a <em>snapshot</em>: its state is derived from the object's
 * {@code status}, never from the event's name. Our customer and product are the
 * subscription's {@code metadata.customer_id} and {@code metadata.product_id} (set at
 * checkout); {@code occurred_at} is the event's {@code created}.
 * <table>
 * <caption>Stripe status to billing status</caption>
 * <tr>
 * <th>Stripe</th>
 * <th>billing.events</th>
 * </tr>
 * <tr>
 * <td>{@code trialing}</td>
 * <td>{@code trialing}</td>
 * </tr>
 * <tr>
 * <td>{@code active}</td>
 * <td>{@code active}; with {@code pause_collection} set: {@code paused}, mode
 * {@code free}, {@code resumes_at} from it</td>
 * </tr>
 * <tr>
 * <td>{@code past_due}</td>
 * <td>{@code past_due} (grace running)</td>
 * </tr>
 * <tr>
 * <td>{@code unpaid}</td>
 * <td>{@code unpaid} (Stripe gave up retrying: grace over)</td>
 * </tr>
 * <tr>
 * <td>{@code paused}</td>
 * <td>{@code paused}, mode {@code void}</td>
 * </tr>
 * <tr>
 * <td>{@code canceled}</td>
 * <td>{@code canceled}, ends at {@code ended_at}</td>
 * </tr>
 * <tr>
 * <td>{@code incomplete_expired}</td>
 * <td>{@code expired}, ends at {@code ended_at}</td>
 * </tr>
 * <tr>
 * <td>{@code incomplete}</td>
 * <td>nothing (acknowledged, not written)</td>
 * </tr>
 * </table>
 * <p>
 * <b>Pauses.</b> Stripe has two. Status {@code paused} (a trial ended without a payment
 * method) means the customer has no service until they pay: {@code void}, access
 * suspended. {@code pause_collection} on an {@code active} subscription only stops
 * collecting payment; Stripe documents it as offering the service for free for a while (a
 * grace period) and the customer keeps access. The policy here follows that:
 * {@code free}, access kept, until {@code pause_collection.resumes_at} if set, whatever
 * its {@code behavior} ({@code keep_as_draft}, {@code mark_uncollectible}, {@code void}
 * decide what happens to the invoices, not to access). A merchant who wants to cut access
 * pauses the subscription instead. On any other status {@code pause_collection} changes
 * nothing: the status decides.
 * <p>
 * <b>Incomplete.</b> A subscription is {@code incomplete} only before its first payment
 * (at most 23 hours, then {@code incomplete_expired}); Stripe says not to provision it,
 * and it can only become {@code active} or {@code incomplete_expired}, both of which come
 * as their own snapshots with the same metadata. Mapping it to any of our states would
 * grant (trialing, active, past due with its grace) what nobody paid for, so it is
 * acknowledged and counted as ignored.
 * <p>
 * <b>Cancellation.</b> {@code cancel_at_period_end}, or a {@code cancel_at} (a set
 * cancellation date), on a live subscription is a cancellation at period end: entitled
 * until {@code cancel_at} (Stripe sets it to the period's end for
 * {@code cancel_at_period_end} in newer API versions), else {@code current_period_end}.
 * The period's end is the subscription's {@code current_period_end} before API version
 * 2025-03-31 and the latest of its items' {@code current_period_end} from then on: both
 * are read.
 * <p>
 * <b>Invoice events</b> ({@code invoice.paid}, {@code invoice.payment_failed}) carry an
 * invoice, not a subscription: they are invoice-only changes (no status), the invoice
 * {@code paid} (amount {@code amount_paid}) or {@code open} (amount {@code amount_due}),
 * keyed by the invoice's {@code id}, for the subscription named by
 * {@code parent.subscription_details.subscription} (API 2025-03-31 and later) or
 * {@code subscription} (earlier), never by the invoice's own id. Our ids come from the
 * subscription's metadata as the invoice copied it
 * ({@code parent.subscription_details.metadata}, earlier
 * {@code subscription_details.metadata}). An invoice of no subscription (a one-off one)
 * changes none and is ignored.
 * <p>
 * Every other event type is acknowledged and ignored.
 */
final class StripeChanges {

	/** The event types whose {@code data.object} is a Subscription. */
	static final Set<String> SUBSCRIPTION_EVENTS = Set.of("customer.subscription.created",
			"customer.subscription.updated", "customer.subscription.deleted", "customer.subscription.paused",
			"customer.subscription.resumed");

	static final String INVOICE_PAID = "invoice.paid";

	static final String INVOICE_PAYMENT_FAILED = "invoice.payment_failed";

	private StripeChanges() {
	}

	/**
	 * The change {@code event} makes, or none when it is not one this service follows.
	 * @throws dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused
	 * (400) when its object lacks what the change needs
	 */
	static Optional<BillingChange> of(StripeEvent event) {
		if (SUBSCRIPTION_EVENTS.contains(event.type())) {
			return subscription(event);
		}
		if (INVOICE_PAID.equals(event.type())) {
			return invoice(event, Invoice.Status.PAID, "amount_paid");
		}
		if (INVOICE_PAYMENT_FAILED.equals(event.type())) {
			return invoice(event, Invoice.Status.OPEN, "amount_due");
		}
		return Optional.empty();
	}

	private static Optional<BillingChange> subscription(StripeEvent event) {
		JsonNode subscription = event.object("subscription");
		String status = requiredText(subscription, "status");
		JsonNode pauseCollection = subscription.path("pause_collection");
		Status snapshot;
		PauseMode pauseMode = null;
		Instant resumesAt = null;
		switch (status) {
			case "trialing" -> snapshot = Status.TRIALING;
			case "active" -> {
				if (pauseCollection.isObject()) {
					snapshot = Status.PAUSED;
					pauseMode = PauseMode.FREE;
					resumesAt = timestamp(pauseCollection, "resumes_at");
				}
				else {
					snapshot = Status.ACTIVE;
				}
			}
			case "past_due" -> snapshot = Status.PAST_DUE;
			case "unpaid" -> snapshot = Status.UNPAID;
			case "paused" -> {
				snapshot = Status.PAUSED;
				pauseMode = PauseMode.VOID;
			}
			case "canceled" -> snapshot = Status.CANCELED;
			case "incomplete_expired" -> snapshot = Status.EXPIRED;
			case "incomplete" -> {
				return Optional.empty();
			}
			default -> throw malformed("subscription status " + status + " is not one of Stripe's");
		}
		Instant periodEnd = currentPeriodEnd(subscription);
		Instant cancelAt = timestamp(subscription, "cancel_at");
		boolean cancelAtPeriodEnd = !snapshot.hasEnded()
				&& (subscription.path("cancel_at_period_end").asBoolean(false) || cancelAt != null);
		Instant endsAt = null;
		if (snapshot.hasEnded()) {
			endsAt = firstOf(timestamp(subscription, "ended_at"), timestamp(subscription, "canceled_at"),
					event.created());
		}
		else if (cancelAtPeriodEnd) {
			endsAt = (cancelAt != null) ? cancelAt : periodEnd;
		}
		JsonNode metadata = subscription.path("metadata");
		return Optional.of(new BillingChange(eventId(event), event.created(), BillingChange.STRIPE,
				requiredText(subscription, "id"), ourId(metadata, "customer_id"), ourId(metadata, "product_id"),
				snapshot, cancelAtPeriodEnd, pauseMode, resumesAt, periodEnd, endsAt, null));
	}

	private static Optional<BillingChange> invoice(StripeEvent event, Invoice.Status status, String amountField) {
		JsonNode invoice = event.object("invoice");
		JsonNode parentDetails = invoice.path("parent").path("subscription_details");
		String subscription = firstOf(reference(parentDetails, "subscription"), reference(invoice, "subscription"));
		if (subscription == null) {
			return Optional.empty();
		}
		JsonNode metadata = parentDetails.path("metadata").isObject() ? parentDetails.path("metadata")
				: invoice.path("subscription_details").path("metadata");
		ProviderInvoice providerInvoice = new ProviderInvoice(requiredText(invoice, "id"), status,
				amount(invoice, amountField), currency(invoice, "currency"));
		return Optional.of(new BillingChange(eventId(event), event.created(), BillingChange.STRIPE, subscription,
				ourId(metadata, "customer_id"), ourId(metadata, "product_id"), null, false, null, null, null, null,
				providerInvoice));
	}

	/**
	 * The end of the period the subscription has been invoiced for: on the subscription
	 * before API version 2025-03-31, on each of its items from then on (the latest of
	 * them).
	 */
	private static @Nullable Instant currentPeriodEnd(JsonNode subscription) {
		Instant periodEnd = timestamp(subscription, "current_period_end");
		if (periodEnd != null) {
			return periodEnd;
		}
		for (JsonNode item : subscription.path("items").path("data")) {
			Instant itemEnd = timestamp(item, "current_period_end");
			if (itemEnd != null && (periodEnd == null || itemEnd.isAfter(periodEnd))) {
				periodEnd = itemEnd;
			}
		}
		return periodEnd;
	}

	private static UUID eventId(StripeEvent event) {
		return WebhookDeliveries.eventId(BillingChange.STRIPE, event.id());
	}

	@SafeVarargs
	private static <T> @Nullable T firstOf(@Nullable T... values) {
		for (T value : values) {
			if (value != null) {
				return value;
			}
		}
		return null;
	}

}
