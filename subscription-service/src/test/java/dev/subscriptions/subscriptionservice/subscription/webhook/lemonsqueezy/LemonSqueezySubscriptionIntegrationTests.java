package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy.LemonSqueezyPayloads.Delivery;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.TestTokens;

/**
 * What Lemon Squeezy's deliveries do to the subscription, through {@code billing.events}
 * and the service's own listener of it, seen through the subscriptions API.
 */
@SubscriptionServiceIntegrationTest
class LemonSqueezySubscriptionIntegrationTests {

	/** Delivers to the webhooks, which take no token. */
	@Autowired
	RestTestClient client;

	/** Calls the API with a token of the customer's organization. */
	private RestTestClient api;

	@Autowired
	KnownCustomers customers;

	@Autowired
	JdbcTemplate jdbc;

	private LemonSqueezyPayloads purchase;

	@BeforeEach
	void knowTheCustomer() {
		UUID customer = UUID.randomUUID();
		UUID organization = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(customer, organization, Instant.now()));
		this.api = TestTokens.authorized(this.client, organization, ApiScopes.SUBSCRIPTIONS_WRITE);
		this.purchase = new LemonSqueezyPayloads(customer, UUID.randomUUID());
	}

	@Test
	void createsTheSubscriptionOfAPurchaseLinkedByItsSubscriptionIdNotItsOrderId() {
		deliver(this.purchase.delivery("order_created"));
		deliver(this.purchase.delivery("subscription_created"));

		Map<String, Object> subscription = awaitSubscription(s -> "active".equals(s.get("status")));

		assertThat(subscription).containsEntry("customerId", this.purchase.customerId.toString())
			.containsEntry("productId", this.purchase.productId.toString());
		assertThat(
				this.jdbc.queryForMap("select provider, provider_subscription_id from subscription where id = ?::uuid",
						subscription.get("id")))
			.containsEntry("provider", "lemon_squeezy")
			.containsEntry("provider_subscription_id", this.purchase.subscriptionId);
	}

	@Test
	void pausesAndUnpausesTheSubscriptionAsItsSnapshotsSay() {
		deliver(this.purchase.delivery("subscription_created"));
		awaitSubscription(s -> "active".equals(s.get("status")));

		deliver(this.purchase.delivery("subscription_paused_void"));
		awaitSubscription(s -> "paused".equals(s.get("status")) && "void".equals(s.get("pauseMode")));

		deliver(this.purchase.delivery("subscription_unpaused"));
		awaitSubscription(s -> "active".equals(s.get("status")) && s.get("pauseMode") == null);

		deliver(this.purchase.delivery("subscription_paused_free"));
		awaitSubscription(s -> "paused".equals(s.get("status")) && "free".equals(s.get("pauseMode")));
	}

	@Test
	void pausesTheSubscriptionWhenThePausedSnapshotComesAsSubscriptionUpdated() {
		deliver(this.purchase.delivery("subscription_created"));
		awaitSubscription(s -> "active".equals(s.get("status")));

		deliver(this.purchase.delivery("subscription_paused_void")
			.replacing("\"event_name\": \"subscription_paused\"", "\"event_name\": \"subscription_updated\""));

		awaitSubscription(s -> "paused".equals(s.get("status")) && "void".equals(s.get("pauseMode")));
	}

	@Test
	void cancelsAtPeriodEndOnCancelledAndEndsOnExpired() {
		deliver(this.purchase.delivery("subscription_created"));
		awaitSubscription(s -> "active".equals(s.get("status")));

		deliver(this.purchase.delivery("subscription_cancelled"));
		awaitSubscription(s -> "active".equals(s.get("status")) && Boolean.TRUE.equals(s.get("cancelAtPeriodEnd")));

		deliver(this.purchase.delivery("subscription_expired"));
		awaitSubscription(s -> s.get("endedAt") != null);
	}

	@Test
	void keepsTheFailedPaymentsInvoiceOpenWhenThePastDueSubscriptionIsCanceledThroughTheApi() {
		String invoiceId = LemonSqueezyPayloads.nextId();
		deliver(this.purchase.delivery("subscription_created"));
		deliver(this.purchase.delivery("subscription_payment_failed", Map.of("invoice_id", invoiceId)));
		deliver(this.purchase.delivery("subscription_updated_past_due"));
		Map<String, Object> overdue = awaitSubscription(s -> "past_due".equals(s.get("status")));
		awaitInvoice(overdue, "open");

		EntityExchangeResult<Map<String, Object>> canceled = call(this.api, HttpMethod.POST,
				"/subscriptions/" + overdue.get("id") + "/cancel", Map.of("immediately", true));

		assertThat(canceled.getStatus().value()).isEqualTo(200);
		assertThat(canceled.getResponseBody()).containsEntry("status", "canceled");
		assertThat(list(this.api, "/subscriptions/" + overdue.get("id") + "/invoices")).singleElement()
			.satisfies(invoice -> assertThat(invoice).containsEntry("status", "open")
				.containsEntry("amount", 1999)
				.containsEntry("currency", "EUR"));
	}

	/**
	 * Lemon Squeezy sends {@code subscription_payment_success} alongside
	 * {@code subscription_payment_recovered}, both about the same invoice.
	 */
	@Test
	void paysTheInvoiceOfARecoveredPaymentOnce() {
		String invoiceId = LemonSqueezyPayloads.nextId();
		deliver(this.purchase.delivery("subscription_created"));
		deliver(this.purchase.delivery("subscription_payment_failed", Map.of("invoice_id", invoiceId)));
		deliver(this.purchase.delivery("subscription_updated_past_due"));
		Map<String, Object> overdue = awaitSubscription(s -> "past_due".equals(s.get("status")));
		awaitInvoice(overdue, "open");

		deliver(this.purchase.delivery("subscription_payment_success", Map.of("invoice_id", invoiceId)));
		deliver(this.purchase.delivery("subscription_payment_success", Map.of("invoice_id", invoiceId))
			.replacing("\"event_name\": \"subscription_payment_success\"",
					"\"event_name\": \"subscription_payment_recovered\""));
		deliver(this.purchase.delivery("subscription_resumed")
			.replacing("\"event_name\": \"subscription_resumed\"", "\"event_name\": \"subscription_updated\""));

		awaitSubscription(s -> "active".equals(s.get("status")));
		awaitInvoice(overdue, "paid");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from invoice where provider = 'lemon_squeezy' and provider_invoice_id = ?",
				Integer.class, invoiceId))
			.isOne();
	}

	private void deliver(Delivery delivery) {
		this.client.post()
			.uri("/webhooks/lemon-squeezy")
			.contentType(MediaType.APPLICATION_JSON)
			.header(LemonSqueezyWebhook.SIGNATURE,
					LemonSqueezyPayloads.sign(delivery.body(), SubscriptionServiceIntegrationTest.LEMON_SQUEEZY_SECRET))
			.body(delivery.body())
			.exchange()
			.expectStatus()
			.isOk();
	}

	private void awaitInvoice(Map<String, Object> subscription, String status) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> list(this.api, "/subscriptions/" + subscription.get("id") + "/invoices"),
					invoices -> invoices.size() == 1 && status.equals(invoices.get(0).get("status")));
	}

	private Map<String, Object> awaitSubscription(Predicate<Map<String, Object>> state) {
		List<Map<String, Object>> found = await().atMost(Duration.ofSeconds(60))
			.until(() -> list(this.api, "/subscriptions?customerId=" + this.purchase.customerId),
					subscriptions -> subscriptions.size() == 1 && state.test(subscriptions.get(0)));
		return found.get(0);
	}

}
