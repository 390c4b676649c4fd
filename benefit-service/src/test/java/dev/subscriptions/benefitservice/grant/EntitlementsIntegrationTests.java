package dev.subscriptions.benefitservice.grant;

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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.EventsProducer;
import dev.subscriptions.benefitservice.EventsProducer.Sub;
import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * Entitlements follow subscription and customer events, produced with the schemas module to real Kafka.
 */
@BenefitServiceIntegrationTest
class EntitlementsIntegrationTests {

	private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final String DEAD_LETTERS = "subscription.events.benefit-service.DLT";

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcClient jdbc;

	private final EventsProducer events = new EventsProducer();

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	private List<String> benefitKeys;

	@BeforeEach
	void mapProductToThreeBenefits() {
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
			.returnResult(LIST)
			.getResponseBody();
		assertThat(mapped).hasSize(3);
	}

	@AfterEach
	void close() {
		this.events.close();
	}

	@Test
	void followsCreatedPausedResumedAndFreePause() {
		Sub sub = new Sub(this.organization, UUID.randomUUID(), this.product);

		this.events.sendSubscriptionEvent(sub, this.events.created(sub));
		awaitEntitlementKeys(sub.customer, this.benefitKeys);

		this.events.sendSubscriptionEvent(sub, this.events.paused(sub, "void"));
		awaitEntitlementKeys(sub.customer, List.of());
		assertThat(grants("subscriptionId=" + sub.id)).extracting(grant -> grant.get("state")).containsOnly("suspended");

		this.events.sendSubscriptionEvent(sub, this.events.resumed(sub));
		awaitEntitlementKeys(sub.customer, this.benefitKeys);

		this.events.sendSubscriptionEvent(sub, this.events.paused(sub, "free"));
		awaitApplied(sub, SubscriptionChange.PAUSED_FREE);
		assertThat(entitlementKeys(sub.customer)).containsExactlyInAnyOrderElementsOf(this.benefitKeys);
		assertThat(grants("subscriptionId=" + sub.id)).extracting(grant -> grant.get("state")).containsExactly("active",
				"active", "active");

		this.events.sendSubscriptionEvent(sub, this.events.pastDue(sub));
		awaitApplied(sub, SubscriptionChange.PAST_DUE);
		assertThat(entitlementKeys(sub.customer)).containsExactlyInAnyOrderElementsOf(this.benefitKeys);
		assertThat(grants("subscriptionId=" + sub.id)).hasSize(3);
	}

	@Test
	void keepsAccessUntilAnEndedSubscriptionRevokesIt() {
		Sub sub = new Sub(this.organization, UUID.randomUUID(), this.product);
		this.events.sendSubscriptionEvent(sub, this.events.created(sub));
		this.events.sendSubscriptionEvent(sub, this.events.canceledAtPeriodEnd(sub));
		awaitEntitlementKeys(sub.customer, this.benefitKeys);

		this.events.sendSubscriptionEvent(sub, this.events.ended(sub, "expired"));

		awaitEntitlementKeys(sub.customer, List.of());
		assertThat(grants("subscriptionId=" + sub.id)).extracting(grant -> grant.get("revocationReason"))
			.containsOnly("subscription_ended");
	}

	@Test
	void revokesEverythingOfADeletedCustomerAndGrantsNothingLater() {
		UUID customer = UUID.randomUUID();
		Sub first = new Sub(this.organization, customer, this.product);
		Sub second = new Sub(this.organization, customer, this.product);
		this.events.sendSubscriptionEvent(first, this.events.created(first));
		this.events.sendSubscriptionEvent(second, this.events.created(second));
		await().atMost(Duration.ofSeconds(20)).until(() -> entitlementKeys(customer).size() == 6);
		byte[] laterPause = this.events.paused(first, "void");
		byte[] lateResume = this.events.resumed(first);

		this.events.customerDeleted(this.organization, customer);
		awaitEntitlementKeys(customer, List.of());
		assertThat(grants("customerId=" + customer)).hasSize(6)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "revoked")
				.containsEntry("revocationReason", "customer_deleted"));

		Sub late = new Sub(this.organization, customer, this.product);
		this.events.sendSubscriptionEvent(late, this.events.created(late));
		this.events.sendSubscriptionEvent(first, laterPause);
		this.events.sendSubscriptionEvent(first, lateResume);
		awaitHandled(late, first);
		assertThat(entitlementKeys(customer)).isEmpty();
		assertThat(grants("customerId=" + customer)).allSatisfy(grant -> assertThat(grant).containsEntry("state", "revoked"));

		CustomerRevocationCompleted report = revocationReport(customer);
		assertThat(report.getService()).isEqualTo("benefit");
		assertThat(report.getRevokedCount()).isEqualTo(6);
	}

	@Test
	void endsInTheSameStateWhateverTheOrderAndRepetitionOfEvents() {
		for (long seed = 1; seed <= 3; seed++) {
			for (boolean endPaused : List.of(false, true)) {
				Sub ordered = new Sub(this.organization, UUID.randomUUID(), this.product);
				Sub shuffled = new Sub(this.organization, UUID.randomUUID(), this.product);
				List<byte[]> orderedEvents = lifecycle(ordered, endPaused);
				List<byte[]> shuffledEvents = new ArrayList<>(lifecycle(shuffled, endPaused));
				shuffledEvents.addAll(shuffledEvents.subList(0, 3));
				Collections.shuffle(shuffledEvents, new Random(seed));

				orderedEvents.forEach(event -> this.events.sendSubscriptionEvent(ordered, event));
				shuffledEvents.forEach(event -> this.events.sendSubscriptionEvent(shuffled, event));
				awaitHandled(ordered, shuffled);

				assertThat(entitlementKeys(shuffled.customer)).isEqualTo(entitlementKeys(ordered.customer))
					.hasSize(endPaused ? 0 : 3);
				assertThat(grantStates(shuffled)).isEqualTo(grantStates(ordered)).hasSize(3);
			}
		}
	}

	@Test
	void revokesTheGrantsOfADeletedBenefitAndFreesItsKey() {
		Sub sub = new Sub(this.organization, UUID.randomUUID(), this.product);
		this.events.sendSubscriptionEvent(sub, this.events.created(sub));
		awaitEntitlementKeys(sub.customer, this.benefitKeys);
		String premium = benefitIdOf("premium");

		this.client.delete().uri("/benefits/" + premium).exchange().expectStatus().isNoContent();

		assertThat(entitlementKeys(sub.customer)).containsExactlyInAnyOrder("license", "discord");
		assertThat(grants("subscriptionId=" + sub.id + "&state=active")).hasSize(2);
		assertThat(grants("subscriptionId=" + sub.id + "&state=revoked")).singleElement()
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

		this.events.send("subscription.events", key, "garbage".getBytes(StandardCharsets.UTF_8));
		Sub next = markerBehind(key);

		awaitEntitlementKeys(next.customer, this.benefitKeys);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> TopicContents.read(SharedInfrastructure.kafka().bootstrapServers(), DEAD_LETTERS)
				.stream()
				.anyMatch(record -> key.equals(record.key())));
	}

	@Test
	void answersBadInputWithBadRequestProblems() {
		assertThat(status(HttpMethod.GET, "/customers/not-a-uuid/entitlements", null)).isEqualTo(400);
		assertThat(status(HttpMethod.GET, "/grants", null)).isEqualTo(400);
		assertThat(status(HttpMethod.GET, "/grants?customerId=" + UUID.randomUUID() + "&state=zombie", null))
			.isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/benefits", "{\"organizationId\": \"" + this.organization
				+ "\", \"type\": \"gold\", \"key\": \"k\"}")).isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/benefits", "{\"organizationId\": ")).isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/benefits", "{\"organizationId\": \"" + this.organization
				+ "\", \"type\": \"custom\", \"key\": \"nul\\u0000key\"}")).isEqualTo(400);
		assertThat(status(HttpMethod.PUT, "/products/" + this.product + "/benefits", "{\"benefitIds\": [\"x\"]}"))
			.isEqualTo(400);
		assertThat(status(HttpMethod.PUT, "/products/" + this.product + "/benefits",
				"{\"benefitIds\": [\"" + UUID.randomUUID() + "\"]}")).isEqualTo(404);
		String ours = benefitIdOf("premium");
		String theirs = id(this.client.post()
			.uri("/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("organizationId", UUID.randomUUID().toString(), "type", "custom", "key", "theirs"))
			.exchange()
			.returnResult(JSON));
		assertThat(status(HttpMethod.PUT, "/products/" + this.product + "/benefits",
				"{\"benefitIds\": [\"" + ours + "\", \"" + theirs + "\"]}")).isEqualTo(422);
		assertThat(benefitKeysById()).hasSize(3);
	}

	/**
	 * created, paused (void), resumed, past due, activated, paused (void), resumed, then canceled at period end or
	 * paused (void).
	 */
	private List<byte[]> lifecycle(Sub sub, boolean endPaused) {
		return List.of(this.events.created(sub), this.events.paused(sub, "void"), this.events.resumed(sub),
				this.events.pastDue(sub), this.events.activated(sub), this.events.paused(sub, "void"),
				this.events.resumed(sub),
				endPaused ? this.events.paused(sub, "void") : this.events.canceledAtPeriodEnd(sub));
	}

	private Map<String, String> grantStates(Sub sub) {
		Map<String, String> keysById = benefitKeysById();
		return grants("subscriptionId=" + sub.id).stream()
			.collect(Collectors.toMap(grant -> keysById.get((String) grant.get("benefitId")) + "/" + grant.get("state"),
					grant -> (String) grant.get("state"), (a, b) -> a + "," + b));
	}

	private Map<String, String> benefitKeysById() {
		return this.client.get()
			.uri("/products/" + this.product + "/benefits")
			.exchangeSuccessfully()
			.returnResult(LIST)
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
	 * Waits until every event sent so far for these subscriptions has been handled, whether it changed anything or not:
	 * see {@link #markerBehind}.
	 */
	private void awaitHandled(Sub... subs) {
		List<Sub> markers = new ArrayList<>();
		for (Sub sub : subs) {
			markers.add(markerBehind(sub.id.toString()));
		}
		markers.forEach(marker -> awaitEntitlementKeys(marker.customer, this.benefitKeys));
	}

	/**
	 * The creation of a new subscription, sent with {@code key}: it lands on the partition of the records sent with
	 * that key, behind them, so once it is granted they have been handled.
	 */
	private Sub markerBehind(String key) {
		Sub marker = new Sub(this.organization, UUID.randomUUID(), this.product);
		this.events.send("subscription.events", key, this.events.created(marker));
		return marker;
	}

	/** Waits until the last event built for the subscription, standing for this change, has been applied. */
	private void awaitApplied(Sub sub, SubscriptionChange change) {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.jdbc
			.sql("select last_sequence = ? and last_event = ? from subscription_state where subscription_id = ?")
			.params(sub.sequence(), change.name(), sub.id)
			.query(Boolean.class)
			.optional()
			.orElse(false));
	}

	private CustomerRevocationCompleted revocationReport(UUID customer) {
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
				SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()));
		List<CustomerRevocationCompleted> reports = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (ConsumerRecord<String, byte[]> record : TopicContents
				.read(SharedInfrastructure.kafka().bootstrapServers(), "customer.revocations")) {
				if (customer.toString().equals(record.key())) {
					reports.add((CustomerRevocationCompleted) deserializer.deserialize(record.topic(), record.value()));
				}
			}
			return !reports.isEmpty();
		});
		return reports.get(0);
	}

	private void awaitEntitlementKeys(UUID customer, List<String> keys) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(entitlementKeys(customer)).containsExactlyInAnyOrderElementsOf(keys));
	}

	private List<String> entitlementKeys(UUID customer) {
		return this.client.get()
			.uri("/customers/" + customer + "/entitlements")
			.exchangeSuccessfully()
			.returnResult(LIST)
			.getResponseBody()
			.stream()
			.map(entitlement -> (String) entitlement.get("key"))
			.sorted()
			.toList();
	}

	private List<Map<String, Object>> grants(String query) {
		return this.client.get().uri("/grants?" + query).exchangeSuccessfully().returnResult(LIST).getResponseBody();
	}

	private EntityExchangeResult<Map<String, Object>> createBenefit(String key, String type) {
		return this.client.post()
			.uri("/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("organizationId", this.organization.toString(), "type", type, "key", key, "description",
					"The " + key + " benefit", "properties", Map.of("tier", "gold")))
			.exchange()
			.returnResult(JSON);
	}

	private int status(HttpMethod method, String path, String body) {
		return problem(method, path, body).getStatus().value();
	}

	/** The answer to a request, whatever its status. */
	private EntityExchangeResult<Map<String, Object>> problem(HttpMethod method, String path, String body) {
		RestTestClient.RequestBodySpec request = this.client.method(method).uri(path);
		RestTestClient.RequestHeadersSpec<?> ready = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).body(body) : request;
		return ready.exchange().returnResult(JSON);
	}

	private static String id(EntityExchangeResult<Map<String, Object>> response) {
		assertThat(response.getStatus().value()).isEqualTo(201);
		return (String) response.getResponseBody().get("id");
	}

}
