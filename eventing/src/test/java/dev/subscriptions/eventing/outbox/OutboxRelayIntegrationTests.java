package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingAutoConfiguration;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.TopicReader;
import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The relay against a real broker that goes away and comes back. The context's own relay is off; each test runs its
 * own.
 */
@SpringBootTest(properties = "eventing.relay.enabled=false")
@Import(EmbeddedInfrastructure.class)
class OutboxRelayIntegrationTests {

	private final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()));

	private final List<OutboxRelay> relays = new ArrayList<>();

	@Autowired
	Outbox outbox;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	KafkaProperties kafkaProperties;

	@Autowired
	OutboxSignal signal;

	@Autowired
	OutboxMetrics metrics;

	private String topic;

	@BeforeEach
	void createTopic() throws Exception {
		this.topic = "relay-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(this.topic, 6, (short) 1), new NewTopic(this.topic + "-raw", 6, (short) 1)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		this.jdbc.update("delete from outbox");
	}

	@AfterEach
	void stopRelays() {
		this.relays.forEach(OutboxRelay::stop);
	}

	@Test
	void relaysTenThousandEventsOverAHundredKeysInOrderThroughAKafkaOutage() {
		Map<String, List<String>> appended = append(10_000, 100);
		long started = System.nanoTime();
		startRelay(Map.of());

		await().atMost(Duration.ofSeconds(60)).until(() -> this.metrics.backlog().pending() < 7_000);
		SharedInfrastructure.kafka().interrupt();
		try {
			await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
		}
		finally {
			SharedInfrastructure.kafka().resume();
		}

		Map<String, List<String>> published = readUntil(10_000);
		double seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf("Relayed 10,000 events over 100 keys through a 3 s Kafka outage in %.1f s%n", seconds);
		assertThat(published).isEqualTo(appended);
		assertThat(count()).isZero();
	}

	@Test
	void relaysAtThroughputAndReportsIt() {
		append(10_000, 100);
		List<Map<String, Object>> rows = this.jdbc.queryForList("select aggregateid, payload from outbox order by position");

		long started = System.nanoTime();
		startRelay(Map.of());
		await().atMost(Duration.ofSeconds(60)).until(() -> count() == 0);
		double seconds = (System.nanoTime() - started) / 1e9;

		Map<String, List<String>> published = readUntil(10_000);
		double raw = rawProducerSeconds(rows);
		System.out.printf("Relay: 10,000 events in %.2f s = %.0f events/s; raw KafkaProducer: %.0f events/s%n",
				seconds, 10_000 / seconds, 10_000 / raw);
		assertThat(published.values().stream().mapToInt(List::size).sum()).isEqualTo(10_000);
	}

	@Test
	void losesNothingWhenAnOutageOutlastsTheDeliveryTimeout() {
		Map<String, List<String>> appended = append(1_000, 20);
		SharedInfrastructure.kafka().interrupt();
		try {
			startRelay(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1_500, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
					1_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000));
			await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
			assertThat(count()).isEqualTo(1_000);
		}
		finally {
			SharedInfrastructure.kafka().resume();
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> count() == 0);
		Map<String, List<String>> firstDeliveries = firstDeliveries(readAtLeast(1_000));
		assertThat(firstDeliveries).isEqualTo(appended);
	}

	@Test
	void letsOnlyOneRelayPublishAtATime() {
		Map<String, List<String>> appended = append(3_000, 30);
		OutboxRelay first = startRelay(Map.of());
		OutboxRelay second = startRelay(Map.of());

		Map<String, List<String>> published = readUntil(3_000);

		assertThat(published).isEqualTo(appended);
		assertThat(first).isNotSameAs(second);
	}

	@Test
	void publishesNothingWhileAnotherRelayHoldsTheLock() {
		append(10, 2);
		OutboxRelay relay = relay(Map.of());
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);

		OutboxRelay.Batch whileLocked = transactions.execute(status -> {
			this.jdbc.queryForObject("select pg_advisory_lock(?)::text", String.class, OutboxRelay.LOCK_KEY);
			try {
				return java.util.concurrent.CompletableFuture.supplyAsync(relay::relayBatch).join();
			}
			finally {
				this.jdbc.queryForObject("select pg_advisory_unlock(?)", Boolean.class, OutboxRelay.LOCK_KEY);
			}
		});

		assertThat(whileLocked.read()).isZero();
		assertThat(count()).isEqualTo(10);
		assertThat(relay.relayBatch().read()).isEqualTo(10);
		assertThat(count()).isZero();
	}

	/**
	 * A row committed by another instance (or left by a crash) sends this relay no signal: its poll (every 200 ms here)
	 * finds it.
	 */
	@Test
	void publishesARowItWasNotToldAboutAtItsNextPoll() {
		append(1, 1);
		Map<String, Object> row = this.jdbc.queryForMap("select aggregateid, payload from outbox");
		this.jdbc.update("delete from outbox");
		startRelay(Map.of());
		await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);

		this.jdbc.update("""
				insert into outbox (id, aggregatetype, aggregateid, type, payload, topic)
				values (?, 'customer', ?, 'CustomerCreated', ?, ?)""", UUID.randomUUID(), row.get("aggregateid"),
				row.get("payload"), this.topic);

		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> count() == 0);
		assertThat(readAtLeast(1)).singleElement()
			.satisfies(record -> assertThat(record.key()).isEqualTo(row.get("aggregateid")));
	}

	@Test
	void countsWhatItPublishesPerTopicAndTimesItsLatency() {
		MeterRegistry registry = new SimpleMeterRegistry();
		OutboxMetrics counted = new OutboxMetrics(this.jdbc, registry);
		append(30, 3);

		startRelay(Map.of(), counted);

		await().atMost(Duration.ofSeconds(20)).until(() -> count() == 0);
		assertThat(registry.get("outbox.published").tag("topic", this.topic).counter().count()).isEqualTo(30);
		assertThat(registry.get("outbox.publish.latency").timer().count()).isEqualTo(30);
		assertThat(registry.get("outbox.publish.latency").timer().max(TimeUnit.MILLISECONDS)).isPositive();
	}

	@Test
	void reportsPendingEventsAndTheAgeOfTheOldest() {
		append(25, 5);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.metrics.backlog().pending()).isEqualTo(25);
			assertThat(this.metrics.backlog().oldestAgeSeconds()).isGreaterThan(0.5);
		});
		startRelay(Map.of());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.metrics.backlog().pending()).isZero();
			assertThat(this.metrics.backlog().oldestAgeSeconds()).isZero();
		});
	}

	/** Appends {@code count} events round-robin over {@code keys} keys; returns each key's event ids in order. */
	private Map<String, List<String>> append(int count, int keys) {
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		Map<String, List<String>> appended = new LinkedHashMap<>();
		List<String> keyNames = new ArrayList<>();
		for (int k = 0; k < keys; k++) {
			keyNames.add(UUID.randomUUID().toString());
		}
		for (int start = 0; start < count; start += 500) {
			int from = start;
			transactions.executeWithoutResult(status -> {
				for (int i = from; i < Math.min(count, from + 500); i++) {
					String key = keyNames.get(i % keys);
					CustomerCreated event = TestEvents.customerCreated(key, "event " + i);
					this.outbox.append(this.topic, key, event);
					appended.computeIfAbsent(key, k -> new ArrayList<>()).add(event.getEventId());
				}
			});
		}
		return appended;
	}

	private Map<String, List<String>> readUntil(int expected) {
		List<ConsumerRecord<String, byte[]>> records = readAtLeast(expected);
		assertThat(records).hasSize(expected);
		Map<String, List<String>> byKey = new HashMap<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(eventId(record));
		}
		return byKey;
	}

	private List<ConsumerRecord<String, byte[]>> readAtLeast(int expected) {
		try (TopicReader reader = new TopicReader(this.topic)) {
			await().atMost(Duration.ofSeconds(90)).until(() -> reader.poll().size() >= expected);
			await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
			return new ArrayList<>(reader.poll());
		}
	}

	private Map<String, List<String>> firstDeliveries(List<ConsumerRecord<String, byte[]>> records) {
		Map<String, List<String>> byKey = new HashMap<>();
		Set<String> seen = new HashSet<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			String eventId = eventId(record);
			if (seen.add(eventId)) {
				byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(eventId);
			}
		}
		return byKey;
	}

	private String eventId(ConsumerRecord<String, byte[]> record) {
		return ((CustomerCreated) this.deserializer.deserialize(this.topic, record.value())).getEventId();
	}

	private long count() {
		return this.jdbc.queryForObject("select count(*) from outbox", Long.class);
	}

	private OutboxRelay startRelay(Map<String, Object> producerOverrides) {
		return startRelay(producerOverrides, this.metrics);
	}

	private OutboxRelay startRelay(Map<String, Object> producerOverrides, OutboxMetrics metrics) {
		OutboxRelay relay = relay(producerOverrides, metrics);
		relay.start();
		return relay;
	}

	private OutboxRelay relay(Map<String, Object> producerOverrides) {
		return relay(producerOverrides, this.metrics);
	}

	private OutboxRelay relay(Map<String, Object> producerOverrides, OutboxMetrics metrics) {
		Map<String, Object> properties = new HashMap<>(
				EventingAutoConfiguration.relayProducerProperties(this.kafkaProperties));
		properties.putAll(producerOverrides);
		OutboxRelay relay = new OutboxRelay(this.jdbc, new TransactionTemplate(this.transactionManager),
				() -> new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer()), this.signal,
				metrics, new OutboxRelay.Settings(500, Duration.ofMillis(200), Duration.ofMillis(100),
						Duration.ofSeconds(1)));
		this.relays.add(relay);
		return relay;
	}

	/** How long a plain idempotent KafkaProducer takes to send the same serialized records to the same broker. */
	private double rawProducerSeconds(List<Map<String, Object>> rows) {
		Map<String, Object> properties = EventingAutoConfiguration.relayProducerProperties(this.kafkaProperties);
		long started = System.nanoTime();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
				new ByteArraySerializer())) {
			for (Map<String, Object> row : rows) {
				producer.send(new ProducerRecord<>(this.topic + "-raw", (String) row.get("aggregateid"),
						(byte[]) row.get("payload")));
			}
			producer.flush();
		}
		return (System.nanoTime() - started) / 1e9;
	}

}
