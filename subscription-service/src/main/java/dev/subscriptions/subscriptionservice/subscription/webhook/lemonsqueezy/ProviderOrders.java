package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import java.sql.Timestamp;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The orders billing providers told of, one row per provider order: a later delivery of
 * the same order (a refund) updates it, an older one (a late retry) changes nothing.
 */
@Repository
class ProviderOrders {

	private final JdbcClient jdbc;

	ProviderOrders(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records {@code order}, unless a newer state of it is recorded already. */
	void record(ProviderOrder order) {
		this.jdbc.sql("""
				insert into provider_order (provider, provider_order_id, customer_id, product_id, provider_customer_id,
				                            status, total, currency, updated_at, recorded_at)
				values (:provider, :providerOrderId, :customerId, :productId, :providerCustomerId,
				        :status, :total, :currency, :updatedAt, now())
				on conflict (provider, provider_order_id) do update
				set customer_id = coalesce(excluded.customer_id, provider_order.customer_id),
				    product_id = coalesce(excluded.product_id, provider_order.product_id),
				    provider_customer_id = coalesce(excluded.provider_customer_id, provider_order.provider_customer_id),
				    status = excluded.status,
				    total = excluded.total,
				    currency = excluded.currency,
				    updated_at = excluded.updated_at,
				    recorded_at = excluded.recorded_at
				where provider_order.updated_at <= excluded.updated_at""")
			.param("provider", order.provider())
			.param("providerOrderId", order.providerOrderId())
			.param("customerId", order.customerId())
			.param("productId", order.productId())
			.param("providerCustomerId", order.providerCustomerId())
			.param("status", order.status())
			.param("total", order.total())
			.param("currency", order.currency())
			.param("updatedAt", Timestamp.from(order.updatedAt()))
			.update();
	}

}
