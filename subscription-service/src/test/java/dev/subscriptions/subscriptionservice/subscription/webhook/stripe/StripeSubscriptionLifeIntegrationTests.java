package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import static dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest.STRIPE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.TestTokens;

/**
 * Stripe's webhook drives our subscription: each delivery goes through
 * {@code billing.events} and the service's own listener of it, and the subscription, as
 * the REST API shows it, follows Stripe's snapshots.
 */
@SubscriptionServiceIntegrationTest
class StripeSubscriptionLifeIntegrationTests {

	@Autowired
	RestTestClient client;

	@Autowired
	KnownCustomers customers;

	private final UUID organization = UUID.randomUUID();

	private final String subscription = StripePayload.newId("sub_");

	private final UUID customer = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	@Test
	void followsStripesSubscriptionFromCreatedThroughPausesToDeleted() {
		this.customers.recordCreated(new KnownCustomers.Created(this.customer, this.organization, Instant.now()));

		deliver("customer.subscription.created.json");
		Map<String, Object> created = awaitSubscription("active", null);
		assertThat(created).containsEntry("customerId", this.customer.toString())
			.containsEntry("productId", this.product.toString());

		deliver("customer.subscription.paused.json");
		awaitSubscription("paused", "void");

		deliver("customer.subscription.resumed.json");
		awaitSubscription("active", null);

		deliver("customer.subscription.updated.pause-collection.json");
		awaitSubscription("paused", "free");

		deliver("customer.subscription.deleted.json");
		Map<String, Object> ended = awaitSubscription("canceled", "free");
		assertThat(ended).containsEntry("id", created.get("id")).containsEntry("endedAt", "2025-07-01T08:00:00Z");
	}

	private void deliver(String file) {
		StripePayload payload = StripePayload.of(file)
			.about(this.subscription, this.customer, this.product)
			.asNewEvent();
		this.client.post()
			.uri("/webhooks/stripe")
			.contentType(MediaType.APPLICATION_JSON)
			.header(StripeSignature.HEADER,
					StripePayload.signature(STRIPE_SECRET, Instant.now().getEpochSecond(), payload.bytes()))
			.body(payload.bytes())
			.exchange()
			.expectStatus()
			.isOk();
	}

	/**
	 * The customer's one subscription, once it has {@code status} and pause mode (which
	 * an ended subscription keeps from its last pause).
	 */
	private Map<String, Object> awaitSubscription(String status, @Nullable String pauseMode) {
		List<Map<String, Object>> subscriptions = await().atMost(Duration.ofSeconds(60))
			.until(() -> ApiResponses.list(
					TestTokens.authorized(this.client, this.organization, ApiScopes.SUBSCRIPTIONS_READ),
					"/subscriptions?customerId=" + this.customer),
					(found) -> found.size() == 1 && status.equals(found.get(0).get("status"))
							&& Objects.equals(pauseMode, found.get(0).get("pauseMode")));
		return subscriptions.get(0);
	}

}
