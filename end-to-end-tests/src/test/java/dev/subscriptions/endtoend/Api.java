package dev.subscriptions.endtoend;

import static dev.subscriptions.web.test.ApiResponses.JSON;
import static dev.subscriptions.web.test.ApiResponses.body;
import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.list;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.InterceptingClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.client.ResourceAccessException;

/**
 * The platform as an API client of one organization sees it: REST calls to the three
 * services, each with a bearer token of the {@link AuthorizationServer} for that
 * organization ({@link AuthorizationServer#API_SCOPES}), nothing else. The one HTTP
 * client of the end-to-end tests ({@link RestTestClient} bound to the running servers).
 */
public final class Api {

	private final UUID organization;

	private final RestTestClient customers;

	private final @Nullable RestTestClient customersManagement;

	private final @Nullable RestTestClient subscriptions;

	private final @Nullable RestTestClient benefits;

	/** The three services of the {@link Platform}, as a client of the organization. */
	public Api(UUID organization) {
		this(organization, Platform.customers.baseUrl(), Platform.customers.managementUrl(),
				Platform.subscriptions.baseUrl(), Platform.benefits.baseUrl());
	}

	private Api(UUID organization, String customers, @Nullable String customersManagement,
			@Nullable String subscriptions, @Nullable String benefits) {
		this.organization = organization;
		this.customers = client(customers, organization);
		this.customersManagement = (customersManagement != null) ? client(customersManagement, organization) : null;
		this.subscriptions = (subscriptions != null) ? client(subscriptions, organization) : null;
		this.benefits = (benefits != null) ? client(benefits, organization) : null;
	}

	/**
	 * A customer-service of a test's own, alone, as a client of the organization: only
	 * the customer calls work.
	 */
	static Api customerService(String baseUrl, UUID organization) {
		return new Api(organization, baseUrl, null, null, null);
	}

	public String createCustomer(String email) {
		return id(this.customers.post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(newCustomer(email))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult());
	}

	/**
	 * Tries to create a customer, for a test that stops the service meanwhile.
	 * @return the customer's id if it was created; empty if the service refused it or the
	 * connection failed, so that the client does not know the outcome
	 */
	Optional<String> tryCreateCustomer(String email) {
		try {
			EntityExchangeResult<Map<String, Object>> created = this.customers.post()
				.uri("/customers")
				.contentType(MediaType.APPLICATION_JSON)
				.body(newCustomer(email))
				.exchange()
				.returnResult(JSON);
			return (created.getStatus().value() == 201) ? Optional.of(id(created)) : Optional.empty();
		}
		catch (ResourceAccessException ex) {
			return Optional.empty();
		}
	}

	public void deleteCustomer(String customer) {
		this.customers.delete().uri("/customers/{id}", customer).exchange().expectStatus().isNoContent();
	}

	public Map<String, Object> receipt(String customer) {
		return body(call(this.customers, HttpMethod.GET, "/customers/" + customer + "/deletion", null));
	}

	public String createBenefit(String key) {
		return id(benefits().post()
			.uri("/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("type", "feature_flag", "key", key))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult());
	}

	public void mapProduct(UUID product, List<String> benefitIds) {
		benefits().put()
			.uri("/products/{id}/benefits", product)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("benefitIds", benefitIds))
			.exchange()
			.expectStatus()
			.isOk();
	}

	/**
	 * Subscribes once subscription-service knows the customer (it learns it from
	 * customer.events).
	 */
	public String subscribe(String customer, UUID product) {
		Map<String, Object> body = Map.of("customerId", customer, "productId", product.toString(), "amount", 1999,
				"currency", "EUR");
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
			EntityExchangeResult<Map<String, Object>> response = call(subscriptions(), HttpMethod.POST,
					"/subscriptions", body);
			return (response.getStatus().value() == 201) ? id(response) : null;
		}, Objects::nonNull);
	}

	/** {@code POST /subscriptions/{id}/<action>}, whatever the answer. */
	EntityExchangeResult<Map<String, Object>> subscriptionAction(String subscription, String action,
			@Nullable Object body) {
		return call(subscriptions(), HttpMethod.POST, "/subscriptions/" + subscription + "/" + action, body);
	}

	/**
	 * Delivers a webhook to subscription-service's {@code POST /webhooks/lemon-squeezy}
	 * as Lemon Squeezy does: the body's bytes as they are, its event name in
	 * {@code X-Event-Name} and its signature in {@code X-Signature}.
	 * @return the answer's status
	 */
	int deliver(LemonSqueezySubscription.Webhook webhook) {
		return subscriptions().post()
			.uri("/webhooks/lemon-squeezy")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Event-Name", webhook.eventName())
			.header("X-Signature", webhook.signature())
			.body(webhook.body())
			.exchange()
			.returnResult(byte[].class)
			.getStatus()
			.value();
	}

	List<Map<String, Object>> subscriptionsOf(String customer) {
		return list(subscriptions(), "/subscriptions?customerId=" + customer);
	}

	List<Map<String, Object>> invoicesOf(String subscription) {
		return list(subscriptions(), "/subscriptions/" + subscription + "/invoices");
	}

	/** The keys of what the customer may use now, sorted. */
	public List<String> entitlementKeys(String customer) {
		return list(benefits(), "/customers/" + customer + "/entitlements").stream()
			.map(entitlement -> (String) entitlement.get("key"))
			.sorted()
			.toList();
	}

	List<Map<String, Object>> grantsOf(String customer) {
		return list(benefits(), "/grants?customerId=" + customer);
	}

	/** {@code GET path} of customer-service, whatever the answer. */
	EntityExchangeResult<Map<String, Object>> getFromCustomers(String path) {
		return call(this.customers, HttpMethod.GET, path, null);
	}

	/** {@code GET path} of subscription-service, whatever the answer. */
	EntityExchangeResult<Map<String, Object>> getFromSubscriptions(String path) {
		return call(subscriptions(), HttpMethod.GET, path, null);
	}

	/** {@code GET path} of benefit-service, whatever the answer. */
	EntityExchangeResult<Map<String, Object>> getFromBenefits(String path) {
		return call(benefits(), HttpMethod.GET, path, null);
	}

	/**
	 * customer-service's actuator endpoint of parked outbox rows, on its management port:
	 * {@code GET} (open), {@code POST} (requeue) and {@code DELETE} (which need
	 * {@code management:write}).
	 */
	Map<String, Object> parkedOutbox(HttpMethod method, String query, @Nullable Object body) {
		RestTestClient management = Objects.requireNonNull(this.customersManagement,
				"this Api has no customer-service management port");
		return body(call(management, method, "/actuator/outbox" + query, body));
	}

	private RestTestClient subscriptions() {
		return Objects.requireNonNull(this.subscriptions, "this Api has no subscription-service");
	}

	private RestTestClient benefits() {
		return Objects.requireNonNull(this.benefits, "this Api has no benefit-service");
	}

	/**
	 * A client whose every request carries a token of the organization, taken anew for
	 * each request (the authorization server's tokens expire; a fresh one is minted
	 * shortly before).
	 */
	private static RestTestClient client(String baseUrl, UUID organization) {
		ClientHttpRequestInterceptor bearer = (request, body, execution) -> {
			request.getHeaders()
				.set(HttpHeaders.AUTHORIZATION,
						"Bearer " + AuthorizationServer.token(organization, AuthorizationServer.API_SCOPES));
			return execution.execute(request, body);
		};
		return RestTestClient.bindToServer(new InterceptingClientHttpRequestFactory(requests(), List.of(bearer)))
			.baseUrl(baseUrl)
			.build();
	}

	private static JdkClientHttpRequestFactory requests() {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
		requests.setReadTimeout(Duration.ofSeconds(30));
		return requests;
	}

	private static Map<String, Object> newCustomer(String email) {
		return Map.of("email", email, "name", "Customer " + email);
	}

	private static String id(EntityExchangeResult<Map<String, Object>> response) {
		return (String) body(response).get("id");
	}

}
