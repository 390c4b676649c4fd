package dev.subscriptions.subscriptionservice.subscription.web;

import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.TestTokens;

/**
 * Every operation acts in the organization of the caller's token: another organization's
 * subscription is not found (404, as an unknown one, never revealing that it exists) and
 * stays as it was, its customer is unknown (422), and lists show none of its
 * subscriptions.
 */
@SubscriptionServiceIntegrationTest
class OrganizationIsolationIntegrationTests {

	private static final String[] EVERY_SCOPE = { ApiScopes.SUBSCRIPTIONS_WRITE, ApiScopes.SUBSCRIPTIONS_ADMIN };

	@Autowired
	RestTestClient server;

	@Autowired
	KnownCustomers customers;

	private final UUID owner = UUID.randomUUID();

	private final UUID customer = UUID.randomUUID();

	private RestTestClient ofOwner;

	private RestTestClient ofStranger;

	private String subscription;

	@BeforeEach
	void subscribeACustomerOfTheOwner() {
		this.customers.recordCreated(new KnownCustomers.Created(this.customer, this.owner, Instant.now()));
		this.ofOwner = TestTokens.authorized(this.server, this.owner, EVERY_SCOPE);
		this.ofStranger = TestTokens.authorized(this.server, UUID.randomUUID(), EVERY_SCOPE);
		EntityExchangeResult<Map<String, Object>> created = subscribe(this.ofOwner, this.customer);
		assertThat(created.getStatus().value()).isEqualTo(201);
		this.subscription = (String) created.getResponseBody().get("id");
	}

	@Test
	void answersNotFoundForAnotherOrganizationsSubscription() {
		EntityExchangeResult<Map<String, Object>> read = call(this.ofStranger, HttpMethod.GET,
				"/subscriptions/" + this.subscription, null);

		assertThat(read.getStatus().value()).isEqualTo(404);
		assertThat(read.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(read.getResponseBody()).containsEntry("title", "Subscription not found");
		assertThat(call(this.ofOwner, HttpMethod.GET, "/subscriptions/" + this.subscription, null).getStatus().value())
			.isEqualTo(200);
	}

	@Test
	void answersNotFoundForTheInvoicesOfAnotherOrganizationsSubscription() {
		call(this.ofOwner, HttpMethod.POST, "/subscriptions/" + this.subscription + "/payment-failed", null);

		EntityExchangeResult<Map<String, Object>> invoices = call(this.ofStranger, HttpMethod.GET,
				"/subscriptions/" + this.subscription + "/invoices", null);

		assertThat(invoices.getStatus().value()).isEqualTo(404);
		assertThat(list(this.ofOwner, "/subscriptions/" + this.subscription + "/invoices")).hasSize(1);
	}

	/**
	 * Each transition is refused as for an unknown subscription, before its own rules
	 * (uncancel of a subscription not canceled would otherwise be 409), and changes
	 * nothing.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource({ "cancel, '{\"immediately\": true}'", "uncancel,", "pause, '{\"mode\": \"free\"}'", "resume,",
			"revoke,", "payment-failed,", "payment-succeeded," })
	void answersNotFoundForATransitionOfAnotherOrganizationsSubscriptionAndChangesNothing(String action, String body) {
		Map<String, Object> before = read(this.ofOwner);

		EntityExchangeResult<Map<String, Object>> refused = call(this.ofStranger, HttpMethod.POST,
				"/subscriptions/" + this.subscription + "/" + action, body);

		assertThat(refused.getStatus().value()).isEqualTo(404);
		assertThat(refused.getResponseBody()).containsEntry("title", "Subscription not found");
		assertThat(read(this.ofOwner)).isEqualTo(before);
	}

	@Test
	void listsNoneOfAnotherOrganizationsSubscriptionsOfItsCustomer() {
		assertThat(list(this.ofStranger, "/subscriptions?customerId=" + this.customer)).isEmpty();
		assertThat(list(this.ofStranger, "/subscriptions?customerId=" + this.customer + "&status=active")).isEmpty();
		assertThat(list(this.ofOwner, "/subscriptions?customerId=" + this.customer))
			.extracting(subscription -> subscription.get("id"))
			.containsExactly(this.subscription);
	}

	/**
	 * A subscription names its customer; one of another organization is answered as an
	 * unknown customer, so that a caller cannot learn which customers exist elsewhere.
	 */
	@Test
	void refusesASubscriptionForAnotherOrganizationsCustomerAsForAnUnknownOne() {
		EntityExchangeResult<Map<String, Object>> refused = subscribe(this.ofStranger, this.customer);
		EntityExchangeResult<Map<String, Object>> unknown = subscribe(this.ofStranger, UUID.randomUUID());

		assertThat(refused.getStatus().value()).isEqualTo(422);
		assertThat(refused.getResponseBody()).containsEntry("title", "Unknown customer")
			.containsEntry("field", "customerId");
		assertThat(refused.getResponseBody()).containsOnlyKeys(unknown.getResponseBody().keySet());
		assertThat(list(this.ofOwner, "/subscriptions?customerId=" + this.customer)).hasSize(1);
	}

	@Test
	void createsTheSubscriptionInTheOrganizationOfTheToken() {
		assertThat(read(this.ofOwner)).containsEntry("organizationId", this.owner.toString())
			.containsEntry("customerId", this.customer.toString());
	}

	private Map<String, Object> read(RestTestClient client) {
		EntityExchangeResult<Map<String, Object>> read = call(client, HttpMethod.GET,
				"/subscriptions/" + this.subscription, null);
		assertThat(read.getStatus().value()).isEqualTo(200);
		return read.getResponseBody();
	}

	private static EntityExchangeResult<Map<String, Object>> subscribe(RestTestClient client, UUID customer) {
		return call(client, HttpMethod.POST, "/subscriptions", Map.of("customerId", customer.toString(), "productId",
				UUID.randomUUID().toString(), "amount", 1999, "currency", "EUR"));
	}

}
