package dev.subscriptions.subscriptionservice.subscription;

import java.sql.Timestamp;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@link BillingLink}s, one row per provider subscription ({@code billing_link}). Its
 * row is the lock that serializes everything done for one provider subscription, also
 * before any subscription of ours exists for it.
 */
@Repository
class BillingLinks {

	private final JdbcClient jdbc;

	BillingLinks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The link of {@code (provider, providerSubscriptionId)}, created when it is not
	 * known yet, locked until the transaction ends.
	 */
	BillingLink lock(String provider, String providerSubscriptionId) {
		this.jdbc.sql("""
				insert into billing_link (provider, provider_subscription_id) values (?, ?)
				on conflict do nothing""").params(provider, providerSubscriptionId).update();
		return this.jdbc.sql("""
				select provider, provider_subscription_id, subscription_id, last_snapshot_at, ended
				from billing_link where provider = ? and provider_subscription_id = ?
				for update""")
			.params(provider, providerSubscriptionId)
			.query((rs, row) -> new BillingLink(rs.getString("provider"), rs.getString("provider_subscription_id"),
					rs.getObject("subscription_id", UUID.class),
					(rs.getTimestamp("last_snapshot_at") != null) ? rs.getTimestamp("last_snapshot_at").toInstant()
							: null,
					rs.getBoolean("ended")))
			.single();
	}

	void save(BillingLink link) {
		this.jdbc.sql("""
				update billing_link set subscription_id = ?, last_snapshot_at = ?, ended = ?
				where provider = ? and provider_subscription_id = ?""")
			.params(link.subscriptionId(),
					(link.lastSnapshotAt() != null) ? Timestamp.from(link.lastSnapshotAt()) : null, link.ended(),
					link.provider(), link.providerSubscriptionId())
			.update();
	}

}
