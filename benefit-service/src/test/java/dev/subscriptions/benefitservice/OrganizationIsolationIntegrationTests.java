package dev.subscriptions.benefitservice;

import static dev.subscriptions.web.test.ApiResponses.JSON;
import static dev.subscriptions.web.test.ApiResponses.JSON_LIST;
import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;
import dev.subscriptions.web.test.ForgedTokens;
import dev.subscriptions.web.test.ForgedTokens.ForgedToken;
import dev.subscriptions.web.test.TestTokens;

/**
 * A token acts for one organization: another organization's benefits are not found (404),
 * its product mappings are neither seen nor replaced, its customers have no entitlements
 * nor grants (an empty list), and a body cannot name another organization (403). A forged
 * token is refused (401).
 */
@BenefitServiceIntegrationTest
class OrganizationIsolationIntegrationTests {

	private static final UUID OWNER = UUID.randomUUID();

	@Autowired
	EventTopics topics;

	@Autowired
	RestTestClient anonymous;

	private final UUID stranger = UUID.randomUUID();

	private RestTestClient owners;

	private RestTestClient strangers;

	private String benefit;

	@BeforeEach
	void benefitOfTheOwner() {
		this.owners = TestTokens.authorized(this.anonymous, OWNER, "benefits:write");
		this.strangers = TestTokens.authorized(this.anonymous, this.stranger, "benefits:write");
		this.benefit = create(this.owners, "reports-" + UUID.randomUUID());
	}

	@Test
	void doesNotFindABenefitOfAnotherOrganizationToReadChangeOrDelete() {
		String path = "/benefits/" + this.benefit;

		assertThat(status(this.strangers, HttpMethod.GET, path, null)).isEqualTo(404);
		assertThat(status(this.strangers, HttpMethod.PATCH, path, Map.of("description", "theirs now"))).isEqualTo(404);
		assertThat(status(this.strangers, HttpMethod.DELETE, path, null)).isEqualTo(404);

		EntityExchangeResult<Map<String, Object>> owned = call(this.owners, HttpMethod.GET, path, null);
		assertThat(owned.getStatus().value()).isEqualTo(200);
		assertThat(owned.getResponseBody()).containsEntry("organizationId", OWNER.toString())
			.containsEntry("description", "As created");
		assertThat(list(this.owners, "/benefits")).extracting(benefit -> benefit.get("id")).contains(this.benefit);
	}

	@Test
	void listsTheBenefitsOfTheCallersOrganizationOnly() {
		String key = "shared-key-" + UUID.randomUUID();
		String owned = create(this.owners, key);
		String theirs = create(this.strangers, key);

		assertThat(list(this.owners, "/benefits")).extracting(benefit -> benefit.get("id"))
			.contains(this.benefit, owned)
			.doesNotContain(theirs);
		assertThat(list(this.strangers, "/benefits")).extracting(benefit -> benefit.get("id")).containsExactly(theirs);
	}

	@Test
	void keepsTheProductMappingOfAnOrganizationWhenAnotherMapsTheSameProductId() {
		String product = "/products/" + UUID.randomUUID() + "/benefits";
		String theirs = create(this.strangers, "reports");
		assertThat(mapped(this.owners, product, this.benefit)).containsExactly(this.benefit);

		assertThat(mapped(this.strangers, product, theirs)).containsExactly(theirs);
		assertThat(ids(list(this.owners, product))).containsExactly(this.benefit);
		assertThat(ids(list(this.strangers, product))).containsExactly(theirs);

		assertThat(mapped(this.strangers, product)).isEmpty();
		assertThat(ids(list(this.owners, product))).containsExactly(this.benefit);
	}

	@Test
	void doesNotFindABenefitOfAnotherOrganizationToMapAndKeepsTheMapping() {
		String product = "/products/" + UUID.randomUUID() + "/benefits";
		String theirs = create(this.strangers, "reports");
		mapped(this.strangers, product, theirs);

		EntityExchangeResult<Map<String, Object>> refused = call(this.strangers, HttpMethod.PUT, product,
				Map.of("benefitIds", List.of(theirs, this.benefit)));

		assertThat(refused.getStatus().value()).isEqualTo(404);
		assertThat(refused.getResponseBody()).containsEntry("title", "Benefit not found");
		assertThat(ids(list(this.strangers, product))).containsExactly(theirs);
		assertThat(ids(list(this.owners, product))).isEmpty();
	}

	@Test
	void showsNoEntitlementsNorGrantsOfACustomerOfAnotherOrganization() {
		UUID product = UUID.randomUUID();
		mapped(this.owners, "/products/" + product + "/benefits", this.benefit);
		SubscriptionFixture subscription = SubscriptionFixture.of(OWNER, UUID.randomUUID(), product);
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, subscription.subscriptionId(), subscription.created().build());
		String entitlements = "/customers/" + subscription.customerId() + "/entitlements";
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(list(this.owners, entitlements)).hasSize(1));

		assertThat(list(this.strangers, entitlements)).isEmpty();
		assertThat(list(this.strangers, "/grants?customerId=" + subscription.customerId())).isEmpty();
		assertThat(list(this.strangers, "/grants?subscriptionId=" + subscription.subscriptionId())).isEmpty();
		assertThat(list(this.owners, "/grants?subscriptionId=" + subscription.subscriptionId())).singleElement()
			.satisfies(grant -> assertThat(grant).containsEntry("benefitId", this.benefit)
				.containsEntry("organizationId", OWNER.toString()));
	}

	@Test
	void refusesABodyThatNamesAnotherOrganizationAndAcceptsOneThatNamesTheCallers() {
		EntityExchangeResult<Map<String, Object>> refused = call(this.owners, HttpMethod.POST, "/benefits",
				Map.of("organizationId", this.stranger.toString(), "type", "custom", "key", "elsewhere"));
		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(list(this.strangers, "/benefits")).isEmpty();

		EntityExchangeResult<Map<String, Object>> created = call(this.owners, HttpMethod.POST, "/benefits",
				Map.of("organizationId", OWNER.toString(), "type", "custom", "key", "here-" + UUID.randomUUID()));
		assertThat(created.getStatus().value()).isEqualTo(201);
		assertThat(created.getResponseBody()).containsEntry("organizationId", OWNER.toString());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forgedTokens")
	void refusesAForgedToken(ForgedToken forged) {
		EntityExchangeResult<Map<String, Object>> refused = this.anonymous.get()
			.uri("/benefits/" + this.benefit)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + forged.token())
			.exchange()
			.returnResult(JSON);

		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	static List<ForgedToken> forgedTokens() {
		return ForgedTokens.all(OWNER, "benefits:read");
	}

	private static String create(RestTestClient client, String key) {
		EntityExchangeResult<Map<String, Object>> created = call(client, HttpMethod.POST, "/benefits",
				Map.of("type", "feature_flag", "key", key, "description", "As created"));
		assertThat(created.getStatus().value()).as("%s", created.getResponseBody()).isEqualTo(201);
		return (String) created.getResponseBody().get("id");
	}

	/** The ids {@code PUT product benefitIds} answers, which must be 200. */
	private static List<Object> mapped(RestTestClient client, String product, String... benefitIds) {
		EntityExchangeResult<List<Map<String, Object>>> mapped = client.put()
			.uri(product)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("benefitIds", List.of(benefitIds)))
			.exchangeSuccessfully()
			.returnResult(JSON_LIST);
		return ids(mapped.getResponseBody());
	}

	private static List<Object> ids(List<Map<String, Object>> benefits) {
		return benefits.stream().map(benefit -> benefit.get("id")).toList();
	}

	private static int status(RestTestClient client, HttpMethod method, String path, @Nullable Object body) {
		return call(client, method, path, body).getStatus().value();
	}

}
