package dev.subscriptions.benefitservice.grant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

import dev.subscriptions.benefitservice.BenefitServiceSettings;
import dev.subscriptions.benefitservice.benefit.Benefit;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.benefitservice.grant.GrantMetrics.Suspension;

/**
 * Grants follow subscriptions and customers. Runs in the caller's transaction (the
 * handling of one event).
 */
@Service
public class GrantManagement {

	private static final int CUSTOMER_LOCK_SPACE = 0x63757374;

	/**
	 * Revokes the live grants of customers (revoked at, reason, the customers) and
	 * counts, per customer (the same again), those it revoked and those of the same
	 * reason revoked before; both read only the customers' rows
	 * ({@code benefit_grant_customer_idx}).
	 */
	static final String REVOKE_AND_COUNT = """
			with revoked as (
			  update benefit_grant set revoked_at = ?, revocation_reason = ?, version = version + 1
			   where customer_id = any(?::uuid[]) and revoked_at is null
			  returning customer_id)
			select c.id, coalesce(n.revoked, 0),
			       (select count(*) from benefit_grant g where g.customer_id = c.id and g.revocation_reason = ?)
			  from unnest(?::uuid[]) c(id)
			  left join (select customer_id, count(*) revoked from revoked group by customer_id) n
			         on n.customer_id = c.id""";

	/**
	 * Bound to a transaction once {@link #lockCustomers} has waited for customers in it.
	 */
	private static final Object CUSTOMERS_LOCKED = new Object();

	/** One entitlement: a live, unsuspended grant with its benefit. */
	public record Entitlement(UUID grantId, UUID benefitId, String key, String type, UUID subscriptionId,
			Instant grantedAt) {
	}

	private final Grants grants;

	private final BenefitManagement benefits;

	private final JdbcClient jdbc;

	private final GrantMetrics metrics;

	private final Clock clock;

	private final Duration pastDueGrace;

	private final Duration customerLockTimeout;

	GrantManagement(Grants grants, BenefitManagement benefits, JdbcClient jdbc, GrantMetrics metrics, Clock clock,
			BenefitServiceSettings settings) {
		this.grants = grants;
		this.benefits = benefits;
		this.jdbc = jdbc;
		this.metrics = metrics;
		this.clock = clock;
		this.pastDueGrace = settings.pastDue().grace();
		this.customerLockTimeout = settings.customerLock().timeout();
	}

	/**
	 * Applies a subscription's change: unless it is older than the last one applied for
	 * the subscription, or the customer is deleted, the subscription's grants are brought
	 * to the {@link SubscriptionChange#access() access} it calls for. A subscription past
	 * due for longer than the grace period, or with its grace over
	 * ({@link SubscriptionChange#PAST_DUE_GRACE_OVER}), gets no more than suspended
	 * grants until it is paid, whatever else happens to it meanwhile.
	 * <p>
	 * The customer is locked first (see {@link #lockCustomer}), so that a deletion
	 * handled at the same time on another consumer thread either sees the grants made
	 * here or is seen here as a tombstone.
	 * @return whether the change was applied
	 */
	@Transactional
	public boolean apply(SubscriptionChanged changed) {
		lockCustomer(changed.customerId());
		return applyLocked(changed, () -> isDeleted(changed.customerId()));
	}

	/**
	 * Applies changes of distinct subscriptions, in their order, as {@link #apply} does
	 * each: their customers are locked first, all at once ({@link #lockCustomers}), and
	 * their tombstones read in one statement under those locks.
	 */
	@Transactional
	public void applyAll(List<SubscriptionChanged> changes) {
		if (changes.isEmpty()) {
			return;
		}
		List<UUID> customers = changes.stream().map(SubscriptionChanged::customerId).distinct().toList();
		lockCustomers(customers);
		Set<UUID> deleted = tombstoned(customers);
		for (SubscriptionChanged changed : changes) {
			applyLocked(changed, () -> deleted.contains(changed.customerId()));
		}
	}

	/**
	 * {@link #apply} under the customer's lock, held already; {@code deleted} tells
	 * whether the customer is tombstoned (asked only of a change that is applied).
	 */
	private boolean applyLocked(SubscriptionChanged changed, BooleanSupplier deleted) {
		SubscriptionChange change = changed.change();
		List<PastDueState> applied = this.jdbc.sql("""
				insert into subscription_state
				       (subscription_id, customer_id, last_sequence, last_event, updated_at, past_due_since,
				        past_due_grace_over)
				values (:subscription, :customer, :sequence, :change, now(),
				        case when :pastDue in ('STARTS', 'GRACE_OVER') then cast(:occurredAt as timestamptz) end,
				        :pastDue = 'GRACE_OVER')
				on conflict (subscription_id) do update
				   set last_sequence = excluded.last_sequence, last_event = excluded.last_event, updated_at = now(),
				       past_due_since = case :pastDue
				           when 'STARTS' then coalesce(subscription_state.past_due_since, excluded.past_due_since)
				           when 'GRACE_OVER' then coalesce(subscription_state.past_due_since, excluded.past_due_since)
				           when 'ENDS' then null
				           else subscription_state.past_due_since end,
				       past_due_grace_over = case :pastDue
				           when 'GRACE_OVER' then true
				           when 'ENDS' then false
				           else subscription_state.past_due_grace_over end
				 where subscription_state.last_sequence < excluded.last_sequence
				returning past_due_since, past_due_grace_over""")
			.param("subscription", changed.subscriptionId())
			.param("customer", changed.customerId())
			.param("sequence", changed.sequence())
			.param("change", change.name())
			.param("pastDue", change.pastDue().name())
			.param("occurredAt", Timestamp.from(changed.occurredAt()))
			.query(GrantManagement::pastDueState)
			.list();
		if (applied.isEmpty()) {
			return false;
		}
		if (deleted.getAsBoolean()) {
			revokeAllOfSubscription(changed.subscriptionId(), RevocationReason.CUSTOMER_DELETED);
			return true;
		}
		Access access = change.access();
		Suspension suspension = (change == SubscriptionChange.PAUSED_VOID) ? Suspension.PAUSED : Suspension.PAST_DUE;
		if (access == Access.GRANTED && graceOver(applied.get(0))) {
			access = Access.SUSPENDED;
			suspension = Suspension.PAST_DUE;
		}
		switch (access) {
			case GRANTED -> ensureGrants(changed, null);
			case SUSPENDED -> ensureGrants(changed, suspension);
			case REVOKED -> revokeAllOfSubscription(changed.subscriptionId(), change.revocationReason());
			case UNCHANGED -> {
			}
		}
		return true;
	}

	/**
	 * Tombstones the customer and revokes every grant of it, so that nothing is granted
	 * to it again; {@link #revokeAllOfDeletedCustomers} of one.
	 * @return how many of the customer's grants its deletion revoked: here, or before,
	 * through the end of a subscription that the same deletion revoked (reason
	 * {@code customer_deleted} either way)
	 */
	@Transactional
	public int revokeAllOfDeletedCustomer(UUID customerId) {
		return revokeAllOfDeletedCustomers(List.of(customerId)).get(customerId);
	}

	/**
	 * Tombstones the customers and revokes every grant of them, set-wise: their locks
	 * ({@link #lockCustomers}), one insert of the tombstones, and one statement that
	 * revokes the live grants (as {@link BenefitGrant#revoke} does each: revoked now by
	 * the clock for {@code customer_deleted}, suspension left as it is, version bumped)
	 * and counts, per customer, those it revoked and those revoked before for the same
	 * reason (its snapshot is from before the revocation).
	 * @return per customer, how many of its grants its deletion revoked: here, or before,
	 * through the end of a subscription that the same deletion revoked
	 */
	@Transactional
	public Map<UUID, Integer> revokeAllOfDeletedCustomers(Collection<UUID> customerIds) {
		if (customerIds.isEmpty()) {
			return Map.of();
		}
		UUID[] customers = customerIds.stream().distinct().toArray(UUID[]::new);
		lockCustomers(Arrays.asList(customers));
		this.jdbc.sql("""
				insert into customer_tombstone (customer_id, deleted_at)
				select c, now() from unnest(?::uuid[]) c
				on conflict do nothing""").param(customers).update();
		Map<UUID, Integer> reported = new LinkedHashMap<>();
		int[] revoked = { 0 };
		String reason = RevocationReason.CUSTOMER_DELETED.value();
		this.jdbc.sql(REVOKE_AND_COUNT)
			.params(Timestamp.from(this.clock.instant()), reason, customers, reason, customers)
			.query((rs, row) -> {
				int now = rs.getInt(2);
				revoked[0] += now;
				return reported.put(rs.getObject(1, UUID.class), now + rs.getInt(3));
			})
			.list();
		this.metrics.revoked(RevocationReason.CUSTOMER_DELETED, revoked[0]);
		return reported;
	}

	/**
	 * Subscriptions past due for longer than the grace period (or with the grace over)
	 * that still have usable grants.
	 */
	@Transactional(readOnly = true)
	public List<SubscriptionRef> pastDueBeyondGrace(int limit) {
		return this.jdbc.sql("""
				select s.subscription_id, s.customer_id from subscription_state s
				where (s.past_due_since <= ? or s.past_due_grace_over)
				  and exists (select 1 from benefit_grant g where g.subscription_id = s.subscription_id
				              and g.revoked_at is null and g.suspended_at is null)
				limit ?""")
			.params(Timestamp.from(this.clock.instant().minus(this.pastDueGrace)), limit)
			.query((rs, row) -> new SubscriptionRef(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
			.list();
	}

	/**
	 * Suspends the subscription's grants if it is still past due beyond the grace period
	 * (checked again under the customer's lock, as an event may have paid it meanwhile).
	 * @return whether grants were suspended
	 */
	@Transactional
	public boolean suspendAfterGrace(SubscriptionRef subscription) {
		lockCustomer(subscription.customerId());
		Optional<PastDueState> pastDue = this.jdbc
			.sql("select past_due_since, past_due_grace_over from subscription_state where subscription_id = ?")
			.param(subscription.subscriptionId())
			.query(GrantManagement::pastDueState)
			.optional();
		if (pastDue.isEmpty() || !graceOver(pastDue.get())) {
			return false;
		}
		int suspended = 0;
		for (BenefitGrant grant : this.grants.findLiveBySubscriptionIdForUpdate(subscription.subscriptionId())) {
			if (grant.suspend(this.clock)) {
				this.grants.save(grant);
				suspended++;
			}
		}
		this.metrics.suspended(Suspension.PAST_DUE, suspended);
		return suspended > 0;
	}

	@EventListener
	void on(BenefitManagement.BenefitDeleted deleted) {
		int revoked = 0;
		for (BenefitGrant grant : this.grants.findLiveByBenefitIdForUpdate(deleted.benefitId())) {
			if (grant.revoke(RevocationReason.BENEFIT_DELETED, this.clock)) {
				this.grants.save(grant);
				revoked++;
			}
		}
		this.metrics.revoked(RevocationReason.BENEFIT_DELETED, revoked);
	}

	/**
	 * What the customer may use now, of the organization's benefits; none for a customer
	 * of another organization (benefit-service knows no customers, so it cannot tell an
	 * unknown one).
	 */
	@Transactional(readOnly = true)
	public List<Entitlement> entitlements(UUID organizationId, UUID customerId) {
		return this.jdbc.sql("""
				select g.id, g.benefit_id, b.key, b.type, g.subscription_id, g.granted_at
				from benefit_grant g join benefit b on b.id = g.benefit_id
				where g.organization_id = ? and g.customer_id = ? and g.revoked_at is null and g.suspended_at is null
				  and b.deleted_at is null
				order by b.key, g.granted_at""")
			.params(organizationId, customerId)
			.query((rs, row) -> new Entitlement(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getString(3), BenefitType.valueOf(rs.getString(4)).value(), rs.getObject(5, UUID.class),
					rs.getTimestamp(6).toInstant()))
			.list();
	}

	/**
	 * The organization's grants of a customer and/or a subscription (one of them is
	 * required), in a state or any; none of another organization. Read by subscription
	 * when it is given (a subscription's grants all have its customer, so the customer
	 * then only filters), else by customer.
	 */
	@Transactional(readOnly = true)
	public List<BenefitGrant> find(UUID organizationId, @Nullable UUID customerId, @Nullable UUID subscriptionId,
			@Nullable GrantState state) {
		String value = (state != null) ? state.value() : null;
		if (subscriptionId != null) {
			return this.grants.findByOrganizationIdAndSubscriptionId(organizationId, subscriptionId, value)
				.stream()
				.filter(grant -> customerId == null || grant.getCustomerId().equals(customerId))
				.toList();
		}
		Assert.notNull(customerId, "a customer or a subscription is required");
		return this.grants.findByOrganizationIdAndCustomerId(organizationId, customerId, value);
	}

	/**
	 * Every benefit of the product granted to the subscription, suspended for
	 * {@code suspension} when one is given, else not; the grants it has are reused.
	 * Grants that gave access and are suspended now are counted ({@link GrantMetrics});
	 * new ones granted suspended never gave any.
	 */
	private void ensureGrants(SubscriptionChanged facts, @Nullable Suspension suspension) {
		boolean suspended = suspension != null;
		Map<UUID, BenefitGrant> live = new HashMap<>();
		for (BenefitGrant grant : this.grants.findLiveBySubscriptionIdForUpdate(facts.subscriptionId())) {
			live.put(grant.getBenefitId(), grant);
		}
		List<BenefitGrant> changed = new ArrayList<>();
		for (Benefit benefit : this.benefits.benefitsToGrant(facts.productId(), facts.organizationId())) {
			if (!live.containsKey(benefit.getId())) {
				BenefitGrant grant = BenefitGrant.grant(facts.organizationId(), facts.customerId(),
						facts.subscriptionId(), benefit.getId(), this.clock);
				if (suspended) {
					grant.suspend(this.clock);
				}
				changed.add(grant);
			}
		}
		int lostAccess = 0;
		for (BenefitGrant grant : live.values()) {
			if (suspended ? grant.suspend(this.clock) : grant.restore()) {
				changed.add(grant);
				lostAccess += suspended ? 1 : 0;
			}
		}
		this.grants.saveAll(changed);
		if (suspension != null) {
			this.metrics.suspended(suspension, lostAccess);
		}
	}

	private void revokeAllOfSubscription(UUID subscriptionId, RevocationReason reason) {
		int revoked = 0;
		for (BenefitGrant grant : this.grants.findLiveBySubscriptionIdForUpdate(subscriptionId)) {
			if (grant.revoke(reason, this.clock)) {
				this.grants.save(grant);
				revoked++;
			}
		}
		this.metrics.revoked(reason, revoked);
	}

	/**
	 * Serializes, per customer, the handling of its subscription events and of its
	 * deletion, which arrive on different topics and so on different consumer threads (or
	 * instances). A transaction-scoped advisory lock in a key space of its own (the
	 * two-int form); a hash collision only makes two customers wait for each other.
	 * <p>
	 * The wait is bounded: for the rest of the transaction, a lock not granted within the
	 * customer lock timeout fails with SQLSTATE 55P03, which Spring translates to
	 * {@link org.springframework.dao.CannotAcquireLockException}, a transient failure
	 * that the consumer retries rather than dead-letters. A holder that stalls with the
	 * lock is ended by the server ({@code idle_in_transaction_session_timeout} of the
	 * pool's sessions), which releases it.
	 */
	private void lockCustomer(UUID customerId) {
		this.jdbc.sql("select set_config('lock_timeout', ?, true)")
			.param(this.customerLockTimeout.toMillis() + "ms")
			.query((rs, row) -> 1)
			.list();
		this.jdbc.sql("select pg_advisory_xact_lock(?, hashtext(?))")
			.params(CUSTOMER_LOCK_SPACE, customerId.toString())
			.query((rs, row) -> 1)
			.list();
	}

	/**
	 * Locks the customers of a batch as {@link #lockCustomer} locks one (same key space,
	 * same hash, same bounded wait), in the order of their hashes, so that two batches
	 * (the two listeners' threads) that wait for each other's customers wait in the same
	 * order and cannot deadlock. The listener hands over a wave's changes of every event
	 * type in one call, so the first call of a transaction (the first wave) locks all its
	 * customers and waits. Only that call waits: a later one (a later wave of the same
	 * batch) holds customers already and could close a cycle by waiting out of order, so
	 * it only tries. Its customers are nearly always held already (a later wave repeats
	 * subscriptions of an earlier one, whose customer does not change; advisory locks are
	 * re-entrant, so those tries succeed); only the customer of one whose earlier change
	 * was an inbox duplicate or of a tombstoned customer may be new, and one held
	 * elsewhere fails the try at once with {@link CannotAcquireLockException}, transient
	 * like the lock timeout: the batch is rolled back and tried again.
	 */
	private void lockCustomers(Collection<UUID> customerIds) {
		String[] customers = customerIds.stream().map(UUID::toString).toArray(String[]::new);
		if (TransactionSynchronizationManager.hasResource(CUSTOMERS_LOCKED)) {
			boolean granted = this.jdbc.sql("""
					select bool_and(pg_try_advisory_xact_lock(?, h))
					  from (select distinct hashtext(c) h from unnest(?::text[]) c order by 1) s""")
				.params(CUSTOMER_LOCK_SPACE, customers)
				.query(Boolean.class)
				.single();
			if (!granted) {
				throw new CannotAcquireLockException("A customer of the batch is locked by another transaction");
			}
			return;
		}
		this.jdbc.sql("select set_config('lock_timeout', ?, true)")
			.param(this.customerLockTimeout.toMillis() + "ms")
			.query((rs, row) -> 1)
			.list();
		this.jdbc.sql("""
				select count(pg_advisory_xact_lock(?, h))
				  from (select distinct hashtext(c) h from unnest(?::text[]) c order by 1) s""")
			.params(CUSTOMER_LOCK_SPACE, customers)
			.query((rs, row) -> 1)
			.list();
		TransactionSynchronizationManager.bindResource(CUSTOMERS_LOCKED, Boolean.TRUE);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(CUSTOMERS_LOCKED);
			}

		});
	}

	/** The tombstoned ones of the customers, in one statement. */
	private Set<UUID> tombstoned(Collection<UUID> customerIds) {
		return new HashSet<>(
				this.jdbc.sql("select customer_id from customer_tombstone where customer_id = any(?::uuid[])")
					.param(customerIds.toArray(UUID[]::new))
					.query(UUID.class)
					.list());
	}

	/**
	 * Whether the subscription is past due beyond its grace: for longer than the grace
	 * period, or with the grace declared over.
	 */
	private boolean graceOver(PastDueState pastDue) {
		Instant since = pastDue.since();
		return pastDue.graceOver() || (since != null && !since.plus(this.pastDueGrace).isAfter(this.clock.instant()));
	}

	private static PastDueState pastDueState(ResultSet rs, int row) throws SQLException {
		Timestamp since = rs.getTimestamp(1);
		return new PastDueState((since != null) ? since.toInstant() : null, rs.getBoolean(2));
	}

	private boolean isDeleted(UUID customerId) {
		return this.jdbc.sql("select count(*) from customer_tombstone where customer_id = ?")
			.param(customerId)
			.query(Integer.class)
			.single() > 0;
	}

	/** A subscription and its customer. */
	public record SubscriptionRef(UUID subscriptionId, UUID customerId) {
	}

	/**
	 * Since when a subscription has been past due (none when it is not), and whether its
	 * grace is declared over.
	 */
	private record PastDueState(@Nullable Instant since, boolean graceOver) {
	}

}
