package dev.subscriptions.eventing.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.EventingTestApplication.HeldRecords;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.consumer.SentDeadLetters;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.CommitTime;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.PartitionLag;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * The test service's consumer groups as an operator sees them on
 * {@code /actuator/prometheus} and {@code /actuator/kafkalag}: a listener stuck in its
 * handler, dead letters and duplicate deliveries.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "eventing.lag.interval=300ms")
@Import(EmbeddedInfrastructure.class)
class ConsumerGroupLagIntegrationTests {

	private static final String HELD_TOPIC = EventingTestApplication.HELD_TOPIC;

	private static final String HELD_GROUP = EventingTestApplication.HELD_GROUP;

	private static final String CONSUMED_TOPIC = EventingTestApplication.CONSUMED_TOPIC;

	private static final String CONSUMED_GROUP = "eventing-tests";

	private static final String DEAD_LETTER_TOPIC = CONSUMED_TOPIC + ".DLT";

	private static final Duration AGE = Duration.ofHours(1);

	private final String bootstrapServers;

	private final ConfluentAvroSerializer serializer;

	private final KafkaProducer<String, byte[]> producer;

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	ConsumerGroupLag lag;

	@Autowired
	HeldRecords held;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	ConsumerGroupLagIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.serializer = new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(registryUrl), true);
		this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "linger.ms", 0),
				new StringSerializer(), new ByteArraySerializer());
	}

	@AfterEach
	void releaseAndClose() {
		this.held.release();
		this.producer.close();
	}

	@Test
	void showsTheLagOfAStuckListenerInRecordsAndSecondsUntilItCommits() throws Exception {
		PartitionLag before = await().atMost(Duration.ofSeconds(30))
			.until(() -> heldPartition(), partition -> partition != null && partition.lag() == 0);
		long start = before.logEndOffset();
		int records = 5;
		Instant written = Instant.now().minus(AGE);
		this.held.hold();

		for (int i = 0; i < records; i++) {
			String customer = UUID.randomUUID().toString();
			this.producer
				.send(new ProducerRecord<>(HELD_TOPIC, 0, written.toEpochMilli() + i, customer,
						this.serializer.serialize(HELD_TOPIC, TestEvents.customerCreated(customer, "Held"))))
				.get();
		}

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.held.isWaiting()).isTrue();
			assertNeverNegative();
			assertThat(gauge(ConsumerGroupLag.LAG)).isEqualTo(records);
			assertThat(gauge(ConsumerGroupLag.COMMITTED)).isEqualTo(start);
			assertThat(gauge(ConsumerGroupLag.LOG_END)).isEqualTo(start + records);
			assertThat(gauge(ConsumerGroupLag.LAG_SECONDS)).isGreaterThanOrEqualTo(AGE.toSeconds());
		});
		JsonNode stuck = heldPartitionJson();
		assertThat(stuck.get("lag").asLong()).isEqualTo(records);
		assertThat(stuck.get("committedOffset").asLong()).isEqualTo(start);
		assertThat(stuck.get("logEndOffset").asLong()).isEqualTo(start + records);
		assertThat(stuck.get("lagSeconds").asDouble()).isGreaterThanOrEqualTo(AGE.toSeconds());
		assertThat(stuck.get("measuredAt").asString()).isNotBlank();
		assertThat(scrape()).containsPattern(
				Pattern.compile("^kafka_consumergroup_lag\\{group=\"" + HELD_GROUP + "\",partition=\"0\",topic=\""
						+ Pattern.quote(HELD_TOPIC) + "\"} " + records + "(\\.0)?$", Pattern.MULTILINE));

		Instant released = Instant.now();
		this.held.release();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertNeverNegative();
			assertThat(gauge(ConsumerGroupLag.LAG)).isZero();
			assertThat(gauge(ConsumerGroupLag.LAG_SECONDS)).isZero();
			assertThat(gauge(ConsumerGroupLag.COMMITTED)).isEqualTo(start + records)
				.isEqualTo(gauge(ConsumerGroupLag.LOG_END));
			assertThat(gauge(ConsumerGroupLag.LAST_COMMIT))
				.isGreaterThanOrEqualTo(released.minusSeconds(1).toEpochMilli() / 1000.0)
				.isLessThanOrEqualTo(Instant.now().toEpochMilli() / 1000.0);
		});
		assertThat(heldPartition().lastCommitSource()).isEqualTo(CommitTime.METADATA);
		JsonNode caughtUp = heldPartitionJson();
		assertThat(caughtUp.get("lag").asLong()).isZero();
		assertThat(caughtUp.get("lagSeconds").asDouble()).isZero();
		assertThat(caughtUp.get("committedOffset").asLong()).isEqualTo(start + records);
		assertThat(caughtUp.get("logEndOffset").asLong()).isEqualTo(start + records);
		assertThat(caughtUp.get("lastCommitTimestampSeconds").asDouble())
			.isGreaterThanOrEqualTo(released.minusSeconds(1).toEpochMilli() / 1000.0);
		assertThat(caughtUp.get("lastCommitSource").asString()).isEqualTo("metadata");
	}

	@Test
	void countsADeadLetterAndTheRecordsOfItsTopic() throws Exception {
		double poisonBefore = await().atMost(Duration.ofSeconds(30))
			.until(() -> deadLettersSent("poison"), sent -> sent != null);
		assertThat(deadLettersSent("deterministic")).isNotNull();
		int inTopicBefore = TopicContents.read(this.bootstrapServers, DEAD_LETTER_TOPIC).size();
		String key = UUID.randomUUID().toString();

		this.producer.send(new ProducerRecord<>(CONSUMED_TOPIC, key, "no magic byte".getBytes(StandardCharsets.UTF_8)))
			.get();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(deadLettersSent("poison")).isEqualTo(poisonBefore + 1);
			assertThat(this.meters.get(ConsumerGroupLag.DEAD_LETTER_RECORDS)
				.tag("topic", DEAD_LETTER_TOPIC)
				.gauge()
				.value()).isEqualTo(inTopicBefore + 1);
		});
		assertThat(scrape())
			.containsPattern(Pattern.compile("^kafka_dead_letters_sent_total\\{cause=\"poison\",group=\""
					+ CONSUMED_GROUP + "\",topic=\"" + Pattern.quote(DEAD_LETTER_TOPIC) + "\"} ", Pattern.MULTILINE));
		assertThat(endpoint().get("deadLetterTopics").get(DEAD_LETTER_TOPIC).asLong()).isEqualTo(inTopicBefore + 1);
	}

	@Test
	void countsADuplicateDeliveryTheInboxSkips() throws Exception {
		String customer = UUID.randomUUID().toString();
		byte[] event = this.serializer.serialize(CONSUMED_TOPIC, TestEvents.customerCreated(customer, "Twice"));
		this.producer.send(new ProducerRecord<>(CONSUMED_TOPIC, customer, event)).get();
		await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() != null);
		double before = duplicates();

		this.producer.send(new ProducerRecord<>(CONSUMED_TOPIC, customer, event)).get();

		await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() == before + 1);
	}

	/**
	 * The Prometheus names of the metric contract, as Prometheus scrapes them: gauges of
	 * lag, offsets and commit time per group, topic and partition, dead-letter topic
	 * records, and the counters of dead letters and inbox duplicates.
	 */
	@Test
	void exportsTheContractsPrometheusNames() throws Exception {
		String customer = UUID.randomUUID().toString();
		this.producer
			.send(new ProducerRecord<>(CONSUMED_TOPIC, customer,
					this.serializer.serialize(CONSUMED_TOPIC, TestEvents.customerCreated(customer, "Scraped"))))
			.get();
		await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() != null && heldPartition() != null);

		String scraped = scrape();

		String partition = "\\{group=\"" + HELD_GROUP + "\",partition=\"0\",topic=\"" + Pattern.quote(HELD_TOPIC)
				+ "\"} ";
		for (String gauge : List.of("kafka_consumergroup_lag", "kafka_consumergroup_lag_seconds",
				"kafka_consumergroup_committed_offset", "kafka_consumergroup_log_end_offset",
				"kafka_consumergroup_last_commit_timestamp_seconds")) {
			assertThat(scraped).containsPattern(Pattern.compile("^# TYPE " + gauge + " gauge$", Pattern.MULTILINE))
				.containsPattern(Pattern.compile("^" + gauge + partition, Pattern.MULTILINE));
		}
		assertThat(scraped)
			.containsPattern(Pattern.compile("^# TYPE kafka_consumergroup_lag_measured_timestamp_seconds gauge$",
					Pattern.MULTILINE))
			.containsPattern(Pattern.compile("^# TYPE kafka_dead_letter_topic_records gauge$", Pattern.MULTILINE))
			.containsPattern(Pattern.compile(
					"^kafka_dead_letter_topic_records\\{topic=\"" + Pattern.quote(DEAD_LETTER_TOPIC) + "\"} ",
					Pattern.MULTILINE))
			.containsPattern(Pattern.compile("^# TYPE kafka_dead_letters_sent_total counter$", Pattern.MULTILINE))
			.containsPattern(Pattern.compile("^kafka_dead_letters_sent_total\\{cause=\"deterministic\",group=\""
					+ CONSUMED_GROUP + "\",topic=\"" + Pattern.quote(DEAD_LETTER_TOPIC) + "\"} ", Pattern.MULTILINE))
			.containsPattern(Pattern.compile("^# TYPE inbox_duplicates_total counter$", Pattern.MULTILINE))
			.containsPattern(
					Pattern.compile("^inbox_duplicates_total\\{consumer=\"eventing-test\"} ", Pattern.MULTILINE));
	}

	private void assertNeverNegative() {
		assertThat(this.lag.snapshot().partitions()).allSatisfy(partition -> {
			assertThat(partition.lag()).isNotNegative();
			assertThat(partition.lagSeconds()).isNotNegative();
		});
	}

	private PartitionLag heldPartition() {
		return this.lag.snapshot()
			.partitions()
			.stream()
			.filter(partition -> partition.group().equals(HELD_GROUP) && partition.topic().equals(HELD_TOPIC)
					&& partition.partition() == 0)
			.findFirst()
			.orElse(null);
	}

	private double gauge(String name) {
		return this.meters.get(name).tags("group", HELD_GROUP, "topic", HELD_TOPIC, "partition", "0").gauge().value();
	}

	private Double deadLettersSent(String cause) {
		Counter counter = this.meters.find(SentDeadLetters.METER)
			.tags("group", CONSUMED_GROUP, "topic", DEAD_LETTER_TOPIC, "cause", cause)
			.counter();
		return (counter != null) ? counter.count() : null;
	}

	private Double duplicates() {
		Counter counter = this.meters.find(Inbox.DUPLICATES).tag("consumer", "eventing-test").counter();
		return (counter != null) ? counter.count() : null;
	}

	private JsonNode heldPartitionJson() throws Exception {
		return endpoint().get("groups").get(HELD_GROUP).get(HELD_TOPIC).get("0");
	}

	private JsonNode endpoint() throws Exception {
		return JsonMapper.builder().build().readTree(get("/actuator/kafkalag"));
	}

	private String scrape() throws Exception {
		return get("/actuator/prometheus");
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
		return response.body();
	}

}
