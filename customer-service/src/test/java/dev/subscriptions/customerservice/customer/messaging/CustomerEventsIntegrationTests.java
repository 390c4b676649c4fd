package dev.subscriptions.customerservice.customer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.client.RestClient;

import dev.subscriptions.customerservice.CustomerRequests;
import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.eventing.test.EventTopics.Decoded;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * What customer-service publishes, read back from {@code customer.events} as another
 * system would: the topic's records decoded with the schemas module and the registry.
 */
@CustomerServiceIntegrationTest
class CustomerEventsIntegrationTests {

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("${eventing.schema-registry.url}")
	String registryUrl;

	@Autowired
	EventTopics topics;

	@Autowired
	RestTestClient client;

	@Autowired
	KafkaAdmin kafkaAdmin;

	/**
	 * The round trip of the contract: one record of every event type of
	 * {@code customer.events}, each as the API answered the change it tells of.
	 */
	@Test
	void publishesEveryEventTypeOfCustomerEventsWithWhatTheApiAnswered() {
		UUID organization = UUID.randomUUID();
		Map<String, Object> created = CustomerRequests.created(this.client, organization, "round@example.com",
				"Round Trip", "crm-round");
		String id = (String) created.get("id");
		RestTestClient api = CustomerRequests.as(this.client, organization);
		api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();
		Map<String, Object> receipt = CustomerRequests.receipt(api, id);

		await().atMost(Duration.ofSeconds(30)).until(() -> published(id).size() == 2);

		List<Object> events = published(id).stream().map(Decoded::value).toList();
		assertThat(events).map(event -> ((SpecificRecord) event).getSchema())
			.containsExactlyInAnyOrderElementsOf(Topic.CUSTOMER_EVENTS.eventSchemas());
		CustomerFixture customer = CustomerFixture.of(organization, UUID.fromString(id));
		CustomerCreated createdEvent = (CustomerCreated) events.get(0);
		assertThat(createdEvent).isEqualTo(customer.created()
			.setEventId(createdEvent.getEventId())
			.setOccurredAt(millis(created.get("createdAt")))
			.setEmail("round@example.com")
			.setName("Round Trip")
			.setExternalId("crm-round")
			.build());
		Instant deletedAt = millis(receipt.get("deletedAt"));
		assertThat(events.get(1)).isEqualTo(customer.deleted()
			.setEventId((String) receipt.get("deletionEventId"))
			.setOccurredAt(deletedAt)
			.setDeletedAt(deletedAt)
			.build());
	}

	@Test
	void publishesExactlyOneCustomerDeletedKeyedByTheCustomerIdEvenWhenDeletedTwice() {
		UUID organization = UUID.randomUUID();
		String id = create(organization, "kafka@example.com", "Franz");
		RestTestClient api = CustomerRequests.as(this.client, organization);
		api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();
		api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();

		await().atMost(Duration.ofSeconds(30)).until(() -> published(id).size() >= 2);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> published(id).size() == 2);

		List<Decoded> records = published(id);
		assertThat(records.get(0).value()).isInstanceOfSatisfying(CustomerCreated.class, created -> {
			assertThat(created.getEmail()).isEqualTo("kafka@example.com");
			assertThat(created.getOrganizationId()).isEqualTo(organization.toString());
		});
		assertThat(records.get(1).value()).isInstanceOfSatisfying(CustomerDeleted.class, deleted -> {
			assertThat(deleted.getCustomerId()).isEqualTo(id);
			assertThat(deleted.getDeletedAt()).isNotNull();
		});
		assertThat(header(records.get(1), "event_type")).isEqualTo("CustomerDeleted");
		assertThat(header(records.get(1), "event_id"))
			.isEqualTo(((CustomerDeleted) records.get(1).value()).getEventId());
	}

	/**
	 * Customers deleted together publish one {@code CustomerDeleted} each, keyed by the
	 * customer, with the event id its receipt names.
	 */
	@Test
	void publishesOneCustomerDeletedPerCustomerDeletedTogether() {
		UUID organization = UUID.randomUUID();
		List<String> ids = List.of(create(organization, "together-1@example.com", "One"),
				create(organization, "together-2@example.com", "Two"),
				create(organization, "together-3@example.com", "Three"));
		RestTestClient api = CustomerRequests.as(this.client, organization);
		api.post()
			.uri("/customers/deletions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customerIds", ids))
			.exchange()
			.expectStatus()
			.isNoContent();

		for (String id : ids) {
			await().atMost(Duration.ofSeconds(30)).until(() -> published(id).size() >= 2);
			Map<String, Object> receipt = CustomerRequests.receipt(api, id);
			assertThat(published(id)).hasSize(2).last().satisfies(record -> {
				assertThat(record.value()).isInstanceOfSatisfying(CustomerDeleted.class, deleted -> {
					assertThat(deleted.getCustomerId()).isEqualTo(id);
					assertThat(deleted.getOrganizationId()).isEqualTo(organization.toString());
					assertThat(deleted.getEventId()).isEqualTo(receipt.get("deletionEventId"));
				});
				assertThat(header(record, "event_type")).isEqualTo("CustomerDeleted");
			});
		}
	}

	@Test
	void publishesNothingForACreateThatTheDatabaseRefuses() {
		UUID organization = UUID.randomUUID();
		String id = create(organization, "once@example.com", "Once");
		assertThat(CustomerRequests.create(this.client, organization, "once@example.com", "Once", null)
			.getStatus()
			.value()).isEqualTo(409);

		await().atMost(Duration.ofSeconds(30)).until(() -> published(id).size() == 1);
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> publishedEvents().stream()
				.map(Decoded::value)
				.filter(CustomerCreated.class::isInstance)
				.map(CustomerCreated.class::cast)
				.filter(created -> created.getOrganizationId().equals(organization.toString()))
				.count() == 1);
	}

	@Test
	void registersItsSchemasAtStartUpUnderFullTransitiveCompatibilityAndCallsNoRegistryOnRequests() {
		String registry = this.registryUrl;
		for (Schema event : Topic.CUSTOMER_EVENTS.eventSchemas()) {
			Map<?, ?> config = RestClient.create(registry)
				.get()
				.uri("/config/{subject}", Topic.CUSTOMER_EVENTS.subject(event))
				.retrieve()
				.body(Map.class);
			assertThat(config.get("compatibilityLevel")).as(event.getName()).isEqualTo("FULL_TRANSITIVE");
		}
		long registryCalls = SchemaRegistryClient.forUrl(registry).requestCount();

		UUID organization = UUID.randomUUID();
		String id = create(organization, "cached@example.com", "C");
		CustomerRequests.as(this.client, organization)
			.delete()
			.uri("/customers/{id}", id)
			.exchange()
			.expectStatus()
			.isNoContent();

		assertThat(SchemaRegistryClient.forUrl(registry).requestCount()).isEqualTo(registryCalls);
	}

	/**
	 * customer.events is compacted, so that every customer's last record stays; a topic
	 * that exists with another policy gets it when the service's KafkaAdmin checks its
	 * topics at start-up.
	 */
	@Test
	void keepsCustomerEventsCompactedAlsoWhenTheTopicExistedWithAnotherPolicy() throws Exception {
		ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topic.CUSTOMER_EVENTS.topicName());
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			assertThat(cleanupPolicy(admin, topic)).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
			admin
				.incrementalAlterConfigs(
						Map.of(topic,
								List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
										TopicConfig.CLEANUP_POLICY_DELETE), AlterConfigOp.OpType.SET))))
				.all()
				.get(30, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> TopicConfig.CLEANUP_POLICY_DELETE.equals(cleanupPolicy(admin, topic)));

			assertThat(this.kafkaAdmin.initialize()).isTrue();

			await().atMost(Duration.ofSeconds(10))
				.until(() -> TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanupPolicy(admin, topic)));
		}
	}

	private static String cleanupPolicy(Admin admin, ConfigResource topic) throws Exception {
		return admin.describeConfigs(List.of(topic))
			.all()
			.get(30, TimeUnit.SECONDS)
			.get(topic)
			.get(TopicConfig.CLEANUP_POLICY_CONFIG)
			.value();
	}

	private String create(UUID organization, String email, String name) {
		return CustomerRequests.createdId(this.client, organization, email, name);
	}

	/**
	 * The records of one customer on customer.events, in the order they were published.
	 */
	private List<Decoded> published(String customerId) {
		return publishedEvents().stream().filter(record -> customerId.equals(record.key())).toList();
	}

	/** Every record on customer.events now, its value decoded with the registry. */
	private List<Decoded> publishedEvents() {
		return this.topics.decoded(Topic.CUSTOMER_EVENTS.topicName());
	}

	private static Instant millis(Object isoInstant) {
		return Instant.parse((String) isoInstant).truncatedTo(ChronoUnit.MILLIS);
	}

	private static String header(Decoded record, String name) {
		return new String(record.record().headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
