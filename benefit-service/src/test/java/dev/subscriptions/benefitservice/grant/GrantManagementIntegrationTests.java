package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
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

	private SubscriptionChanged next(SubscriptionChange change, Instant occurredAt) {
		return new SubscriptionChanged(change, this.organization, this.customer, this.subscription, this.product,
				++this.sequence, occurredAt);
	}

}
