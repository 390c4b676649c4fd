package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.util.Currency;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.converter.MessageConversionException;

import dev.subscriptions.events.billing.BillingInvoice;
import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.ProviderInvoice;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;

/**
 * The one mapper between {@link BillingChange} and the Avro record of
 * {@code billing.events}, both ways: the webhooks write through it, the listener reads
 * through it.
 */
final class BillingEventMapper {

	private BillingEventMapper() {
	}

	static BillingSubscriptionChanged toRecord(BillingChange change) {
		ProviderInvoice invoice = change.invoice();
		return BillingSubscriptionChanged.newBuilder()
			.setEventId(change.eventId().toString())
			.setOccurredAt(change.occurredAt())
			.setProvider(change.provider())
			.setProviderSubscriptionId(change.providerSubscriptionId())
			.setCustomerId(text(change.customerId()))
			.setProductId(text(change.productId()))
			.setStatus((change.status() != null) ? change.status().value() : null)
			.setCancelAtPeriodEnd(change.cancelAtPeriodEnd())
			.setPauseMode((change.pauseMode() != null) ? change.pauseMode().value() : null)
			.setResumesAt(change.resumesAt())
			.setCurrentPeriodEnd(change.currentPeriodEnd())
			.setEndsAt(change.endsAt())
			.setInvoice((invoice != null) ? BillingInvoice.newBuilder()
				.setProviderInvoiceId(invoice.providerInvoiceId())
				.setStatus(invoice.status().value())
				.setAmount(invoice.amount())
				.setCurrency(invoice.currency())
				.build() : null)
			.build();
	}

	/**
	 * The change a record stands for.
	 * @throws MessageConversionException when it cannot stand for one (an id that is no
	 * UUID, a status or mode the contract does not name, a currency that is no ISO 4217
	 * code): the record goes to the dead-letter topic at once, with the reason
	 */
	static BillingChange toDomain(BillingSubscriptionChanged record) {
		try {
			BillingInvoice invoice = record.getInvoice();
			return new BillingChange(UUID.fromString(record.getEventId()), record.getOccurredAt(), record.getProvider(),
					record.getProviderSubscriptionId(), uuid(record.getCustomerId()), uuid(record.getProductId()),
					(record.getStatus() != null) ? BillingChange.Status.of(record.getStatus()) : null,
					record.getCancelAtPeriodEnd(),
					(record.getPauseMode() != null) ? PauseMode.of(record.getPauseMode()) : null, record.getResumesAt(),
					record.getCurrentPeriodEnd(), record.getEndsAt(),
					(invoice != null) ? new ProviderInvoice(invoice.getProviderInvoiceId(),
							Invoice.Status.of(invoice.getStatus()), invoice.getAmount(),
							currency(invoice.getCurrency())) : null);
		}
		catch (IllegalArgumentException ex) {
			throw new MessageConversionException(
					"billing.events record " + record.getEventId() + " of " + record.getProvider() + ":"
							+ record.getProviderSubscriptionId() + " is not valid: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * The upper-case ISO 4217 code of {@code code} (any case).
	 * @throws IllegalArgumentException when it is none
	 */
	private static String currency(String code) {
		return Currency.getInstance(code.toUpperCase(Locale.ROOT)).getCurrencyCode();
	}

	private static @Nullable String text(@Nullable UUID id) {
		return (id != null) ? id.toString() : null;
	}

	private static @Nullable UUID uuid(@Nullable String id) {
		return (id != null) ? UUID.fromString(id) : null;
	}

}
