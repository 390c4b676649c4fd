package dev.subscriptions.customerservice.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The deletion receipt completes as the required services report on customer.revocations.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(EmbeddedInfrastructure.class)
class DeletionReceiptIntegrationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

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

		Map<String, Object> none = receipt(id).getBody();
		assertThat(none).containsEntry("complete", false);
		assertThat(none.get("pending")).isEqualTo(List.of("subscription", "benefit"));
		assertThat(none.get("deletedAt")).isNotNull();

		CustomerRevocationCompleted subscription = report(id, "subscription", 3);
		send(subscription);
		send(subscription);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((List<?>) receipt(id).getBody().get("pending")).equals(List.of("benefit")));
		send(report(id, "benefit", 9));

		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).getBody().get("complete")));
		Map<String, Object> complete = receipt(id).getBody();
		assertThat(complete.get("pending")).isEqualTo(List.of());
		assertThat(complete.get("services")).asString()
			.contains("service=benefit", "revokedCount=9", "service=subscription", "revokedCount=3");
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

	private CustomerRevocationCompleted report(String customerId, String service, int revoked) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return CustomerRevocationCompleted.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now)
			.setOrganizationId(UUID.randomUUID().toString())
			.setCustomerId(customerId)
			.setService(service)
			.setRevokedCount(revoked)
			.setCompletedAt(now)
			.setCustomerEventId(UUID.randomUUID().toString())
			.build();
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
