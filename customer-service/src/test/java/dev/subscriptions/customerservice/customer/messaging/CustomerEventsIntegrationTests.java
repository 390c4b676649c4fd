package dev.subscriptions.customerservice.customer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.client.RestClient;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.schemas.Topic;

/**
 * What customer-service publishes, read as another system would: a plain KafkaConsumer with the schemas module and
 * the registry.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(EmbeddedInfrastructure.class)
class CustomerEventsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	KafkaAdmin kafkaAdmin;

	private KafkaConsumer<String, Object> consumer;

	private final List<ConsumerRecord<String, Object>> received = new ArrayList<>();

	@BeforeEach
	void subscribe() {
		this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(),
				"group.id", "plain-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "schema.registry.url",
				SharedInfrastructure.schemaRegistry().confluentApiUrl(), "specific.avro.reader", "true",
				"key.deserializer", StringDeserializer.class.getName(), "value.deserializer",
				ConfluentAvroDeserializer.class.getName()));
		this.consumer.subscribe(List.of(Topic.CUSTOMER_EVENTS.topicName()));
	}

	@AfterEach
	void close() {
		this.consumer.close();
	}

	@Test
	void publishesExactlyOneCustomerDeletedKeyedByTheCustomerIdEvenWhenDeletedTwice() {
		UUID organization = UUID.randomUUID();
		String id = (String) client().post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("organizationId", organization.toString(), "email", "kafka@example.com", "name", "Franz"))
			.retrieve()
			.body(Map.class)
			.get("id");
		client().delete().uri("/customers/" + id).retrieve().toBodilessEntity();
		client().delete().uri("/customers/" + id).retrieve().toBodilessEntity();

		await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(id).size() >= 2);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> recordsOf(id).size() == 2);

		List<ConsumerRecord<String, Object>> records = recordsOf(id);
		assertThat(records.get(0).value()).isInstanceOfSatisfying(CustomerCreated.class, created -> {
			assertThat(created.getEmail()).isEqualTo("kafka@example.com");
			assertThat(created.getOrganizationId()).isEqualTo(organization.toString());
		});
		assertThat(records.get(1).value()).isInstanceOfSatisfying(CustomerDeleted.class, deleted -> {
			assertThat(deleted.getCustomerId()).isEqualTo(id);
			assertThat(deleted.getDeletedAt()).isNotNull();
		});
		assertThat(header(records.get(1), "event_type")).isEqualTo("CustomerDeleted");
		assertThat(header(records.get(1), "event_id")).isEqualTo(((CustomerDeleted) records.get(1).value()).getEventId());
	}

	@Test
	void publishesNothingForACreateThatTheDatabaseRefuses() {
		UUID organization = UUID.randomUUID();
		Map<String, String> body = Map.of("organizationId", organization.toString(), "email", "once@example.com",
				"name", "Once");
		String id = (String) client().post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(Map.class)
			.get("id");
		int refused = client().post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.onStatus(status -> true, (request, response) -> {
			})
			.toBodilessEntity()
			.getStatusCode()
			.value();

		await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(id).size() == 1);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> this.received.stream()
				.map(ConsumerRecord::value)
				.filter(CustomerCreated.class::isInstance)
				.map(CustomerCreated.class::cast)
				.filter(created -> created.getOrganizationId().equals(organization.toString()))
				.count() == 1);
		assertThat(refused).isEqualTo(409);
	}

	@Test
	void registersItsSchemasAtStartUpUnderFullTransitiveCompatibilityAndCallsNoRegistryOnRequests() {
		String registry = SharedInfrastructure.schemaRegistry().confluentApiUrl();
		for (String event : List.of("CustomerCreated", "CustomerDeleted")) {
			Map<?, ?> config = RestClient.create(registry)
				.get()
				.uri("/config/customer.events-dev.subscriptions.events.customer." + event)
				.retrieve()
				.body(Map.class);
			assertThat(config.get("compatibilityLevel")).as(event).isEqualTo("FULL_TRANSITIVE");
		}
		long registryCalls = SchemaRegistryClient.forUrl(registry).requestCount();

		String id = (String) client().post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("organizationId", UUID.randomUUID().toString(), "email", "cached@example.com", "name", "C"))
			.retrieve()
			.body(Map.class)
			.get("id");
		client().delete().uri("/customers/" + id).retrieve().toBodilessEntity();

		assertThat(SchemaRegistryClient.forUrl(registry).requestCount()).isEqualTo(registryCalls);
	}

	/**
	 * customer.events is compacted, so that every customer's last record stays; a topic that exists with another
	 * policy gets it when the service's KafkaAdmin checks its topics at start-up.
	 */
	@Test
	void keepsCustomerEventsCompactedAlsoWhenTheTopicExistedWithAnotherPolicy() throws Exception {
		ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topic.CUSTOMER_EVENTS.topicName());
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()))) {
			assertThat(cleanupPolicy(admin, topic)).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
			admin
				.incrementalAlterConfigs(Map.of(topic,
						List.of(new AlterConfigOp(
								new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE),
								AlterConfigOp.OpType.SET))))
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

	private List<ConsumerRecord<String, Object>> recordsOf(String customerId) {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.received::add);
		return this.received.stream().filter(record -> customerId.equals(record.key())).toList();
	}

	private RestClient client() {
		return RestClient.create("http://localhost:" + this.port);
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
