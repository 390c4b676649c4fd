package dev.subscriptions.subscriptionservice.subscription;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.subscriptions.subscriptionservice.subscription.BillingChange.ProviderInvoice;

/**
 * The invoice events of provider subscriptions that no subscription of ours is linked to
 * yet ({@code parked_billing_invoice}, one row per event). They wait for the first
 * snapshot, which comes behind them on the same partition: retrying them in place could
 * never succeed. Always used under the lock of the provider subscription's
 * {@link BillingLink}.
 */
@Repository
class ParkedInvoices {

	private final JdbcClient jdbc;

	ParkedInvoices(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Parks the invoice of {@code change}, an invoice event; once per event id. */
	void park(BillingChange change, ProviderInvoice invoice, Instant parkedAt) {
		this.jdbc.sql("""
				insert into parked_billing_invoice (event_id, provider, provider_subscription_id, provider_invoice_id,
				    status, amount, currency, occurred_at, parked_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?)
				on conflict do nothing""")
			.params(change.eventId(), change.provider(), change.providerSubscriptionId(), invoice.providerInvoiceId(),
					invoice.status().name(), invoice.amount(), invoice.currency(), Timestamp.from(change.occurredAt()),
					Timestamp.from(parkedAt))
			.update();
	}

	/** The invoices parked for the provider subscription, oldest first. */
	List<Parked> of(String provider, String providerSubscriptionId) {
		return this.jdbc.sql("""
				select provider_invoice_id, status, amount, currency, occurred_at from parked_billing_invoice
				where provider = ? and provider_subscription_id = ?
				order by occurred_at, parked_at, event_id""")
			.params(provider, providerSubscriptionId)
			.query((rs,
					row) -> new Parked(new ProviderInvoice(rs.getString("provider_invoice_id"),
							Invoice.Status.of(rs.getString("status")), rs.getLong("amount"), rs.getString("currency")),
							rs.getTimestamp("occurred_at").toInstant()))
			.list();
	}

	/** Forgets the invoices parked for the provider subscription. */
	void remove(String provider, String providerSubscriptionId) {
		this.jdbc.sql("delete from parked_billing_invoice where provider = ? and provider_subscription_id = ?")
			.params(provider, providerSubscriptionId)
			.update();
	}

	/**
	 * A parked invoice as its event told it.
	 *
	 * @param invoice what the provider said of it
	 * @param occurredAt when
	 */
	record Parked(ProviderInvoice invoice, Instant occurredAt) {
	}

}
