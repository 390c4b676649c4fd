package dev.subscriptions.subscriptionservice.subscription.web;

import java.time.Instant;
import java.util.UUID;

import dev.subscriptions.subscriptionservice.subscription.Invoice;

/** An invoice as the API shows it. */
public record InvoiceView(UUID id, UUID subscriptionId, long amount, String currency, String status, Instant dueAt,
		Instant paidAt) {

	static InvoiceView of(Invoice invoice) {
		return new InvoiceView(invoice.getId(), invoice.getSubscriptionId(), invoice.getAmount(), invoice.getCurrency(),
				invoice.getStatus().value(), invoice.getDueAt(), invoice.getPaidAt());
	}

}
