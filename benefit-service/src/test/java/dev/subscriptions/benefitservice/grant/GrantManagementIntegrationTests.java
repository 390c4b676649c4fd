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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.benefitservice.grant.GrantManagement.SubscriptionFacts;
import dev.subscriptions.infrastructure.OpenTransaction;

/**
 * What the database decides about grants: the lock that orders a customer's deletion against its subscription events,
 * and the past-due grace period. Called directly, without Kafka, to control the interleaving and the clock.
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
		this.benefits.mapProduct(this.product, ids);
	}

	@Test
	void revokesGrantsThatASubscriptionEventCommitsWhileTheCustomerIsBeingDeleted() throws Exception {
		OpenTransaction creation = OpenTransaction.begin(this.transactions, this.jdbcTemplate,
				() -> this.grants.apply(next(Instant.now()), "SubscriptionCreated", Access.GRANTED, null));

		CompletableFuture<Integer> deletion = CompletableFuture
			.supplyAsync(() -> this.grants.revokeAllOfDeletedCustomer(this.customer));
		await().atMost(Duration.ofSeconds(10)).until(creation::blocksAnother);
		creation.commit();

		assertThat(deletion.get(20, TimeUnit.SECONDS)).isEqualTo(3);
		assertThat(this.grants.entitlements(this.customer)).isEmpty();
		assertThat(this.grants.find(this.customer, null, null)).hasSize(3)
			.allSatisfy(grant -> assertThat(grant.getRevocationReason()).isEqualTo("customer_deleted"));
	}

	@Test
	void grantsNothingOfABenefitWhoseDeletionCommitsWhileASubscriptionIsGranted() throws Exception {
		UUID deletedBenefit = this.benefits.benefitsOfProduct(this.product).get(0).getId();
		OpenTransaction deletion = OpenTransaction.begin(this.transactions, this.jdbcTemplate,
				() -> this.benefits.delete(deletedBenefit));

		CompletableFuture<Boolean> creation = CompletableFuture
			.supplyAsync(() -> this.grants.apply(next(Instant.now()), "SubscriptionCreated", Access.GRANTED, null));
		await().atMost(Duration.ofSeconds(10)).until(deletion::blocksAnother);
		deletion.commit();

		assertThat(creation.get(20, TimeUnit.SECONDS)).isTrue();
		assertThat(this.grants.find(null, this.subscription, "active")).hasSize(2)
			.noneSatisfy(grant -> assertThat(grant.getBenefitId()).isEqualTo(deletedBenefit));
	}

	@Test
	void countsGrantsThatTheDeletionRevokedThroughTheEndOfASubscriptionInTheDeletionReport() {
		this.grants.apply(next(Instant.now()), "SubscriptionCreated", Access.GRANTED, null);
		this.grants.apply(next(Instant.now()), "SubscriptionEnded", Access.REVOKED, "customer_deleted");

		assertThat(this.grants.revokeAllOfDeletedCustomer(this.customer)).isEqualTo(3);
		assertThat(this.grants.revokeAllOfDeletedCustomer(this.customer)).isEqualTo(3);
	}

	@Test
	void keepsAPastDueSubscriptionsBenefitsDuringTheGracePeriodAndSuspendsThemAfterwards() {
		this.grants.apply(next(Instant.now()), "SubscriptionCreated", Access.GRANTED, null);
		this.grants.apply(next(Instant.now().minus(Duration.ofDays(1))), "SubscriptionPastDue", Access.GRANTED, null);
		assertThat(this.grants.entitlements(this.customer)).hasSize(3);

		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();
		assertThat(this.grants.entitlements(this.customer)).hasSize(3);

		this.jdbc.sql("update subscription_state set past_due_since = ? where subscription_id = ?")
			.params(Timestamp.from(Instant.now().minus(Duration.ofDays(8))), this.subscription)
			.update();
		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();
		assertThat(this.grants.entitlements(this.customer)).isEmpty();
		assertThat(this.grants.find(this.customer, null, "suspended")).hasSize(3);

		this.grants.apply(next(Instant.now()), "SubscriptionActivated", Access.GRANTED, null);
		assertThat(this.grants.entitlements(this.customer)).hasSize(3);
	}

	@Test
	void doesNotRestoreAccessOfASubscriptionPastDueBeyondGraceWhenItIsCanceledAtPeriodEnd() {
		this.grants.apply(next(Instant.now()), "SubscriptionCreated", Access.GRANTED, null);
		this.grants.apply(next(Instant.now().minus(Duration.ofDays(8))), "SubscriptionPastDue", Access.GRANTED, null);
		assertThat(this.grants.entitlements(this.customer)).isEmpty();

		this.grants.apply(next(Instant.now()), "SubscriptionCanceled", Access.GRANTED, null);

		assertThat(this.grants.entitlements(this.customer)).isEmpty();
		assertThat(this.grants.find(this.customer, null, "suspended")).hasSize(3);
	}

	private SubscriptionFacts next(Instant occurredAt) {
		return new SubscriptionFacts(this.organization, this.customer, this.subscription, this.product,
				++this.sequence, occurredAt);
	}

}
