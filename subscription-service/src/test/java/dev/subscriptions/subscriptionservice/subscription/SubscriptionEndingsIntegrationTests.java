package dev.subscriptions.subscriptionservice.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.Currency;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.BillingFixture;
import dev.subscriptions.subscriptionservice.CustomerEventsProducer;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.web.test.ManagementClient;

/**
 * Every end of a subscription is counted once, by its reason, in
 * {@code subscriptions_ended_total{reason}}, once its transaction has committed.
 */
@SubscriptionServiceIntegrationTest
class SubscriptionEndingsIntegrationTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final String PROVIDER = "billing_system_" + UUID.randomUUID().toString().substring(0, 8);

	private final UUID organization = UUID.randomUUID();

	@Autowired
	CustomerEventsProducer customerEvents;

	@Autowired
	EventTopics topics;

	@Autowired
	SubscriptionManagement subscriptions;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	@LocalManagementPort
	int managementPort;

	@Test
	void countsEachRevokedSubscriptionOfADeletedCustomerUnderCustomerDeletedOnceEvenWhenDeliveredTwice() {
		UUID customer = knownCustomer();
		subscribe(customer);
		subscribe(customer);
		this.subscriptions.cancelImmediately(this.organization, subscribe(customer).getId(), null, null);
		double before = ended(EndReason.CUSTOMER_DELETED);

		CustomerDeleted deletion = this.customerEvents.deleted(this.organization, customer);
		this.customerEvents.send(customer.toString(), deletion);
		UUID marker = UUID.randomUUID();
		this.customerEvents.created(this.organization, marker, customer.toString());

		await().atMost(Duration.ofSeconds(20)).until(() -> known(marker));
		assertThat(ended(EndReason.CUSTOMER_DELETED)).isEqualTo(before + 2);
	}

	@Test
	void countsAnImmediateCancellationUnderCanceled() {
		Subscription subscription = subscribe(knownCustomer());
		double before = ended(EndReason.CANCELED);

		this.subscriptions.cancelImmediately(this.organization, subscription.getId(), "too_expensive", null);

		assertThat(ended(EndReason.CANCELED)).isEqualTo(before + 1);
	}

	@Test
	void countsAnAdministratorsRevocationUnderRevokedOnceHoweverOftenItIsAskedFor() {
		Subscription subscription = subscribe(knownCustomer());
		double before = ended(EndReason.REVOKED);

		this.subscriptions.revoke(this.organization, subscription.getId());
		this.subscriptions.revoke(this.organization, subscription.getId());

		assertThat(ended(EndReason.REVOKED)).isEqualTo(before + 1);
	}

	@Test
	void countsTheEndOfAPeriodItWasCanceledAtUnderExpired() {
		Subscription subscription = subscribe(knownCustomer());
		this.subscriptions.cancelAtPeriodEnd(this.organization, subscription.getId(), null, null);
		double before = ended(EndReason.EXPIRED);

		this.jdbc.update("update subscription set ends_at = now() - interval '1 minute' where id = ?",
				subscription.getId());

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.subscriptions.get(this.organization, subscription.getId())
				.getStatus() == SubscriptionStatus.CANCELED);
		assertThat(ended(EndReason.EXPIRED)).isGreaterThanOrEqualTo(before + 1);
	}

	/**
	 * Ends told by billing.events count under the reason the subscription's end gives:
	 * canceled now, or expired; the same record delivered twice counts once.
	 */
	@Test
	void countsAnEndByTheBillingProviderUnderCanceledOrExpiredOnce() {
		BillingFixture canceling = BillingFixture.of(PROVIDER, knownCustomer(), UUID.randomUUID());
		BillingFixture expiring = BillingFixture.of(PROVIDER, knownCustomer(), UUID.randomUUID());
		double canceledBefore = ended(EndReason.CANCELED);
		double expiredBefore = ended(EndReason.EXPIRED);

		BillingSubscriptionChanged active = canceling.active().build();
		BillingSubscriptionChanged canceled = canceling.active().setStatus("canceled").build();
		sendBilling(canceling, active, canceled, canceled);
		BillingSubscriptionChanged alsoActive = expiring.active().build();
		BillingSubscriptionChanged expired = expiring.expired().build();
		sendBilling(expiring, alsoActive, expired, expired);
		BillingSubscriptionChanged canceledBehind = canceling.active().build();
		BillingSubscriptionChanged expiredBehind = expiring.active().build();
		sendBilling(canceling, canceledBehind);
		sendBilling(expiring, expiredBehind);

		await().atMost(Duration.ofSeconds(30)).until(() -> handled(canceledBehind) && handled(expiredBehind));
		assertThat(this.subscriptions.findByProviderSubscription(PROVIDER, canceling.providerSubscriptionId()))
			.hasValueSatisfying(subscription -> assertThat(subscription.getStatus().hasEnded()).isTrue());
		assertThat(ended(EndReason.CANCELED)).isEqualTo(canceledBefore + 1);
		assertThat(ended(EndReason.EXPIRED)).isGreaterThanOrEqualTo(expiredBefore + 1);
	}

	@Test
	void countsNothingForAnEndWhoseTransactionRollsBack() {
		Subscription subscription = subscribe(knownCustomer());
		double before = ended(EndReason.REVOKED);

		this.transactions.executeWithoutResult(status -> {
			this.subscriptions.revoke(this.organization, subscription.getId());
			status.setRollbackOnly();
		});

		assertThat(this.subscriptions.get(this.organization, subscription.getId()).getStatus())
			.isEqualTo(SubscriptionStatus.ACTIVE);
		assertThat(ended(EndReason.REVOKED)).isEqualTo(before);
	}

	@Test
	void registersEveryReasonAtZero() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();

		new SubscriptionEndings(meters);

		assertThat(meters.find(SubscriptionEndings.METER).counters())
			.extracting(counter -> counter.getId().getTag("reason"))
			.containsExactlyInAnyOrder("canceled", "expired", "revoked", "customer_deleted");
		assertThat(meters.find(SubscriptionEndings.METER).counters())
			.allSatisfy(counter -> assertThat(counter.count()).isZero());
	}

	@Test
	void exportsEveryReasonToPrometheusAsSubscriptionsEndedTotal() {
		String scraped = ManagementClient.of(this.managementPort)
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(Arrays.stream(EndReason.values()).map(EndReason::value)).allSatisfy(
				reason -> assertThat(scraped.lines()).anyMatch(line -> line.startsWith("subscriptions_ended_total{")
						&& line.contains("reason=\"" + reason + "\"")));
	}

	private void sendBilling(BillingFixture billing, BillingSubscriptionChanged... records) {
		this.topics.send(Topic.BILLING_EVENTS.topicName(), billing.key(), records);
	}

	private boolean handled(BillingSubscriptionChanged record) {
		return this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'subscription-service.billing' and event_id = ?::uuid",
				Integer.class, record.getEventId()) == 1;
	}

	private double ended(EndReason reason) {
		return this.meters.get(SubscriptionEndings.METER).tag("reason", reason.value()).counter().count();
	}

	private UUID knownCustomer() {
		UUID customer = UUID.randomUUID();
		this.customerEvents.created(this.organization, customer);
		await().atMost(Duration.ofSeconds(20)).until(() -> known(customer));
		return customer;
	}

	private Subscription subscribe(UUID customer) {
		return this.subscriptions.create(this.organization, customer, UUID.randomUUID(), 999, EUR, 0);
	}

	private boolean known(UUID customer) {
		return this.jdbc.queryForObject("select count(*) from customer where id = ?", Integer.class, customer) == 1;
	}

}
