package dev.subscriptions.subscriptionservice.subscription.web;

import static dev.subscriptions.web.test.ApiResponses.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.ForgedTokens;
import dev.subscriptions.web.test.ForgedTokens.ForgedToken;
import dev.subscriptions.web.test.ManagementClient;
import dev.subscriptions.web.test.TestTokens;

/**
 * Who may call the subscriptions API: a valid token is needed (401 otherwise, also for
 * every kind of forged token), with the operation's scope (403 naming it otherwise); what
 * an administrator or a billing system does needs {@code subscriptions:admin}, which
 * {@code subscriptions:write} does not give, nor the reverse. The actuator answers on the
 * management port only.
 */
@SubscriptionServiceIntegrationTest
class SubscriptionApiSecurityIntegrationTests {

	private static final UUID ORGANIZATION = UUID.randomUUID();

	@Autowired
	RestTestClient server;

	@Autowired
	KnownCustomers customers;

	@LocalManagementPort
	int managementPort;

	private String subscription;

	@BeforeEach
	void subscribe() {
		UUID customer = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(customer, ORGANIZATION, Instant.now()));
		EntityExchangeResult<Map<String, Object>> created = call(as(ApiScopes.SUBSCRIPTIONS_WRITE), HttpMethod.POST,
				"/subscriptions", Map.of("customerId", customer.toString(), "productId", UUID.randomUUID().toString(),
						"amount", 1999, "currency", "EUR"));
		assertThat(created.getStatus().value()).isEqualTo(201);
		this.subscription = (String) created.getResponseBody().get("id");
	}

	@Test
	void answersUnauthorizedWithABearerChallengeWithoutAToken() {
		EntityExchangeResult<Map<String, Object>> refused = call(this.server, HttpMethod.GET,
				"/subscriptions/" + this.subscription, null);

		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	static List<ForgedToken> forgedTokens() {
		return ForgedTokens.all(ORGANIZATION, ApiScopes.SUBSCRIPTIONS_READ);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forgedTokens")
	void answersUnauthorizedToAForgedToken(ForgedToken forged) {
		EntityExchangeResult<Map<String, Object>> refused = ApiResponses.call(this.server.get()
			.uri("/subscriptions/" + this.subscription)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + forged.token()));

		assertThat(refused.getStatus().value()).as(forged.name()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer")
			.contains("invalid_token");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(call(as(ApiScopes.SUBSCRIPTIONS_READ), HttpMethod.GET, "/subscriptions/" + this.subscription, null)
			.getStatus()
			.value()).as("the same read with a genuine token").isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "revoke", "payment-failed", "payment-succeeded" })
	void refusesAnAdministrativeActionWithOnlyTheWriteScopeNamingTheAdminScope(String action) {
		EntityExchangeResult<Map<String, Object>> refused = call(as(ApiScopes.SUBSCRIPTIONS_WRITE), HttpMethod.POST,
				"/subscriptions/" + this.subscription + "/" + action, null);

		assertForbidden(refused, ApiScopes.SUBSCRIPTIONS_ADMIN);
		assertThat(read()).containsEntry("status", "active");
		assertThat(call(as(ApiScopes.SUBSCRIPTIONS_ADMIN), HttpMethod.POST,
				"/subscriptions/" + this.subscription + "/" + action, null)
			.getStatus()
			.value()).isEqualTo(200);
	}

	@Test
	void refusesACancellationWithOnlyTheAdminScopeNamingTheWriteScope() {
		EntityExchangeResult<Map<String, Object>> refused = call(as(ApiScopes.SUBSCRIPTIONS_ADMIN), HttpMethod.POST,
				"/subscriptions/" + this.subscription + "/cancel", null);

		assertForbidden(refused, ApiScopes.SUBSCRIPTIONS_WRITE);
		assertThat(read()).containsEntry("cancelAtPeriodEnd", false);
	}

	@Test
	void refusesAChangeWithTheReadScopeAndLetsTheWriteScopeRead() {
		EntityExchangeResult<Map<String, Object>> refused = call(as(ApiScopes.SUBSCRIPTIONS_READ), HttpMethod.POST,
				"/subscriptions/" + this.subscription + "/pause", null);

		assertForbidden(refused, ApiScopes.SUBSCRIPTIONS_WRITE);
		assertThat(ApiResponses.list(as(ApiScopes.SUBSCRIPTIONS_WRITE),
				"/subscriptions/" + this.subscription + "/invoices"))
			.isEmpty();
	}

	@Test
	void refusesATokenWithTheScopesOfOtherServicesNamingTheScopeNeeded() {
		EntityExchangeResult<Map<String, Object>> refused = call(
				as(ApiScopes.CUSTOMERS_WRITE, ApiScopes.BENEFITS_WRITE, ApiScopes.CUSTOMERS_READ_DELETED),
				HttpMethod.GET, "/subscriptions/" + this.subscription, null);

		assertForbidden(refused, ApiScopes.SUBSCRIPTIONS_READ);
	}

	@Test
	void answersTheActuatorOnTheManagementPortWithoutATokenAndOnlyTheProbesOnTheApiPort() {
		RestTestClient management = ManagementClient.of(this.managementPort);

		assertThat(management.get().uri("/actuator/health").exchange().returnResult(String.class).getStatus().value())
			.isEqualTo(200);
		assertThat(
				management.get().uri("/actuator/prometheus").exchange().returnResult(String.class).getStatus().value())
			.isEqualTo(200);
		assertThat(this.server.get().uri("/livez").exchange().returnResult(String.class).getStatus().value())
			.isEqualTo(200);
		assertThat(this.server.get().uri("/readyz").exchange().returnResult(String.class).getStatus().value())
			.isEqualTo(200);
		EntityExchangeResult<String> onTheApiPort = as(ApiScopes.ALL_SCOPES.toArray(String[]::new)).get()
			.uri("/actuator/prometheus")
			.exchange()
			.returnResult(String.class);
		assertThat(onTheApiPort.getStatus().value()).as("the actuator on the API's port, even with every scope")
			.isIn(403, 404);
		assertThat(onTheApiPort.getResponseBody()).doesNotContain("subscriptions_ended_total");
	}

	private static void assertForbidden(EntityExchangeResult<Map<String, Object>> refused, String scope) {
		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("error=\"insufficient_scope\"")
			.contains("scope=\"" + scope + "\"");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody()).containsEntry("scope", scope);
	}

	private Map<String, Object> read() {
		return call(as(ApiScopes.SUBSCRIPTIONS_READ), HttpMethod.GET, "/subscriptions/" + this.subscription, null)
			.getResponseBody();
	}

	private RestTestClient as(String... scopes) {
		return TestTokens.authorized(this.server, ORGANIZATION, scopes);
	}

}
