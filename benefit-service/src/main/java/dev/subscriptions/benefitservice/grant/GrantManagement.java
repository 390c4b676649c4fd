package dev.subscriptions.benefitservice.grant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.benefitservice.benefit.Benefit;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;

/**
 * Grants follow subscriptions and customers. Runs in the caller's transaction (the handling of one event).
 */
@Service
public class GrantManagement {

	/** One entitlement: a live, unsuspended grant with its benefit. */
	public record Entitlement(UUID grantId, UUID benefitId, String key, String type, UUID subscriptionId,
			java.time.Instant grantedAt) {
	}

	private final Grants grants;

	private final BenefitManagement benefits;

	private final JdbcClient jdbc;

	private final Clock clock;

	GrantManagement(Grants grants, BenefitManagement benefits, JdbcClient jdbc, Clock clock) {
		this.grants = grants;
		this.benefits = benefits;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Applies a subscription event: unless it is older than the last one applied for the subscription, or the
	 * customer is deleted, the subscription's grants are brought to {@code access}.
	 * @return whether the event was applied
	 */
	@Transactional
	public boolean apply(SubscriptionFacts facts, String eventType, Access access) {
		int newer = this.jdbc.sql("""
				insert into subscription_state (subscription_id, customer_id, last_sequence, last_event, updated_at)
				values (?, ?, ?, ?, now())
				on conflict (subscription_id) do update
				   set last_sequence = excluded.last_sequence, last_event = excluded.last_event, updated_at = now()
				 where subscription_state.last_sequence < excluded.last_sequence""")
			.params(facts.subscriptionId(), facts.customerId(), facts.sequence(), eventType)
			.update();
		if (newer == 0) {
			return false;
		}
		if (isDeleted(facts.customerId())) {
			revokeAllOfSubscription(facts.subscriptionId(), "customer_deleted");
			return true;
		}
		switch (access) {
			case GRANTED -> ensureGrants(facts, false);
			case SUSPENDED -> ensureGrants(facts, true);
			case REVOKED -> revokeAllOfSubscription(facts.subscriptionId(), "subscription_ended");
			case UNCHANGED -> {
			}
		}
		return true;
	}

	/**
	 * Tombstones the customer and revokes every grant of it, so that nothing is granted to it again.
	 * @return how many grants were revoked
	 */
	@Transactional
	public int revokeAllOfDeletedCustomer(UUID customerId) {
		this.jdbc.sql("insert into customer_tombstone (customer_id, deleted_at) values (?, now()) on conflict do nothing")
			.param(customerId)
			.update();
		int revoked = 0;
		for (BenefitGrant grant : this.grants.findLiveByCustomerIdForUpdate(customerId)) {
			if (grant.revoke("customer_deleted", this.clock)) {
				this.grants.save(grant);
				revoked++;
			}
		}
		return revoked;
	}

	@EventListener
	void on(BenefitManagement.BenefitDeleted deleted) {
		for (BenefitGrant grant : this.grants.findLiveByBenefitIdForUpdate(deleted.benefitId())) {
			if (grant.revoke("benefit_deleted", this.clock)) {
				this.grants.save(grant);
			}
		}
	}

	/** What the customer may use now. */
	@Transactional(readOnly = true)
	public List<Entitlement> entitlements(UUID customerId) {
		return this.jdbc.sql("""
				select g.id, g.benefit_id, b.key, b.type, g.subscription_id, g.granted_at
				from benefit_grant g join benefit b on b.id = g.benefit_id
				where g.customer_id = ? and g.revoked_at is null and g.suspended_at is null and b.deleted_at is null
				order by b.key, g.granted_at""")
			.param(customerId)
			.query((rs, row) -> new Entitlement(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getString(3), rs.getString(4).toLowerCase(java.util.Locale.ROOT), rs.getObject(5, UUID.class),
					rs.getTimestamp(6).toInstant()))
			.list();
	}

	@Transactional(readOnly = true)
	public List<BenefitGrant> find(UUID customerId, UUID subscriptionId, String state) {
		return this.grants.find(customerId, subscriptionId)
			.stream()
			.filter(grant -> state == null || grant.state().equalsIgnoreCase(state))
			.toList();
	}

	/** Every benefit of the product granted to the subscription, suspended or not; the grants it has are reused. */
	private void ensureGrants(SubscriptionFacts facts, boolean suspended) {
		Map<UUID, BenefitGrant> live = new HashMap<>();
		for (BenefitGrant grant : this.grants.findLiveBySubscriptionIdForUpdate(facts.subscriptionId())) {
			live.put(grant.getBenefitId(), grant);
		}
		List<BenefitGrant> changed = new ArrayList<>();
		for (Benefit benefit : this.benefits.benefitsOfProduct(facts.productId())) {
			if (!live.containsKey(benefit.getId())) {
				BenefitGrant grant = BenefitGrant.grant(facts.organizationId(), facts.customerId(),
						facts.subscriptionId(), benefit.getId(), this.clock);
				if (suspended) {
					grant.suspend(this.clock);
				}
				changed.add(grant);
			}
		}
		for (BenefitGrant grant : live.values()) {
			if (suspended ? grant.suspend(this.clock) : grant.restore()) {
				changed.add(grant);
			}
		}
		this.grants.saveAll(changed);
	}

	private void revokeAllOfSubscription(UUID subscriptionId, String reason) {
		for (BenefitGrant grant : this.grants.findLiveBySubscriptionIdForUpdate(subscriptionId)) {
			if (grant.revoke(reason, this.clock)) {
				this.grants.save(grant);
			}
		}
	}

	private boolean isDeleted(UUID customerId) {
		return this.jdbc.sql("select count(*) from customer_tombstone where customer_id = ?")
			.param(customerId)
			.query(Integer.class)
			.single() > 0;
	}

	/** What every subscription event says about its subscription. */
	public record SubscriptionFacts(UUID organizationId, UUID customerId, UUID subscriptionId, UUID productId,
			long sequence) {
	}

}
