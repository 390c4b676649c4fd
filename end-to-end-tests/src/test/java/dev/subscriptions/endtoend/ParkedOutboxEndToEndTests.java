package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * Rows Kafka refuses for good do not hold back anyone else's deletion: customer-service
 * parks them, its other events flow, and an operator requeues or discards them over the
 * actuator endpoint {@code outbox}.
 */
class ParkedOutboxEndToEndTests {

	private static final int TWO_MEGABYTES = 2 * 1024 * 1024;

	private final Api api = new Api(UUID.randomUUID());

	private final JdbcTemplate customerDatabase = new JdbcTemplate(
			SharedInfrastructure.postgresql().dataSource(Platform.customerDatabase));

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@Test
	void parksRowsForAMissingTopicAndTooLargeForTheBrokerWhileADeletionCompletesThenRequeuesAndDiscardsThem()
			throws Exception {
		String missingTopic = "not-yet-created-" + UUID.randomUUID();
		String largeTopic = "large-" + UUID.randomUUID();
		createTopic(largeTopic);
		String missingKey = "missing-" + UUID.randomUUID();
		String largeKey = "large-" + UUID.randomUUID();
		appendRaw(missingTopic, missingKey, new byte[] { 0, 0, 0, 0, 1, 2 });
		appendRaw(largeTopic, largeKey, new byte[TWO_MEGABYTES]);

		String customer = this.api.createCustomer("parked-" + UUID.randomUUID() + "@example.com");
		this.api.deleteCustomer(customer);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> Boolean.TRUE.equals(this.api.receipt(customer).get("complete")));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(parkedRows()).extracting(row -> row.get("key"), row -> row.get("cause"))
				.containsExactlyInAnyOrder(tuple(missingKey, "unknown_topic"), tuple(largeKey, "record_too_large")));

		createTopic(missingTopic);
		assertThat(this.api.parkedOutbox(HttpMethod.POST, "", Map.of("key", missingKey))).containsEntry("requeued", 1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TopicContents.read(SharedInfrastructure.kafka().bootstrapServers(), missingTopic)
				.stream()
				.map(ConsumerRecord::key)
				.toList(), keys -> keys.equals(List.of(missingKey)));

		assertThat(this.api.parkedOutbox(HttpMethod.DELETE, "?key=" + largeKey, null)).containsEntry("discarded", 1);
		assertThat(parkedRows()).isEmpty();
		assertThat(this.customerDatabase.queryForObject("select count(*) from outbox where aggregateid in (?, ?)",
				Integer.class, missingKey, largeKey))
			.isZero();
		assertThat(TopicContents.read(SharedInfrastructure.kafka().bootstrapServers(), largeTopic)).isEmpty();
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> parkedRows() {
		Map<String, Object> answer = this.api.parkedOutbox(HttpMethod.GET, "", null);
		return (List<Map<String, Object>>) answer.get("rows");
	}

	/** A row as another writer of the outbox (a bug, a hand-made fix) might leave it. */
	private void appendRaw(String topic, String key, byte[] payload) {
		this.customerDatabase.update("""
				insert into outbox (id, aggregatetype, aggregateid, type, payload, topic)
				values (?, 'test', ?, 'Test', ?, ?)""", UUID.randomUUID(), key, payload, topic);
	}

	private static void createTopic(String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
	}

}
