package dev.subscriptions.subscriptionservice.subscription.web;

import static dev.subscriptions.web.test.ApiResponses.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.subscriptionservice.CustomerEventsProducer;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.OpenApiSecurityContract;
import dev.subscriptions.web.test.OpenApiSecurityContract.Fixture;
import dev.subscriptions.web.test.TestTokens;

/**
 * The security contract of every operation of the service's OpenAPI document
 * ({@link OpenApiSecurityContract}): without a token 401, without the scope 403 naming
 * it, another organization's token on the owner's subscription 404 (its customer 422, its
 * lists without the owner's subscriptions), the owner's token neither 401 nor 403; the
 * webhooks open. An operation added without a fixture here fails the test.
 * <p>
 * The owner's customer is known from a {@code CustomerCreated} on customer.events, as
 * customer-service publishes it; its subscriptions are created through the API. Each
 * transition acts on a subscription of its own, so that none depends on another's
 * outcome.
 */
@SubscriptionServiceIntegrationTest
class ApiSecurityContractTests {

	@Autowired
	RestTestClient server;

	@Autowired
	CustomerEventsProducer customerEvents;

	@Autowired
	JdbcTemplate jdbc;

	private final UUID owner = UUID.randomUUID();

	private final UUID stranger = UUID.randomUUID();

	@TestFactory
	Stream<DynamicNode> everyOperationIsGuarded(TestReporter reporter) {
		UUID customer = knownCustomer();
		String subscription = subscribe(customer);
		OpenApiSecurityContract contract = OpenApiSecurityContract.of(this.server)
			.fixture("POST /subscriptions",
					Fixture.none()
						.body(Map.of("customerId", customer.toString(), "productId", UUID.randomUUID().toString(),
								"amount", 1999, "currency", "EUR"))
						.foreignAnswers(422))
			.fixture("GET /subscriptions",
					Fixture.none().query("customerId", customer).foreignListWithout(subscription))
			.fixture("GET /subscriptions/{id}", Fixture.of(Map.of("id", subscription)))
			.fixture("GET /subscriptions/{id}/invoices", Fixture.of(Map.of("id", subscription)))
			.fixture("POST /subscriptions/{id}/cancel",
					Fixture.of(Map.of("id", subscribe(customer))).body(Map.of("reason", "too_expensive")))
			.fixture("POST /subscriptions/{id}/uncancel", Fixture.of(Map.of("id", canceledAtPeriodEnd(customer))))
			.fixture("POST /subscriptions/{id}/pause",
					Fixture.of(Map.of("id", subscribe(customer))).body(Map.of("mode", "free")))
			.fixture("POST /subscriptions/{id}/resume", Fixture.of(Map.of("id", paused(customer))))
			.fixture("POST /subscriptions/{id}/revoke", Fixture.of(Map.of("id", subscribe(customer))))
			.fixture("POST /subscriptions/{id}/payment-failed", Fixture.of(Map.of("id", subscribe(customer))))
			.fixture("POST /subscriptions/{id}/payment-succeeded", Fixture.of(Map.of("id", subscribe(customer))))
			.fixture("POST /webhooks/lemon-squeezy", Fixture.none().body("{}"))
			.fixture("POST /webhooks/stripe", Fixture.none().body("{}"))
			.open("POST /webhooks/lemon-squeezy")
			.open("POST /webhooks/stripe");
		AtomicLong count = new AtomicLong();
		List<DynamicNode> tests = contract.tests(this.owner, this.stranger).map(node -> counted(node, count)).toList();
		reporter.publishEntry("operations", String.valueOf(contract.operations().size()));
		reporter.publishEntry("dynamic tests", String.valueOf(count.get()));
		return tests.stream();
	}

	/**
	 * The node as it is, its tests counted (a container's children are a stream, read
	 * once, so it is rebuilt on the list read).
	 */
	private static DynamicNode counted(DynamicNode node, AtomicLong count) {
		if (node instanceof DynamicContainer container) {
			return DynamicContainer.dynamicContainer(container.getDisplayName(),
					container.getChildren().map(child -> counted(child, count)).toList());
		}
		count.incrementAndGet();
		return node;
	}

	/** A customer of the owner, once the service knows it from customer.events. */
	private UUID knownCustomer() {
		UUID customer = UUID.randomUUID();
		this.customerEvents.created(this.owner, customer);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("select count(*) from customer where id = ?", Integer.class,
					customer) == 1);
		return customer;
	}

	private String subscribe(UUID customer) {
		EntityExchangeResult<Map<String, Object>> created = call(owner(), HttpMethod.POST, "/subscriptions",
				Map.of("customerId", customer.toString(), "productId", UUID.randomUUID().toString(), "amount", 1999,
						"currency", "EUR"));
		assertThat(created.getStatus().value()).isEqualTo(201);
		return (String) created.getResponseBody().get("id");
	}

	private String canceledAtPeriodEnd(UUID customer) {
		return transitioned(subscribe(customer), "cancel");
	}

	private String paused(UUID customer) {
		return transitioned(subscribe(customer), "pause");
	}

	private String transitioned(String subscription, String action) {
		assertThat(call(owner(), HttpMethod.POST, "/subscriptions/" + subscription + "/" + action, null).getStatus()
			.value()).isEqualTo(200);
		return subscription;
	}

	private RestTestClient owner() {
		return TestTokens.authorized(this.server, this.owner, ApiScopes.SUBSCRIPTIONS_WRITE);
	}

}
