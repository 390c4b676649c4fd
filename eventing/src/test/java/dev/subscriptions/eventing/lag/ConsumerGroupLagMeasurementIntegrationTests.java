package dev.subscriptions.eventing.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.consumer.SentDeadLetters;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.CommitTime;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.PartitionLag;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.Subscription;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The measurement of a group that a test commits for by hand, on the shared broker: lag
 * from the start of a partition it never committed, commit times from offset metadata and
 * from observation, and gauges that go when the group goes.
 */
class ConsumerGroupLagMeasurementIntegrationTests {

	private static final Duration AGE = Duration.ofMinutes(30);

	private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

	private final String topic = "eventing-test.measured-" + UUID.randomUUID();

	private final String group = "eventing-tests-measured-" + UUID.randomUUID();

	private final TopicPartition first = new TopicPartition(this.topic, 0);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicReference<List<Subscription>> subscriptions = new AtomicReference<>(
			List.of(new Subscription(this.group, Set.of(this.topic), null)));

	private ConsumerGroupLag lag;

	@BeforeEach
	void createTopicAndMeasure() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(this.topic, 2, (short) 1))).all().get();
		}
		Map<String, Object> clients = Map.of("bootstrap.servers", this.bootstrapServers);
		this.lag = new ConsumerGroupLag(() -> Admin.create(clients),
				() -> new KafkaConsumer<>(
						Map.of("bootstrap.servers", this.bootstrapServers, "isolation.level", "read_committed",
								"auto.offset.reset", "earliest"),
						new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				this.subscriptions::get, Set::of, new SentDeadLetters(this.meters), this.meters, Clock.systemUTC(),
				new ConsumerGroupLag.Settings(Duration.ofMillis(200), Duration.ofSeconds(5), ".DLT"));
		this.lag.start();
	}

	@AfterEach
	void stop() {
		this.lag.stop();
	}

	@Test
	void measuresFromTheStartUntilTheFirstCommitThenTakesTheCommitTimeFromMetadataOrFromObservation() throws Exception {
		Instant written = Instant.now().minus(AGE);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", this.bootstrapServers), new StringSerializer(), new StringSerializer())) {
			for (int i = 0; i < 3; i++) {
				producer.send(new ProducerRecord<>(this.topic, 0, written.toEpochMilli() + i * 1000L, "key", "v" + i))
					.get();
			}
		}

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			PartitionLag never = partition(0).orElseThrow();
			assertThat(never.committed()).isFalse();
			assertThat(never.committedOffset()).isZero();
			assertThat(never.lag()).isEqualTo(3);
			assertThat(never.lagSeconds()).isGreaterThanOrEqualTo(AGE.toSeconds());
			assertThat(never.lastCommitSource()).isEqualTo(CommitTime.NONE);
			assertThat(never.lastCommitTimestampSeconds()).isNaN();
			assertThat(partition(1).orElseThrow().lag()).isZero();
			assertThat(partition(1).orElseThrow().lagSeconds()).isZero();
		});

		Instant beforeToolCommit = Instant.now();
		commit(new OffsetAndMetadata(2));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			PartitionLag byTool = partition(0).orElseThrow();
			assertThat(byTool.committedOffset()).isEqualTo(2);
			assertThat(byTool.lag()).isEqualTo(1);
			assertThat(byTool.lagSeconds()).isGreaterThanOrEqualTo(AGE.minusSeconds(2).toSeconds())
				.isLessThan(AGE.toSeconds() + 60);
			assertThat(byTool.lastCommitSource()).isEqualTo(CommitTime.OBSERVED);
			assertThat(byTool.lastCommitAt()).isAfterOrEqualTo(beforeToolCommit.minusSeconds(1));
		});

		Instant committedAt = Instant.parse("2026-12-01T12:00:00.500Z");
		commit(new CommitTimestamps(Clock.fixed(committedAt, ZoneOffset.UTC)).provide(null, 3));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			PartitionLag byContainer = partition(0).orElseThrow();
			assertThat(byContainer.lag()).isZero();
			assertThat(byContainer.lagSeconds()).isZero();
			assertThat(byContainer.committedOffset()).isEqualTo(byContainer.logEndOffset()).isEqualTo(3);
			assertThat(byContainer.lastCommitSource()).isEqualTo(CommitTime.METADATA);
			assertThat(byContainer.lastCommitAt()).isEqualTo(committedAt);
			assertThat(this.meters.get(ConsumerGroupLag.LAST_COMMIT)
				.tags("group", this.group, "topic", this.topic, "partition", "0")
				.gauge()
				.value()).isEqualTo(committedAt.toEpochMilli() / 1000.0);
		});
	}

	@Test
	void removesTheGaugesOfAGroupNoLongerMeasured() {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.meters.find(ConsumerGroupLag.LAG).tag("group", this.group).gauges()).hasSize(2);
			assertThat(this.meters.find(ConsumerGroupLag.DEAD_LETTER_RECORDS)
				.tag("topic", this.topic + ".DLT")
				.gauge()
				.value()).isZero();
		});

		this.subscriptions.set(List.of());

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (String gauge : List.of(ConsumerGroupLag.LAG, ConsumerGroupLag.LAG_SECONDS, ConsumerGroupLag.COMMITTED,
					ConsumerGroupLag.LOG_END, ConsumerGroupLag.LAST_COMMIT)) {
				assertThat(this.meters.find(gauge).tag("group", this.group).gauges()).isEmpty();
			}
			assertThat(this.meters.find(ConsumerGroupLag.DEAD_LETTER_RECORDS).gauges()).isEmpty();
			assertThat(this.lag.snapshot().partitions()).isEmpty();
		});
	}

	private void commit(OffsetAndMetadata offset) {
		try (KafkaConsumer<byte[], byte[]> tool = new KafkaConsumer<>(
				Map.of("bootstrap.servers", this.bootstrapServers, "group.id", this.group), new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			tool.commitSync(Map.of(this.first, offset));
		}
	}

	private Optional<PartitionLag> partition(int partition) {
		return this.lag.snapshot()
			.partitions()
			.stream()
			.filter(lag -> lag.group().equals(this.group) && lag.topic().equals(this.topic)
					&& lag.partition() == partition)
			.findFirst();
	}

}
