package dev.subscriptions.benefitservice.grant;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.JSON_LIST;
import static dev.subscriptions.web.test.ApiResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.TestTokens;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;

/**
 * Entitlements follow subscription and customer events, built by the schemas fixtures and
 * written to real Kafka.
 */
@BenefitServiceIntegrationTest
class EntitlementsIntegrationTests {

	private static final String DEAD_LETTERS = "subscription.events.benefit-service.DLT";

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Autowired
	EventTopics topics;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	private List<String> benefitKeys;

	private RestTestClient client;

	@BeforeEach
	void mapProductToThreeBenefits(@Autowired RestTestClient client) {
		this.client = TestTokens.authorized(client, this.organization, "benefits:write");
		List<String> ids = new ArrayList<>();
		this.benefitKeys = List.of("premium", "license", "discord");
		for (String key : this.benefitKeys) {
			ids.add(id(createBenefit(key, key.equals("discord") ? "discord" : "feature_flag")));
		}
		List<Map<String, Object>> mapped = this.client.put()
			.uri("/products/" + this.product + "/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("benefitIds", ids))
			.exchangeSuccessfully()
			.returnResult(JSON_LIST)
			.getResponseBody();
		assertThat(mapped).hasSize(3);
	}

	@Test
	void followsCreatedPausedResumedAndFreePause() {
		SubscriptionFixture sub = subscription(UUID.randomUUID());

		send(sub, sub.created().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);

		send(sub, sub.paused().build());
		awaitEntitlementKeys(sub.customerId(), List.of());
		assertThat(grants("subscriptionId=" + sub.subscriptionId())).extracting(grant -> grant.get("state"))
			.containsOnly("suspended");

		send(sub, sub.resumed().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);

		SubscriptionPaused freePause = sub.paused().setMode("free").build();
		send(sub, freePause);
		awaitApplied(sub, freePause.getSequence(), SubscriptionChange.PAUSED_FREE);
		assertThat(entitlementKeys(sub.customerId())).containsExactlyInAnyOrderElementsOf(this.benefitKeys);
		assertThat(grants("subscriptionId=" + sub.subscriptionId())).extracting(grant -> grant.get("state"))
			.containsExactly("active", "active", "active");

		SubscriptionPastDue pastDue = sub.pastDue().build();
		send(sub, pastDue);
		awaitApplied(sub, pastDue.getSequence(), SubscriptionChange.PAST_DUE);
		assertThat(entitlementKeys(sub.customerId())).containsExactlyInAnyOrderElementsOf(this.benefitKeys);
		assertThat(grants("subscriptionId=" + sub.subscriptionId())).hasSize(3);
	}

	@Test
	void suspendsAccessOfASubscriptionPastDueWithTheGraceOverAtOnceUntilItIsPaid() {
		SubscriptionFixture sub = subscription(UUID.randomUUID());
		send(sub, sub.created().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);

		send(sub, sub.pastDue().setGraceOver(true).build());
		awaitEntitlementKeys(sub.customerId(), List.of());
		assertThat(grants("subscriptionId=" + sub.subscriptionId())).extracting(grant -> grant.get("state"))
			.containsExactly("suspended", "suspended", "suspended");

		SubscriptionCanceled canceled = sub.canceled().build();
		send(sub, canceled);
		awaitApplied(sub, canceled.getSequence(), SubscriptionChange.CANCELED_AT_PERIOD_END);
		assertThat(entitlementKeys(sub.customerId())).isEmpty();

		send(sub, sub.activated().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);
	}

	@Test
	void keepsAccessThroughACancellationAtPeriodEndAndItsWithdrawal() {
		SubscriptionFixture sub = subscription(UUID.randomUUID());
		send(sub, sub.created().build());
		send(sub, sub.canceled().build());
		send(sub, sub.uncanceled().build());
		send(sub, sub.paused().build());
		awaitEntitlementKeys(sub.customerId(), List.of());

		send(sub, sub.resumed().build());
		send(sub, sub.activated().build());

		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);
		assertThat(grants("subscriptionId=" + sub.subscriptionId() + "&state=ACTIVE")).hasSize(3);
	}

	@Test
	void keepsAccessUntilAnEndedSubscriptionRevokesIt() {
		SubscriptionFixture sub = subscription(UUID.randomUUID());
		send(sub, sub.created().build());
		send(sub, sub.canceled().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);

		send(sub, sub.ended().setReason("expired").build());

		awaitEntitlementKeys(sub.customerId(), List.of());
		assertThat(grants("subscriptionId=" + sub.subscriptionId())).extracting(grant -> grant.get("revocationReason"))
			.containsOnly("subscription_ended");
	}

	@Test
	void revokesEverythingOfADeletedCustomerAndGrantsNothingLater() {
		CustomerFixture customer = CustomerFixture.of(this.organization, UUID.randomUUID());
		this.topics.send(Topic.CUSTOMER_EVENTS, customer.customerId(), customer.created().build());
		SubscriptionFixture first = subscription(customer.customerId());
		SubscriptionFixture second = subscription(customer.customerId());
		send(first, first.created().build());
		send(second, second.created().build());
		await().atMost(Duration.ofSeconds(20)).until(() -> entitlementKeys(customer.customerId()).size() == 6);
		SpecificRecord laterPause = first.paused().build();
		SpecificRecord lateResume = first.resumed().build();

		this.topics.send(Topic.CUSTOMER_EVENTS, customer.customerId(), customer.deleted().build());
		awaitEntitlementKeys(customer.customerId(), List.of());
		assertThat(grants("customerId=" + customer.customerId())).hasSize(6)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "revoked")
				.containsEntry("revocationReason", "customer_deleted"));

		SubscriptionFixture late = subscription(customer.customerId());
		send(late, late.created().build());
		send(first, laterPause);
		send(first, lateResume);
		awaitHandled(late, first);
		assertThat(entitlementKeys(customer.customerId())).isEmpty();
		assertThat(grants("customerId=" + customer.customerId()))
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "revoked"));

		CustomerRevocationCompleted report = revocationReport(customer.customerId());
		assertThat(report.getService()).isEqualTo("benefit");
		assertThat(report.getRevokedCount()).isEqualTo(6);
	}

	@Test
	void endsInTheSameStateWhateverTheOrderAndRepetitionOfEvents() {
		for (long seed = 1; seed <= 3; seed++) {
			for (boolean endPaused : List.of(false, true)) {
				SubscriptionFixture ordered = subscription(UUID.randomUUID());
				SubscriptionFixture shuffled = subscription(UUID.randomUUID());
				List<SpecificRecord> orderedEvents = lifecycle(ordered, endPaused);
				List<SpecificRecord> shuffledEvents = new ArrayList<>(lifecycle(shuffled, endPaused));
				shuffledEvents.addAll(shuffledEvents.subList(0, 3));
				Collections.shuffle(shuffledEvents, new Random(seed));

				orderedEvents.forEach(event -> send(ordered, event));
				shuffledEvents.forEach(event -> send(shuffled, event));
				awaitHandled(ordered, shuffled);

				assertThat(entitlementKeys(shuffled.customerId())).isEqualTo(entitlementKeys(ordered.customerId()))
					.hasSize(endPaused ? 0 : 3);
				assertThat(grantStates(shuffled)).isEqualTo(grantStates(ordered)).hasSize(3);
			}
		}
	}

	@Test
	void revokesTheGrantsOfADeletedBenefitAndFreesItsKey() {
		SubscriptionFixture sub = subscription(UUID.randomUUID());
		send(sub, sub.created().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);
		String premium = benefitIdOf("premium");

		this.client.delete().uri("/benefits/" + premium).exchange().expectStatus().isNoContent();

		assertThat(entitlementKeys(sub.customerId())).containsExactlyInAnyOrder("license", "discord");
		assertThat(grants("subscriptionId=" + sub.subscriptionId() + "&state=active")).hasSize(2);
		assertThat(grants("subscriptionId=" + sub.subscriptionId() + "&state=revoked")).singleElement()
			.satisfies(grant -> assertThat(grant).containsEntry("benefitId", premium)
				.containsEntry("revocationReason", "benefit_deleted"));
		assertThat(createBenefit("premium", "feature_flag").getStatus().value()).isEqualTo(201);
		EntityExchangeResult<Map<String, Object>> duplicate = createBenefit("premium", "feature_flag");
		assertThat(duplicate.getStatus().value()).isEqualTo(409);
		assertThat(duplicate.getResponseBody()).containsEntry("field", "key");
	}

	@Test
	void sendsAPoisonRecordToItsDeadLetterTopicAndGoesOn() {
		String key = UUID.randomUUID().toString();

		this.topics.sendBytes(Topic.SUBSCRIPTION_EVENTS.topicName(), key, "garbage".getBytes(StandardCharsets.UTF_8));
		SubscriptionFixture next = markerBehind(key);

		awaitEntitlementKeys(next.customerId(), this.benefitKeys);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> TopicContents.read(this.bootstrapServers, DEAD_LETTERS)
				.stream()
				.anyMatch(record -> key.equals(record.key())));
	}

	@Test
	void namesTheFieldOfEveryBadRequest() {
		assertThat(errors(HttpMethod.GET, "/grants?customerId=" + UUID.randomUUID() + "&state=zombie", null))
			.containsExactly(Map.of("field", "state", "message",
					"Unknown grant state zombie; one of [active, suspended, revoked]"));
		assertThat(errors(HttpMethod.GET, "/grants", null)).extracting(error -> error.get("field"))
			.containsExactly("customerId", "subscriptionId");
		assertThat(errors(HttpMethod.POST, "/benefits", "{\"type\": \"gold\", \"key\": \"k\"}")).singleElement()
			.satisfies(error -> assertThat(error).containsEntry("field", "type")
				.containsEntry("message", "Unknown benefit type gold; one of [custom, feature_flag, license_key, "
						+ "downloadables, discord]"));
		assertThat(errors(HttpMethod.GET, "/customers/not-a-uuid/entitlements", null))
			.extracting(error -> error.get("field"))
			.containsExactly("customerId");
	}

	@Test
	void bindsBenefitTypeAndGrantStateInAnyCase() {
		assertThat(createBenefit("upper", "FEATURE_FLAG").getResponseBody()).containsEntry("type", "feature_flag");
		SubscriptionFixture sub = subscription(UUID.randomUUID());
		send(sub, sub.created().build());
		awaitEntitlementKeys(sub.customerId(), this.benefitKeys);

		assertThat(grants("subscriptionId=" + sub.subscriptionId() + "&state=Active")).hasSize(3);
		assertThat(grants("subscriptionId=" + sub.subscriptionId() + "&state=REVOKED")).isEmpty();
	}

	@Test
	void skipsAndCountsARecordOfATypeItHasNoHandlerFor() {
		String key = UUID.randomUUID().toString();
		double before = unhandledCount();

		this.topics.send(Topic.SUBSCRIPTION_EVENTS, key, CustomerFixture.random().deleted().build());
		awaitEntitlementKeys(markerBehind(key).customerId(), this.benefitKeys);

		assertThat(unhandledCount()).isEqualTo(before + 1);
		assertThat(TopicContents.read(this.bootstrapServers, DEAD_LETTERS))
			.noneMatch(record -> key.equals(record.key()));
	}

	@Test
	void answersBadInputWithBadRequestProblems(@Autowired RestTestClient client) {
		assertThat(status(HttpMethod.GET, "/customers/not-a-uuid/entitlements", null)).isEqualTo(400);
		assertThat(status(HttpMethod.GET, "/grants", null)).isEqualTo(400);
		assertThat(status(HttpMethod.GET, "/grants?customerId=" + UUID.randomUUID() + "&state=zombie", null))
			.isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/benefits", "{\"type\": \"gold\", \"key\": \"k\"}")).isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/benefits", "{\"type\": ")).isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/benefits", "{\"type\": \"custom\", \"key\": \"nul\\u0000key\"}"))
			.isEqualTo(400);
		assertThat(status(HttpMethod.PUT, "/products/" + this.product + "/benefits", "{\"benefitIds\": [\"x\"]}"))
			.isEqualTo(400);
		assertThat(status(HttpMethod.PUT, "/products/" + this.product + "/benefits",
				"{\"benefitIds\": [\"" + UUID.randomUUID() + "\"]}"))
			.isEqualTo(404);
		String ours = benefitIdOf("premium");
		String theirs = id(TestTokens.authorized(client, UUID.randomUUID(), "benefits:write")
			.post()
			.uri("/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("type", "custom", "key", "theirs"))
			.exchange()
			.returnResult(JSON));
		assertThat(status(HttpMethod.PUT, "/products/" + this.product + "/benefits",
				"{\"benefitIds\": [\"" + ours + "\", \"" + theirs + "\"]}"))
			.isEqualTo(404);
		assertThat(benefitKeysById()).hasSize(3);
	}

	/**
	 * created, paused (void), resumed, past due, activated, paused (void), resumed, then
	 * canceled at period end or paused (void).
	 */
	private List<SpecificRecord> lifecycle(SubscriptionFixture sub, boolean endPaused) {
		return List.of(sub.created().build(), sub.paused().build(), sub.resumed().build(), sub.pastDue().build(),
				sub.activated().build(), sub.paused().build(), sub.resumed().build(),
				endPaused ? sub.paused().build() : sub.canceled().build());
	}

	private SubscriptionFixture subscription(UUID customer) {
		return SubscriptionFixture.of(this.organization, customer, this.product);
	}

	private void send(SubscriptionFixture sub, SpecificRecord event) {
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId(), event);
	}

	private Map<String, String> grantStates(SubscriptionFixture sub) {
		Map<String, String> keysById = benefitKeysById();
		return grants("subscriptionId=" + sub.subscriptionId()).stream()
			.collect(Collectors.toMap(grant -> keysById.get((String) grant.get("benefitId")) + "/" + grant.get("state"),
					grant -> (String) grant.get("state"), (a, b) -> a + "," + b));
	}

	private Map<String, String> benefitKeysById() {
		return this.client.get()
			.uri("/products/" + this.product + "/benefits")
			.exchangeSuccessfully()
			.returnResult(JSON_LIST)
			.getResponseBody()
			.stream()
			.collect(Collectors.toMap(benefit -> (String) benefit.get("id"), benefit -> (String) benefit.get("key")));
	}

	private String benefitIdOf(String key) {
		return benefitKeysById().entrySet()
			.stream()
			.filter(entry -> entry.getValue().equals(key))
			.findFirst()
			.orElseThrow()
			.getKey();
	}

	/**
	 * Waits until every event sent so far for these subscriptions has been handled,
	 * whether it changed anything or not: see {@link #markerBehind}.
	 */
	private void awaitHandled(SubscriptionFixture... subs) {
		List<SubscriptionFixture> markers = new ArrayList<>();
		for (SubscriptionFixture sub : subs) {
			markers.add(markerBehind(sub.subscriptionId().toString()));
		}
		markers.forEach(marker -> awaitEntitlementKeys(marker.customerId(), this.benefitKeys));
	}

	/**
	 * The creation of a new subscription, sent with {@code key}: it lands on the
	 * partition of the records sent with that key, behind them, so once it is granted
	 * they have been handled.
	 */
	private SubscriptionFixture markerBehind(String key) {
		SubscriptionFixture marker = subscription(UUID.randomUUID());
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, key, marker.created().build());
		return marker;
	}

	/**
	 * Waits until the subscription's event of this sequence, standing for this change,
	 * has been applied.
	 */
	private void awaitApplied(SubscriptionFixture sub, long sequence, SubscriptionChange change) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc
				.sql("select last_sequence = ? and last_event = ? from subscription_state where subscription_id = ?")
				.params(sequence, change.name(), sub.subscriptionId())
				.query(Boolean.class)
				.optional()
				.orElse(false));
	}

	private CustomerRevocationCompleted revocationReport(UUID customer) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> this.topics.decoded(Topic.CUSTOMER_REVOCATIONS.topicName())
				.stream()
				.filter(record -> customer.toString().equals(record.key()))
				.map(record -> record.value(CustomerRevocationCompleted.class))
				.findFirst()
				.orElse(null), Objects::nonNull);
	}

	private void awaitEntitlementKeys(UUID customer, List<String> keys) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(entitlementKeys(customer)).containsExactlyInAnyOrderElementsOf(keys));
	}

	private List<String> entitlementKeys(UUID customer) {
		return this.client.get()
			.uri("/customers/" + customer + "/entitlements")
			.exchangeSuccessfully()
			.returnResult(JSON_LIST)
			.getResponseBody()
			.stream()
			.map(entitlement -> (String) entitlement.get("key"))
			.sorted()
			.toList();
	}

	private List<Map<String, Object>> grants(String query) {
		return this.client.get()
			.uri("/grants?" + query)
			.exchangeSuccessfully()
			.returnResult(JSON_LIST)
			.getResponseBody();
	}

	private EntityExchangeResult<Map<String, Object>> createBenefit(String key, String type) {
		return this.client.post()
			.uri("/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("type", type, "key", key, "description", "The " + key + " benefit", "properties",
					Map.of("tier", "gold")))
			.exchange()
			.returnResult(JSON);
	}

	private int status(HttpMethod method, String path, @Nullable String body) {
		return call(this.client, method, path, body).getStatus().value();
	}

	private List<Map<String, Object>> errors(HttpMethod method, String path, @Nullable String body) {
		return ApiResponses.errors(call(this.client, method, path, body));
	}

	private double unhandledCount() {
		Counter counter = this.meters.find(UnhandledRecords.METER)
			.tags("group", "benefit-service", "topic", Topic.SUBSCRIPTION_EVENTS.topicName(), "type",
					CustomerDeleted.getClassSchema().getFullName())
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String id(EntityExchangeResult<Map<String, Object>> response) {
		assertThat(response.getStatus().value()).isEqualTo(201);
		return (String) response.getResponseBody().get("id");
	}

}
