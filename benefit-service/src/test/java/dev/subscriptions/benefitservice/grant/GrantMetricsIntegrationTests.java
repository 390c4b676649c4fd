package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.benefitservice.grant.GrantMetrics.Suspension;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;
import dev.subscriptions.web.test.ManagementClient;

/**
 * Every revoked grant is counted once, by its reason, in
 * {@code grants_revoked_total{reason}}, and every grant that loses access to a suspension
 * in {@code grants_suspended_total{reason}}, once the transaction has committed. Mostly
 * called directly, as in {@link GrantManagementIntegrationTests}; the duplicate delivery
 * goes through subscription.events.
 */
@BenefitServiceIntegrationTest
class GrantMetricsIntegrationTests {

	@Autowired
	EventTopics topics;

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
	MeterRegistry meters;

	@LocalManagementPort
	int managementPort;

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	private final UUID customer = UUID.randomUUID();

	private final UUID subscription = UUID.randomUUID();

	private long sequence;

	private List<UUID> benefitIds;

	private Map<RevocationReason, Double> revokedBefore;

	private Map<Suspension, Double> suspendedBefore;

	@BeforeEach
	void productWithThreeBenefits() {
		this.benefitIds = new ArrayList<>();
		for (String key : List.of("reports", "api", "community")) {
			this.benefitIds
				.add(this.benefits.create(this.organization, BenefitType.FEATURE_FLAG, key, null, null).getId());
		}
		this.benefits.mapProduct(this.organization, this.product, this.benefitIds);
		this.revokedBefore = new EnumMap<>(RevocationReason.class);
		Arrays.stream(RevocationReason.values()).forEach(reason -> this.revokedBefore.put(reason, revoked(reason)));
		this.suspendedBefore = new EnumMap<>(Suspension.class);
		Arrays.stream(Suspension.values()).forEach(reason -> this.suspendedBefore.put(reason, suspended(reason)));
	}

	@Test
	void countsARevokedGrantOnceEvenWhenTheEventIsDeliveredTwice() {
		SubscriptionFixture sub = SubscriptionFixture.of(this.organization, UUID.randomUUID(), this.product);
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId(), sub.created().build());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.grants.entitlements(this.organization, sub.customerId()).size() == 3);

		SubscriptionEnded ended = sub.ended().setReason("expired").build();
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId(), ended);
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId(), ended);
		SubscriptionFixture marker = SubscriptionFixture.of(this.organization, UUID.randomUUID(), this.product);
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId().toString(), marker.created().build());

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.grants.entitlements(this.organization, marker.customerId()).size() == 3);
		assertThat(this.grants.find(this.organization, null, sub.subscriptionId(), GrantState.REVOKED)).hasSize(3);
		assertRevoked(RevocationReason.SUBSCRIPTION_ENDED, 3);
	}

	@Test
	void countsEachGrantOfADeletedCustomerUnderCustomerDeletedOnce() {
		this.grants.apply(next(SubscriptionChange.CREATED));

		this.grants.revokeAllOfDeletedCustomer(this.customer);
		this.grants.revokeAllOfDeletedCustomer(this.customer);

		assertRevoked(RevocationReason.CUSTOMER_DELETED, 3);
	}

	@Test
	void countsGrantsThatTheDeletionRevokedThroughTheEndOfASubscriptionOnceUnderCustomerDeleted() {
		this.grants.apply(next(SubscriptionChange.CREATED));
		this.grants.apply(next(SubscriptionChange.ENDED_BY_CUSTOMER_DELETION));

		assertThat(this.grants.revokeAllOfDeletedCustomer(this.customer)).isEqualTo(3);
		assertRevoked(RevocationReason.CUSTOMER_DELETED, 3);
	}

	@Test
	void countsTheGrantsOfADeletedBenefitUnderBenefitDeleted() {
		this.grants.apply(next(SubscriptionChange.CREATED));

		this.benefits.delete(this.organization, this.benefitIds.get(0));

		assertRevoked(RevocationReason.BENEFIT_DELETED, 1);
	}

	@Test
	void countsGrantsSuspendedByAPauseOrPastDueBeyondGraceButNotAmongTheRevocations() {
		this.grants.apply(next(SubscriptionChange.CREATED));

		this.grants.apply(next(SubscriptionChange.PAUSED_VOID));
		this.grants.apply(next(SubscriptionChange.PAUSED_VOID));
		assertSuspended(Suspension.PAUSED, 3);

		this.grants.apply(next(SubscriptionChange.RESUMED));
		this.grants.apply(next(SubscriptionChange.PAST_DUE_GRACE_OVER));
		assertSuspended(Suspension.PAST_DUE, 3);
		assertThat(Arrays.stream(RevocationReason.values())).allSatisfy(reason -> assertRevoked(reason, 0));
	}

	@Test
	void countsGrantsSuspendedWhenTheGracePeriodRunsOutUnderPastDue() {
		this.grants.apply(next(SubscriptionChange.CREATED));
		this.grants.apply(next(SubscriptionChange.PAST_DUE));
		assertSuspended(Suspension.PAST_DUE, 0);

		this.jdbc.sql("update subscription_state set past_due_since = ? where subscription_id = ?")
			.params(Timestamp.from(Instant.now().minus(Duration.ofDays(8))), this.subscription)
			.update();
		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();

		assertThat(this.grants.entitlements(this.organization, this.customer)).isEmpty();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertSuspended(Suspension.PAST_DUE, 3));
	}

	@Test
	void countsNothingForARevocationWhoseTransactionRollsBack() {
		this.grants.apply(next(SubscriptionChange.CREATED));

		this.transactions.executeWithoutResult(status -> {
			this.grants.revokeAllOfDeletedCustomer(this.customer);
			status.setRollbackOnly();
		});

		assertThat(this.grants.entitlements(this.organization, this.customer)).hasSize(3);
		assertRevoked(RevocationReason.CUSTOMER_DELETED, 0);
	}

	@Test
	void registersEveryReasonAtZero() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();

		new GrantMetrics(meters);

		assertThat(meters.find(GrantMetrics.REVOKED).counters()).extracting(counter -> counter.getId().getTag("reason"))
			.containsExactlyInAnyOrder("customer_deleted", "subscription_ended", "benefit_deleted");
		assertThat(meters.find(GrantMetrics.SUSPENDED).counters())
			.extracting(counter -> counter.getId().getTag("reason"))
			.containsExactlyInAnyOrder("paused", "past_due");
		assertThat(meters.getMeters()).allSatisfy(meter -> assertThat(meter.measure())
			.allSatisfy(measurement -> assertThat(measurement.getValue()).isZero()));
	}

	@Test
	void exportsEveryReasonToPrometheusOnTheManagementPortAsGrantsRevokedTotalAndGrantsSuspendedTotal() {
		String scraped = ManagementClient.of(this.managementPort)
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(Arrays.stream(RevocationReason.values()).map(RevocationReason::value))
			.allSatisfy(reason -> assertThat(scraped.lines()).anyMatch(
					line -> line.startsWith("grants_revoked_total{") && line.contains("reason=\"" + reason + "\"")));
		assertThat(Arrays.stream(Suspension.values()).map(Suspension::value))
			.allSatisfy(reason -> assertThat(scraped.lines()).anyMatch(
					line -> line.startsWith("grants_suspended_total{") && line.contains("reason=\"" + reason + "\"")));
	}

	private void assertRevoked(RevocationReason reason, int grants) {
		assertThat(revoked(reason) - this.revokedBefore.get(reason)).as("grants revoked for %s", reason.value())
			.isEqualTo(grants);
	}

	private void assertSuspended(Suspension reason, int grants) {
		assertThat(suspended(reason) - this.suspendedBefore.get(reason)).as("grants suspended for %s", reason.value())
			.isEqualTo(grants);
	}

	private double revoked(RevocationReason reason) {
		return this.meters.get(GrantMetrics.REVOKED).tag("reason", reason.value()).counter().count();
	}

	private double suspended(Suspension reason) {
		return this.meters.get(GrantMetrics.SUSPENDED).tag("reason", reason.value()).counter().count();
	}

	private SubscriptionChanged next(SubscriptionChange change) {
		return new SubscriptionChanged(change, this.organization, this.customer, this.subscription, this.product,
				++this.sequence, Instant.now());
	}

}
