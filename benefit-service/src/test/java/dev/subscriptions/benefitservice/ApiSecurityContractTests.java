package dev.subscriptions.benefitservice;

import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.OpenApiSecurityContract;
import dev.subscriptions.web.test.OpenApiSecurityContract.Fixture;
import dev.subscriptions.web.test.TestTokens;

/**
 * Every operation of benefit-service's OpenAPI document is guarded as it declares: no
 * token 401, a token without its scope 403, a token of another organization finds nothing
 * of the owner's (404, or a list without the owner's records), the right token gets
 * through. The owner's benefits and product mapping are made through the API, its grant
 * from a {@code SubscriptionCreated} event.
 */
@BenefitServiceIntegrationTest
class ApiSecurityContractTests {

	@Autowired
	RestTestClient client;

	@Autowired
	EventTopics topics;

	private final UUID owner = UUID.randomUUID();

	private final UUID stranger = UUID.randomUUID();

	@TestFactory
	Stream<DynamicNode> everyOperationIsGuarded() {
		RestTestClient owners = TestTokens.authorized(this.client, this.owner, ApiScopes.BENEFITS_WRITE);
		String benefit = create(owners, "reports");
		String deletable = create(owners, "deletable");
		UUID product = UUID.randomUUID();
		owners.put()
			.uri("/products/" + product + "/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("benefitIds", List.of(benefit)))
			.exchangeSuccessfully();
		SubscriptionFixture subscription = SubscriptionFixture.of(this.owner, UUID.randomUUID(), product);
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, subscription.subscriptionId(), subscription.created().build());
		String customer = subscription.customerId().toString();
		String grant = await().atMost(Duration.ofSeconds(20))
			.until(() -> list(owners, "/grants?customerId=" + customer), (grants) -> grants.size() == 1)
			.get(0)
			.get("id")
			.toString();

		return OpenApiSecurityContract.of(this.client)
			.fixture("POST /benefits",
					Fixture.none().body(Map.of("type", "custom", "key", "created")).foreignAnswers(201))
			.fixture("GET /benefits", Fixture.none().foreignListWithout(benefit))
			.fixture("GET /benefits/{id}", Fixture.of(Map.of("id", benefit)).foreignAnswers(404))
			.fixture("PATCH /benefits/{id}",
					Fixture.of(Map.of("id", benefit)).body(Map.of("description", "changed")).foreignAnswers(404))
			.fixture("DELETE /benefits/{id}", Fixture.of(Map.of("id", deletable)).foreignAnswers(404))
			.fixture("PUT /products/{productId}/benefits",
					Fixture.of(Map.of("productId", product.toString()))
						.body(Map.of("benefitIds", List.of(benefit)))
						.foreignAnswers(404))
			.fixture("GET /products/{productId}/benefits",
					Fixture.of(Map.of("productId", product.toString())).foreignListWithout(benefit))
			.fixture("GET /customers/{customerId}/entitlements",
					Fixture.of(Map.of("customerId", customer)).foreignListWithout(benefit))
			.fixture("GET /grants", Fixture.none().query("customerId", customer).foreignListWithout(grant))
			.tests(this.owner, this.stranger);
	}

	private static String create(RestTestClient client, String key) {
		EntityExchangeResult<Map<String, Object>> created = call(client, HttpMethod.POST, "/benefits",
				Map.of("type", "feature_flag", "key", key));
		assertThat(created.getStatus().value()).as("%s", created.getResponseBody()).isEqualTo(201);
		return (String) created.getResponseBody().get("id");
	}

}
