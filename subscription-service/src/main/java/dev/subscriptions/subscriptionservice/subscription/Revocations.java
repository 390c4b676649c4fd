package dev.subscriptions.subscriptionservice.subscription;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Revokes the live subscriptions of deleted customers set-wise: one statement for every
 * customer of a batch, where the aggregates would load and save each subscription. The
 * statement makes the change {@link Subscription#revoke} makes with
 * {@link EndReason#CUSTOMER_DELETED} (status, revoked reason, end, the next event
 * sequence, {@code modified_at} never moving back) and bumps the version, as saving the
 * aggregate does; {@code RevocationsIntegrationTests} holds the two to the same rows.
 * Ended subscriptions are left as they are, as {@code revoke} leaves them.
 */
@Repository
class Revocations {

	/**
	 * The revocation. Live means the literal predicate of
	 * {@code subscription_customer_live_idx}, so that every plan, generic ones included,
	 * can use that index.
	 */
	static final String REVOKE_ALL_OF_CUSTOMERS = """
			update subscription s
			   set status = ?, revoked_reason = ?, ended_at = ?,
			       event_sequence = s.event_sequence + 1, version = s.version + 1,
			       modified_at = greatest(s.modified_at, ?)
			  from unnest(?::uuid[]) as d(customer_id)
			 where s.customer_id = d.customer_id and s.status not in ('CANCELED', 'REVOKED')
			returning s.id, s.organization_id, s.customer_id, s.product_id, s.event_sequence, s.created_at""";

	private final JdbcClient jdbc;

	Revocations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Revokes every live subscription of {@code customerIds} at {@code at}, in the
	 * caller's transaction, locking them.
	 * @return the {@link SubscriptionEvent.Ended} of each, as {@code revoke} records it:
	 * by customer in the order given, then by creation (as
	 * {@code findLiveByCustomerIdForUpdate} orders them)
	 */
	List<SubscriptionEvent.Ended> revokeAllOfDeletedCustomers(Collection<UUID> customerIds, Instant at) {
		if (customerIds.isEmpty()) {
			return List.of();
		}
		Map<UUID, Integer> order = new HashMap<>();
		customerIds.forEach(customer -> order.putIfAbsent(customer, order.size()));
		Timestamp timestamp = Timestamp.from(at);
		List<Revoked> revoked = this.jdbc.sql(REVOKE_ALL_OF_CUSTOMERS)
			.params(SubscriptionStatus.REVOKED.name(), EndReason.CUSTOMER_DELETED.value(), timestamp, timestamp,
					order.keySet().toArray(UUID[]::new))
			.query((rs, row) -> new Revoked(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
					rs.getObject("customer_id", UUID.class), rs.getObject("product_id", UUID.class),
					rs.getLong("event_sequence"), rs.getTimestamp("created_at").toInstant()))
			.list();
		return revoked.stream()
			.sorted(Comparator.comparing((Revoked subscription) -> order.get(subscription.customerId()))
				.thenComparing(Revoked::createdAt)
				.thenComparing(Revoked::id))
			.map(subscription -> subscription.ended(at))
			.toList();
	}

	private record Revoked(UUID id, UUID organizationId, UUID customerId, UUID productId, long eventSequence,
			Instant createdAt) {

		SubscriptionEvent.Ended ended(Instant at) {
			return new SubscriptionEvent.Ended(new SubscriptionEvent.Header(UUID.randomUUID(), at, this.organizationId,
					this.customerId, this.id, this.productId, this.eventSequence), EndReason.CUSTOMER_DELETED, at);
		}

	}

}
