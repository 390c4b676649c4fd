package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.infrastructure.OpenTransaction;

/**
 * What the database decides about grants: the lock that orders a customer's deletion
 * against its subscription events, and the past-due grace period. Called directly,
 * without Kafka, to control the interleaving and the clock.
 */
@BenefitServiceIntegrationTest
class GrantManagementIntegrationTests {

	@Autowired
	GrantManagement grants;

	@Autowired
	PastDueGrace pastDueGrace;

	@Autowired
	BenefitManagement benefits;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	Grants repository;

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	private final UUID customer = UUID.randomUUID();

	private final UUID subscription = UUID.randomUUID();

	private long sequence;

	@BeforeEach
	void productWithThreeBenefits() {
		List<UUID> ids = new ArrayList<>();
		for (String key : List.of("reports", "api", "community")) {
			ids.add(this.benefits.create(this.organization, BenefitType.FEATURE_FLAG, key, null, null).getId());
		}
		this.benefits.mapProduct(this.organization, this.product, ids);
	}

	@Test
	void revokesGrantsThatASubscriptionEventCommitsWhileTheCustomerIsBeingDeleted() throws Exception {
		OpenTransaction creation = OpenTransaction.begin(this.transactions, this.jdbcTemplate,
				() -> this.grants.apply(next(SubscriptionChange.CREATED, Instant.now())));

		CompletableFuture<Integer> deletion = CompletableFuture
			.supplyAsync(() -> this.grants.revokeAllOfDeletedCustomer(this.customer));
		await().atMost(Duration.ofSeconds(10)).until(creation::blocksAnother);
		creation.commit();

		assertThat(deletion.get(20, TimeUnit.SECONDS)).isEqualTo(3);
		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();
		assertThat(this.grants.find(this.organization, this.customer, null, null)).hasSize(3)
			.allSatisfy(grant -> assertThat(grant.getRevocationReason()).isEqualTo(RevocationReason.CUSTOMER_DELETED));
	}

	@Test
	void grantsNothingOfABenefitWhoseDeletionCommitsWhileASubscriptionIsGranted() throws Exception {
		UUID deletedBenefit = this.benefits.benefitsOfProduct(this.organization, this.product).get(0).getId();
		OpenTransaction deletion = OpenTransaction.begin(this.transactions, this.jdbcTemplate,
				() -> this.benefits.delete(this.organization, deletedBenefit));

		CompletableFuture<Boolean> creation = CompletableFuture
			.supplyAsync(() -> this.grants.apply(next(SubscriptionChange.CREATED, Instant.now())));
		await().atMost(Duration.ofSeconds(10)).until(deletion::blocksAnother);
		deletion.commit();

		assertThat(creation.get(20, TimeUnit.SECONDS)).isTrue();
		assertThat(this.grants.find(this.organization, null, this.subscription, GrantState.ACTIVE)).hasSize(2)
			.noneSatisfy(grant -> assertThat(grant.getBenefitId()).isEqualTo(deletedBenefit));
	}

	@Test
	void countsGrantsThatTheDeletionRevokedThroughTheEndOfASubscriptionInTheDeletionReport() {
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.ENDED_BY_CUSTOMER_DELETION, Instant.now()));

		assertThat(this.grants.revokeAllOfDeletedCustomer(this.customer)).isEqualTo(3);
		assertThat(this.grants.revokeAllOfDeletedCustomer(this.customer)).isEqualTo(3);
	}

	@Test
	void reportsPerDeletedCustomerTheGrantsItsDeletionRevokedNowAndBeforeThroughTheEndsOfItsSubscriptions() {
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.ENDED_BY_CUSTOMER_DELETION, Instant.now()));
		this.grants.apply(changed(this.customer, UUID.randomUUID(), SubscriptionChange.CREATED, 1));
		UUID other = UUID.randomUUID();
		UUID ended = UUID.randomUUID();
		UUID paused = UUID.randomUUID();
		this.grants.apply(changed(other, ended, SubscriptionChange.CREATED, 1));
		this.grants.apply(changed(other, ended, SubscriptionChange.ENDED, 2));
		this.grants.apply(changed(other, paused, SubscriptionChange.CREATED, 1));
		this.grants.apply(changed(other, paused, SubscriptionChange.PAUSED_VOID, 2));
		UUID withoutGrants = UUID.randomUUID();

		assertThat(this.grants.revokeAllOfDeletedCustomers(List.of(this.customer, other, withoutGrants)))
			.containsOnly(entry(this.customer, 6), entry(other, 3), entry(withoutGrants, 0));
		assertThat(this.grants.revokeAllOfDeletedCustomers(List.of(other, this.customer))).containsOnly(entry(other, 3),
				entry(this.customer, 6));
		assertThat(this.grants.revokeAllOfDeletedCustomer(other)).isEqualTo(3);
		assertThat(this.grants.find(this.organization, other, null, GrantState.REVOKED)).hasSize(6);
		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();
	}

	@Test
	void revokesADeletedCustomersGrantsAsTheAggregateDoesKeepingTheirSuspensionAndBumpingTheirVersion() {
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.PAUSED_VOID, Instant.now()));
		Map<UUID, Map<String, Object>> before = rowsOf(this.customer);
		Instant revokedBefore = Instant.now();

		this.grants.revokeAllOfDeletedCustomers(List.of(this.customer));

		Map<UUID, Map<String, Object>> after = rowsOf(this.customer);
		assertThat(after).hasSize(3).allSatisfy((id, row) -> {
			assertThat(row.get("version")).isEqualTo((Long) before.get(id).get("version") + 1);
			assertThat(row.get("suspended_at")).isNotNull().isEqualTo(before.get(id).get("suspended_at"));
			assertThat(row.get("revocation_reason")).isEqualTo("customer_deleted");
			assertThat(((Timestamp) row.get("revoked_at")).toInstant()).isAfterOrEqualTo(revokedBefore.minusMillis(1));
		});
		BenefitGrant revoked = this.repository.findById(after.keySet().iterator().next()).orElseThrow();
		assertThat(revoked.getRevocationReason()).isEqualTo(RevocationReason.CUSTOMER_DELETED);
		assertThat(revoked.revoke(RevocationReason.CUSTOMER_DELETED, Clock.systemUTC())).isFalse();
		this.repository.save(revoked);
	}

	@Test
	void grantsNothingForChangesOfACustomerWhoseDeletionCommitsWhileTheyWaitForItsLock() throws Exception {
		OpenTransaction deletion = OpenTransaction.begin(this.transactions, this.jdbcTemplate,
				() -> this.grants.revokeAllOfDeletedCustomers(List.of(this.customer)));

		CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> this.grants
			.applyAll(List.of(changed(this.customer, this.subscription, SubscriptionChange.CREATED, 1))));
		await().atMost(Duration.ofSeconds(10)).until(deletion::blocksAnother);
		deletion.commit();

		changes.get(20, TimeUnit.SECONDS);
		assertThat(this.grants.find(this.organization, this.customer, null, null)).isEmpty();
	}

	/**
	 * Each round deletes four customers while changes of theirs are applied, the two
	 * batches naming them in opposite orders: both lock in the order of the customers'
	 * hashes, so neither waits for the other in a cycle (a deadlock would fail one with
	 * SQLSTATE 40P01 here), and whichever commits first, no grant is left.
	 */
	@Test
	void neitherDeadlocksNorLeavesAGrantWhenDeletionsAndChangesOfTheSameCustomersRunAtOnce() throws Exception {
		for (int round = 0; round < 10; round++) {
			List<UUID> customers = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
			List<SubscriptionChanged> creations = customers.stream()
				.map(customer -> changed(customer, UUID.randomUUID(), SubscriptionChange.CREATED, 1))
				.toList();
			List<UUID> reversed = new ArrayList<>(customers);
			Collections.reverse(reversed);

			CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> this.grants.applyAll(creations));
			CompletableFuture<Map<UUID, Integer>> deletion = CompletableFuture
				.supplyAsync(() -> this.grants.revokeAllOfDeletedCustomers(reversed));

			changes.get(30, TimeUnit.SECONDS);
			Map<UUID, Integer> reported = deletion.get(30, TimeUnit.SECONDS);
			assertThat(customers).allSatisfy(customer -> {
				assertThat(this.grants.entitlements(this.organization, customer)).isEmpty();
				assertThat(this.grants.find(this.organization, customer, null, null)).hasSize(reported.get(customer))
					.allSatisfy(grant -> assertThat(grant.state()).isEqualTo(GrantState.REVOKED));
			});
		}
	}

	@Test
	void failsALaterWaveOfABatchAtOnceRatherThanWaitForACustomerHeldElsewhere() {
		UUID held = UUID.randomUUID();
		OpenTransaction holder = OpenTransaction.begin(this.transactions, this.jdbcTemplate,
				() -> this.grants.applyAll(List.of(changed(held, UUID.randomUUID(), SubscriptionChange.CREATED, 1))));

		assertThatExceptionOfType(CannotAcquireLockException.class)
			.isThrownBy(() -> this.transactions.executeWithoutResult(status -> {
				this.grants.applyAll(List.of(changed(this.customer, this.subscription, SubscriptionChange.CREATED, 1)));
				this.grants.applyAll(List.of(changed(held, UUID.randomUUID(), SubscriptionChange.CREATED, 1)));
			}))
			.withMessageContaining("locked by another transaction")
			.withNoCause();

		holder.commit();
		assertThat(this.grants.find(this.organization, this.customer, null, null)).isEmpty();
		this.transactions.executeWithoutResult(status -> {
			this.grants.applyAll(List.of(changed(this.customer, this.subscription, SubscriptionChange.CREATED, 1)));
			this.grants.applyAll(List.of(changed(held, UUID.randomUUID(), SubscriptionChange.CREATED, 1)));
		});
		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);
	}

	/**
	 * New grants are inserted by one {@code saveAll}, a JDBC batch that the driver
	 * rewrites into a multi-row insert ({@code reWriteBatchedInserts}, whose update
	 * counts say no more than success); changed ones are updated one by one and checked
	 * against their version.
	 */
	@Test
	void savesNewAndChangedGrantsTogetherWithBatchedInsertsRewritten(@Autowired DataSource dataSource)
			throws Exception {
		assertThat(dataSource.unwrap(HikariDataSource.class).getDataSourceProperties())
			.containsEntry("reWriteBatchedInserts", "true");
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		List<BenefitGrant> stale = this.grants.find(this.organization, null, this.subscription, null);
		List<BenefitGrant> existing = this.grants.find(this.organization, null, this.subscription, null);
		existing.forEach(grant -> grant.suspend(Clock.systemUTC()));
		List<BenefitGrant> changed = new ArrayList<>(existing);
		UUID other = UUID.randomUUID();
		for (UUID benefit : existing.stream().map(BenefitGrant::getBenefitId).toList()) {
			changed.add(BenefitGrant.grant(this.organization, this.customer, other, benefit, Clock.systemUTC()));
		}

		this.repository.saveAll(changed);

		assertThat(this.grants.find(this.organization, null, this.subscription, GrantState.SUSPENDED)).hasSize(3);
		assertThat(this.grants.find(this.organization, null, other, GrantState.ACTIVE)).hasSize(3);
		assertThat(rowsOf(this.customer).values()).extracting(row -> row.get("version"))
			.containsExactlyInAnyOrder(1L, 1L, 1L, 0L, 0L, 0L);
		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> this.repository.saveAll(stale));
	}

	@Test
	void keepsAPastDueSubscriptionsBenefitsDuringTheGracePeriodAndSuspendsThemAfterwards() {
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.PAST_DUE, Instant.now().minus(Duration.ofDays(1))));
		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);

		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();
		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);

		this.jdbc.sql("update subscription_state set past_due_since = ? where subscription_id = ?")
			.params(Timestamp.from(Instant.now().minus(Duration.ofDays(8))), this.subscription)
			.update();
		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();
		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();
		assertThat(this.grants.find(this.organization, this.customer, null, GrantState.SUSPENDED)).hasSize(3);

		this.grants.apply(next(SubscriptionChange.ACTIVATED, Instant.now()));
		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);
	}

	@Test
	void doesNotRestoreAccessOfASubscriptionPastDueBeyondGraceWhenItIsCanceledAtPeriodEnd() {
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.PAST_DUE, Instant.now().minus(Duration.ofDays(8))));
		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();

		this.grants.apply(next(SubscriptionChange.CANCELED_AT_PERIOD_END, Instant.now()));

		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();
		assertThat(this.grants.find(this.organization, this.customer, null, GrantState.SUSPENDED)).hasSize(3);
	}

	@Test
	void keepsTheGrantsOfASubscriptionWhoseGraceIsOverSuspendedUntilItIsPaid() {
		this.grants.apply(next(SubscriptionChange.CREATED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.PAST_DUE_GRACE_OVER, Instant.now()));
		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();

		this.grants.apply(next(SubscriptionChange.CANCELED_AT_PERIOD_END, Instant.now()));
		this.grants.apply(next(SubscriptionChange.UNCANCELED, Instant.now()));
		this.grants.apply(next(SubscriptionChange.PAST_DUE, Instant.now()));
		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();
		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();
		assertThat(this.grants.find(this.organization, this.customer, null, GrantState.SUSPENDED)).hasSize(3);

		this.grants.apply(next(SubscriptionChange.ACTIVATED, Instant.now()));
		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);
		this.grants.apply(next(SubscriptionChange.PAST_DUE, Instant.now()));
		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);
	}

	/**
	 * Every change, applied to a subscription with active grants and to one with
	 * suspended grants: each access leaves its own pair of states (granted:
	 * active/active, suspended: suspended/suspended, revoked: revoked/revoked, unchanged:
	 * active/suspended).
	 */
	@ParameterizedTest
	@EnumSource(SubscriptionChange.class)
	void bringsActiveAndSuspendedGrantsToTheAccessOfEachChange(SubscriptionChange change) {
		UUID active = UUID.randomUUID();
		UUID suspended = UUID.randomUUID();
		this.grants.apply(changed(active, SubscriptionChange.CREATED, 1));
		this.grants.apply(changed(suspended, SubscriptionChange.CREATED, 1));
		this.grants.apply(changed(suspended, SubscriptionChange.PAUSED_VOID, 2));

		assertThat(this.grants.apply(changed(active, change, 3))).isTrue();
		assertThat(this.grants.apply(changed(suspended, change, 3))).isTrue();

		Access access = SubscriptionChangeTests.ACCESS.get(change);
		GrantState fromActive = switch (access) {
			case GRANTED, UNCHANGED -> GrantState.ACTIVE;
			case SUSPENDED -> GrantState.SUSPENDED;
			case REVOKED -> GrantState.REVOKED;
		};
		GrantState fromSuspended = (access == Access.GRANTED) ? GrantState.ACTIVE
				: (access == Access.REVOKED) ? GrantState.REVOKED : GrantState.SUSPENDED;
		assertThat(this.grants.find(this.organization, null, active, null)).hasSize(3)
			.allSatisfy(grant -> assertThat(grant.state()).isEqualTo(fromActive));
		assertThat(this.grants.find(this.organization, null, suspended, null)).hasSize(3)
			.allSatisfy(grant -> assertThat(grant.state()).isEqualTo(fromSuspended));
		if (access == Access.REVOKED) {
			RevocationReason reason = (change == SubscriptionChange.ENDED_BY_CUSTOMER_DELETION)
					? RevocationReason.CUSTOMER_DELETED : RevocationReason.SUBSCRIPTION_ENDED;
			assertThat(this.grants.find(this.organization, this.customer, null, null)).hasSize(6)
				.allSatisfy(grant -> assertThat(grant.getRevocationReason()).isEqualTo(reason));
		}
	}

	@Test
	void ignoresAChangeOlderThanTheLastAppliedOfItsSubscription() {
		this.grants.apply(changed(this.subscription, SubscriptionChange.CREATED, 1));
		this.grants.apply(changed(this.subscription, SubscriptionChange.PAUSED_VOID, 3));

		assertThat(this.grants.apply(changed(this.subscription, SubscriptionChange.RESUMED, 2))).isFalse();
		assertThat(this.grants.find(this.organization, this.customer, null, GrantState.SUSPENDED)).hasSize(3);
	}

	private SubscriptionChanged changed(UUID subscription, SubscriptionChange change, long sequence) {
		return new SubscriptionChanged(change, this.organization, this.customer, subscription, this.product, sequence,
				Instant.now());
	}

	private SubscriptionChanged changed(UUID customer, UUID subscription, SubscriptionChange change, long sequence) {
		return new SubscriptionChanged(change, this.organization, customer, subscription, this.product, sequence,
				Instant.now());
	}

	/** The customer's grants as stored, by id. */
	private Map<UUID, Map<String, Object>> rowsOf(UUID customer) {
		Map<UUID, Map<String, Object>> rows = new HashMap<>();
		this.jdbcTemplate.queryForList("select * from benefit_grant where customer_id = ?", customer)
			.forEach(row -> rows.put((UUID) row.get("id"), row));
		return rows;
	}

	private SubscriptionChanged next(SubscriptionChange change, Instant occurredAt) {
		return new SubscriptionChanged(change, this.organization, this.customer, this.subscription, this.product,
				++this.sequence, occurredAt);
	}

}
