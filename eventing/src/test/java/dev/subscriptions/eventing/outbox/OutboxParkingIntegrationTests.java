package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.outbox.ParkedOutbox.ParkedRow;
import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * Rows Kafka refuses for good (a topic that does not exist, a record larger than the
 * broker takes) are parked with the rows of their key behind them, while every other key
 * keeps flowing; operators requeue or discard them.
 */
@SpringBootTest(properties = "eventing.relay.enabled=false")
@Import(EmbeddedInfrastructure.class)
class OutboxParkingIntegrationTests {

	/**
	 * Larger than the producer's max.request.size and the broker's max.message.bytes
	 * (about 1 MB each).
	 */
	private static final int TOO_LARGE = 2 * 1024 * 1024;

	private final String bootstrapServers;

	private final ConfluentAvroDeserializer deserializer;

	@Autowired
	Outbox outbox;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	KafkaProperties kafkaProperties;

	@Autowired
	DataSourceProperties dataSourceProperties;

	@Autowired
	OutboxSignal signal;

	@Autowired
	OutboxEndpoint endpoint;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private TestRelays relays;

	private String topic;

	private String missingTopic;

	OutboxParkingIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.deserializer = new ConfluentAvroDeserializer(SchemaRegistryClient.forUrl(registryUrl));
	}

	@BeforeEach
	void createTopic() throws Exception {
		this.topic = "parking-" + UUID.randomUUID();
		this.missingTopic = "missing-" + UUID.randomUUID();
		createTopic(this.topic);
		this.jdbc.update("delete from outbox");
		this.jdbc.update("delete from outbox_parked");
		this.relays = new TestRelays(this.jdbc, this.transactionManager, this.kafkaProperties,
				this.dataSourceProperties, this.signal);
	}

	@AfterEach
	void stopRelays() {
		this.relays.stopAll();
	}

	@Test
	void parksARowForAMissingTopicAndATooLargeOneWithTheirKeysWhileOtherKeysKeepFlowing(TestReporter reporter) {
		String missingKey = key();
		String largeKey = key();
		String flowingKey = key();
		String forMissingTopic = append(this.missingTopic, missingKey, "first");
		String tooLarge = append(this.topic, largeKey, "x".repeat(TOO_LARGE));
		String flowing = append(this.topic, flowingKey, "flowing");
		String behindMissing = append(this.missingTopic, missingKey, "second");
		String behindLarge = append(this.topic, largeKey, "after the large one");
		long started = System.nanoTime();

		startRelay(Duration.ofSeconds(3));

		try (TopicContents.Follower reader = follow(this.topic)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> eventIds(reader.poll()).contains(flowing));
			reporter.publishEntry(String.format(
					"Another key's row was published %.1f s after the relay started, past two refused rows",
					(System.nanoTime() - started) / 1e9));
			await().atMost(Duration.ofSeconds(20)).until(() -> parked().size() == 4 && outboxRows() == 0);
			Map<String, ParkedRow> parked = parked();
			assertThat(parked.get(forMissingTopic)).satisfies(row -> {
				assertThat(row.cause()).isEqualTo("unknown_topic");
				assertThat(row.topic()).isEqualTo(this.missingTopic);
				assertThat(row.key()).isEqualTo(missingKey);
				assertThat(row.attempts()).isPositive();
				assertThat(Duration.between(row.firstFailedAt(), row.lastFailedAt()))
					.isGreaterThanOrEqualTo(Duration.ofSeconds(3));
			});
			assertThat(parked.get(tooLarge)).satisfies(row -> {
				assertThat(row.cause()).isEqualTo("record_too_large");
				assertThat(row.attempts()).isEqualTo(1);
				assertThat(row.firstFailedAt()).isNotNull();
			});
			assertThat(parked.get(behindMissing).cause()).isEqualTo("behind_parked");
			assertThat(parked.get(behindLarge).cause()).isEqualTo("behind_parked");
			assertThat(parked.get(behindLarge).position()).isGreaterThan(parked.get(tooLarge).position());

			String laterOfParkedKey = append(this.topic, largeKey, "later");
			String laterOfFlowingKey = append(this.topic, flowingKey, "later");
			await().atMost(Duration.ofSeconds(5)).until(() -> eventIds(reader.poll()).contains(laterOfFlowingKey));
			await().atMost(Duration.ofSeconds(5)).until(() -> parked().containsKey(laterOfParkedKey));
			assertThat(parked().get(laterOfParkedKey).cause()).isEqualTo("behind_parked");
			assertThat(eventIds(reader.poll())).containsExactlyInAnyOrder(flowing, laterOfFlowingKey);
		}
		assertThat(parkedCounter(this.missingTopic, "unknown_topic")).isEqualTo(1);
		assertThat(parkedCounter(this.missingTopic, "behind_parked")).isEqualTo(1);
		assertThat(parkedCounter(this.topic, "record_too_large")).isEqualTo(1);
		assertThat(parkedCounter(this.topic, "behind_parked")).isEqualTo(2);
		await().atMost(Duration.ofSeconds(3)).until(() -> this.registry.get("outbox.parked.rows").gauge().value() == 5);
	}

	@Test
	void requeuesParkedRowsInTheirOriginalOrderOnceTheTopicExistsAndDiscardsOthers() throws Exception {
		String missingKey = key();
		String largeKey = key();
		String first = append(this.missingTopic, missingKey, "first");
		String tooLarge = append(this.topic, largeKey, "x".repeat(TOO_LARGE));
		String second = append(this.missingTopic, missingKey, "second");
		String behindLarge = append(this.topic, largeKey, "after the large one");
		startRelay(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(20)).until(() -> parked().size() == 4);
		String third = append(this.missingTopic, missingKey, "third");
		await().atMost(Duration.ofSeconds(5)).until(() -> parked().containsKey(third));

		createTopic(this.missingTopic);
		assertThat(this.endpoint.requeue(missingKey, null)).containsEntry("requeued", 3);

		try (TopicContents.Follower reader = follow(this.missingTopic)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> reader.poll().size() >= 3);
			assertThat(eventIds(reader.poll())).containsExactly(first, second, third);
		}
		assertThat(this.endpoint.parked()).containsEntry("parked", 2L);
		assertThat(this.endpoint.requeue(null, UUID.fromString(behindLarge))).as("a row of its key is parked before it")
			.containsEntry("requeued", 0);
		assertThat(this.endpoint.discard(null, UUID.fromString(tooLarge))).containsEntry("discarded", 1);
		assertThat(this.endpoint.requeue(null, UUID.fromString(behindLarge))).containsEntry("requeued", 1);
		try (TopicContents.Follower reader = follow(this.topic)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> eventIds(reader.poll()).contains(behindLarge));
			assertThat(eventIds(reader.poll())).containsExactly(behindLarge);
		}
		assertThat(this.endpoint.parked()).containsEntry("parked", 0L);
		assertThat(outboxRows()).isZero();

		String discardedKey = key();
		append(this.topic, discardedKey, "y".repeat(TOO_LARGE));
		append(this.topic, discardedKey, "behind it");
		await().atMost(Duration.ofSeconds(10)).until(() -> parked().size() == 2);
		assertThat(this.endpoint.discard(discardedKey, null)).containsEntry("discarded", 2);
		assertThat(this.endpoint.parked()).containsEntry("parked", 0L);
	}

	/**
	 * Prometheus refuses a gauge and a counter of one base name ({@code outbox_parked}
	 * and {@code outbox_parked_total}): the gauge is {@code outbox.parked.rows}, the
	 * counter {@code outbox.parked}.
	 */
	@Test
	void exposesParkedRowsAndParkedTotalByTopicAndCauseToPrometheus() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		OutboxMetrics metrics = new OutboxMetrics(this.jdbc, prometheus);

		metrics.parked("orders", "record_too_large", 2);

		assertThat(prometheus.scrape()).contains("outbox_parked_rows 0.0",
				"outbox_parked_total{cause=\"record_too_large\",topic=\"orders\"} 2.0");
	}

	private void startRelay(Duration unknownTopicGrace) {
		this.relays.relay(new OutboxMetrics(this.jdbc, this.registry))
			.producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000))
			.settings(settings -> settings.setUnknownTopicGrace(unknownTopicGrace))
			.start();
	}

	private double parkedCounter(String topic, String cause) {
		return this.registry.get("outbox.parked").tag("topic", topic).tag("cause", cause).counter().count();
	}

	private Map<String, ParkedRow> parked() {
		return new ParkedOutbox(this.jdbc, new TransactionTemplate(this.transactionManager), this.signal,
				new OutboxMetrics(this.jdbc, new SimpleMeterRegistry()))
			.list(100)
			.stream()
			.collect(Collectors.toMap(row -> row.id().toString(), Function.identity()));
	}

	/** Appends a CustomerCreated named {@code name}; returns its event id. */
	private String append(String topic, String key, String name) {
		CustomerCreated event = TestEvents.customerCreated(key, name);
		new TransactionTemplate(this.transactionManager)
			.executeWithoutResult(status -> this.outbox.append(topic, key, event));
		return event.getEventId();
	}

	private List<String> eventIds(List<ConsumerRecord<String, byte[]>> records) {
		return records.stream()
			.map(record -> ((CustomerCreated) this.deserializer.deserialize(record.topic(), record.value()))
				.getEventId())
			.toList();
	}

	private long outboxRows() {
		return this.jdbc.queryForObject("select count(*) from outbox", Long.class);
	}

	private TopicContents.Follower follow(String topic) {
		return TopicContents.follow(this.bootstrapServers, topic);
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}

	private void createTopic(String name) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
	}

}
