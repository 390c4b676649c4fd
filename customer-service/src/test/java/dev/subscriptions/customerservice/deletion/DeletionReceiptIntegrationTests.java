package dev.subscriptions.customerservice.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.schemas.Topic;

/**
 * The deletion receipt completes as the required services report on customer.revocations. A report counts when it
 * answers the customer's CustomerDeleted, by that event's id as published on customer.events.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(EmbeddedInfrastructure.class)
class DeletionReceiptIntegrationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()), new StringSerializer(),
			new ByteArraySerializer());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()), true);

	@AfterEach
	void close() {
		this.producer.close();
	}

	@Test
	void completesOnceEveryRequiredServiceHasReported() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);

		Map<String, Object> none = receipt(id).getBody();
		assertThat(none).containsEntry("complete", false).containsEntry("deletionEventId", deletion);
		assertThat(none.get("pending")).isEqualTo(List.of("subscription", "benefit"));
		assertThat(none.get("deletedAt")).isNotNull();

		CustomerRevocationCompleted subscription = report(id, "subscription", 3, deletion, now());
		send(subscription);
		send(subscription);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((List<?>) receipt(id).getBody().get("pending")).equals(List.of("benefit")));
		send(report(id, "benefit", 9, deletion, now()));

		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).getBody().get("complete")));
		Map<String, Object> complete = receipt(id).getBody();
		assertThat(complete.get("pending")).isEqualTo(List.of());
		assertThat(complete.get("services")).asString()
			.contains("service=benefit", "revokedCount=9", "service=subscription", "revokedCount=3");
	}

	/**
	 * The reporting service's clock is an hour behind customer-service's: its report says it completed before the
	 * customer was deleted. It answers the deletion by event id, so it counts.
	 */
	@Test
	void completesWithReportsWhoseCompletionTimeIsEarlierThanTheDeletion() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);
		Instant deletedAt = Instant.parse((String) receipt(id).getBody().get("deletedAt"));
		Instant skewed = deletedAt.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);

		send(report(id, "subscription", 1, deletion, skewed));
		send(report(id, "benefit", 2, deletion, skewed));

		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).getBody().get("complete")));
		assertThat(receipt(id).getBody().get("services")).asString()
			.contains("completedAt=" + skewed, "customerEventId=" + deletion);
	}

	/**
	 * A report that answers another CustomerDeleted (a stray or replayed one) is not counted, neither in place of a
	 * missing report nor over one that answers this deletion.
	 */
	@Test
	void countsNoReportThatAnswersAnotherDeletionEvent() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);

		send(report(id, "subscription", 5, UUID.randomUUID().toString(), now()));
		send(report(id, "benefit", 2, deletion, now()));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((List<?>) receipt(id).getBody().get("pending")).equals(List.of("subscription")));
		assertThat(receipt(id).getBody()).containsEntry("complete", false);

		send(report(id, "subscription", 4, deletion, now()));
		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).getBody().get("complete")));

		CustomerRevocationCompleted stray = report(id, "subscription", 7, UUID.randomUUID().toString(), now());
		send(stray);
		await().atMost(Duration.ofSeconds(20)).until(() -> handled(stray));
		Map<String, Object> receipt = receipt(id).getBody();
		assertThat(receipt).containsEntry("complete", true);
		assertThat(receipt.get("services")).asString()
			.contains("service=subscription, revokedCount=4")
			.doesNotContain("revokedCount=7", "revokedCount=5");
	}

	@Test
	void hasNoReceiptForALiveOrUnknownCustomer() {
		String live = (String) client().post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("organizationId", UUID.randomUUID().toString(), "email", "live@example.com", "name", "Live"))
			.retrieve()
			.body(Map.class)
			.get("id");

		assertThat(receipt(live).getStatusCode().value()).isEqualTo(404);
		assertThat(receipt(live).getBody()).containsEntry("title", "Customer not deleted");
		assertThat(receipt(UUID.randomUUID().toString()).getStatusCode().value()).isEqualTo(404);
	}

	private String createAndDelete() {
		String id = (String) client().post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("organizationId", UUID.randomUUID().toString(), "email", "gone@example.com", "name", "Gone"))
			.retrieve()
			.body(Map.class)
			.get("id");
		client().delete().uri("/customers/" + id).retrieve().toBodilessEntity();
		return id;
	}

	/** The event id of the customer's CustomerDeleted, as customer-service published it. */
	private String publishedDeletionEventId(String customerId) {
		try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
				SharedInfrastructure.kafka().bootstrapServers(), "group.id", "receipt-" + UUID.randomUUID(),
				"auto.offset.reset", "earliest", "schema.registry.url",
				SharedInfrastructure.schemaRegistry().confluentApiUrl(), "specific.avro.reader", "true",
				"key.deserializer", StringDeserializer.class.getName(), "value.deserializer",
				ConfluentAvroDeserializer.class.getName()))) {
			consumer.subscribe(List.of(Topic.CUSTOMER_EVENTS.topicName()));
			List<CustomerDeleted> deleted = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(record -> {
					if (customerId.equals(record.key()) && record.value() instanceof CustomerDeleted event) {
						deleted.add(event);
					}
				});
				return !deleted.isEmpty();
			});
			return deleted.get(0).getEventId();
		}
	}

	private CustomerRevocationCompleted report(String customerId, String service, int revoked, String customerEventId,
			Instant completedAt) {
		return CustomerRevocationCompleted.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(completedAt)
			.setOrganizationId(UUID.randomUUID().toString())
			.setCustomerId(customerId)
			.setService(service)
			.setRevokedCount(revoked)
			.setCompletedAt(completedAt)
			.setCustomerEventId(customerEventId)
			.build();
	}

	private boolean handled(CustomerRevocationCompleted report) {
		return this.jdbc.queryForObject("select count(*) from inbox where consumer = 'customer-service' and event_id = ?",
				Integer.class, UUID.fromString(report.getEventId())) == 1;
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	private void send(CustomerRevocationCompleted report) {
		this.producer.send(new ProducerRecord<>("customer.revocations", report.getCustomerId(),
				this.serializer.serialize("customer.revocations", report)));
		this.producer.flush();
	}

	private ResponseEntity<Map<String, Object>> receipt(String id) {
		return client().get().uri("/customers/" + id + "/deletion").retrieve().onStatus(status -> true, (req, res) -> {
		}).toEntity(JSON);
	}

	private RestClient client() {
		return RestClient.create("http://localhost:" + this.port);
	}

}
