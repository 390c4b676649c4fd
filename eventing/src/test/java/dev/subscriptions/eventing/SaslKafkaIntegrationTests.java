package dev.subscriptions.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingTestApplication.HeldRecords;
import dev.subscriptions.eventing.lag.ConsumerGroupLag;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.PartitionLag;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.infrastructure.EmbeddedKafka;
import dev.subscriptions.infrastructure.KafkaSecurity;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The test service against a broker of its own whose client listener requires
 * SASL_PLAINTEXT with SCRAM-SHA-512, its credentials set through {@code spring.kafka.*}
 * alone: the relay, a listener, the dead-letter producer and the lag monitor work; a
 * client with wrong credentials is refused and writes nothing.
 * <p>
 * Not {@link dev.subscriptions.infrastructure.EmbeddedInfrastructure}: it registers the
 * shared PLAINTEXT broker as {@code spring.kafka.bootstrap-servers}, and its
 * {@code DynamicPropertyRegistrar} would win over any {@code @DynamicPropertySource} of
 * this class (registrar beans run later, and the last value registered for a name wins).
 * So this test takes a database and the registry from the shared infrastructure, and the
 * broker from its own bean.
 */
@SpringBootTest(properties = { "spring.kafka.security.protocol=SASL_PLAINTEXT",
		"spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
		"spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
				+ " username=\"" + SaslKafkaIntegrationTests.SERVICE_USER + "\" password=\""
				+ SaslKafkaIntegrationTests.SERVICE_PASSWORD + "\";",
		"eventing.lag.interval=300ms" })
@Import(SaslKafkaIntegrationTests.SaslInfrastructure.class)
@DirtiesContext
class SaslKafkaIntegrationTests {

	static final String SERVICE_USER = "svc";

	static final String SERVICE_PASSWORD = "svc-s3cret";

	private static final String CONSUMED_TOPIC = EventingTestApplication.CONSUMED_TOPIC;

	private static final String DEAD_LETTER_TOPIC = CONSUMED_TOPIC + ".DLT";

	private static final Duration REFUSAL = Duration.ofSeconds(10);

	@Autowired
	EmbeddedKafka broker;

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	HeldRecords held;

	@Autowired
	ConsumerGroupLag lag;

	@Test
	void relaysConsumesDeadLettersAndMeasuresLagWithTheCredentialsOfItsSettings() throws Exception {
		String customer = UUID.randomUUID().toString();
		this.transactions.executeWithoutResult(status -> this.outbox.append(CONSUMED_TOPIC, customer,
				TestEvents.customerCreated(customer, "Authenticated")));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc.queryForObject("select count(*) from received_event where customer_id = ?",
					Integer.class, customer) == 1);

		String poisonKey = UUID.randomUUID().toString();
		byte[] poison = ("{\"customer_id\": \"" + poisonKey + "\"}").getBytes(StandardCharsets.UTF_8);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client(SERVICE_USER, SERVICE_PASSWORD),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(CONSUMED_TOPIC, poisonKey, poison)).get(30, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(read(DEAD_LETTER_TOPIC)).anySatisfy(deadLetter -> {
				assertThat(deadLetter.key()).isEqualTo(poisonKey);
				assertThat(deadLetter.value()).isEqualTo(poison);
			}));

		this.held.hold();
		try {
			String waiting = UUID.randomUUID().toString();
			this.transactions.executeWithoutResult(status -> this.outbox.append(EventingTestApplication.HELD_TOPIC,
					waiting, TestEvents.customerCreated(waiting, "Held")));
			await().atMost(Duration.ofSeconds(60)).until(this.held::isWaiting);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				ConsumerGroupLag.Snapshot snapshot = this.lag.snapshot();
				assertThat(snapshot.failure()).isNull();
				assertThat(snapshot.partitions()).filteredOn(this::ofHeldGroup).singleElement().satisfies(partition -> {
					assertThat(partition.lag()).isEqualTo(1);
					assertThat(partition.lagSeconds()).isNotNaN();
				});
				assertThat(snapshot.deadLetterTopics()).hasEntrySatisfying(DEAD_LETTER_TOPIC,
						records -> assertThat(records).isPositive());
			});
		}
		finally {
			this.held.release();
		}
	}

	@Test
	void refusesAWrongPasswordOrAnUnknownUserAndTakesNothingFromThem() throws Exception {
		Map<TopicPartition, Long> before = endOffsets(CONSUMED_TOPIC);
		for (Map<String, Object> refused : List.of(client(SERVICE_USER, "wrong-password"),
				client("nobody", SERVICE_PASSWORD))) {
			try (Admin admin = Admin.create(refused)) {
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> admin.listTopics().names().get(REFUSAL.toMillis(), TimeUnit.MILLISECONDS))
					.withCauseInstanceOf(SaslAuthenticationException.class);
			}
			try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumer(refused),
					new StringDeserializer(), new ByteArrayDeserializer())) {
				consumer.assign(List.of(new TopicPartition(CONSUMED_TOPIC, 0)));
				consumer.seekToBeginning(List.of(new TopicPartition(CONSUMED_TOPIC, 0)));
				assertThatThrownBy(() -> consumer.poll(REFUSAL)).isInstanceOf(SaslAuthenticationException.class);
			}
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(refused, new StringSerializer(),
					new ByteArraySerializer())) {
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> producer.send(new ProducerRecord<>(CONSUMED_TOPIC, "refused", new byte[] { 1 }))
						.get(REFUSAL.toMillis(), TimeUnit.MILLISECONDS))
					.withCauseInstanceOf(SaslAuthenticationException.class);
			}
		}
		assertThat(endOffsets(CONSUMED_TOPIC)).isEqualTo(before);
	}

	private boolean ofHeldGroup(PartitionLag partition) {
		return partition.group().equals(EventingTestApplication.HELD_GROUP)
				&& partition.topic().equals(EventingTestApplication.HELD_TOPIC);
	}

	private Map<String, Object> client(String user, String password) {
		Map<String, Object> properties = new HashMap<>(KafkaSecurity.clientProperties(user, password));
		properties.put("bootstrap.servers", this.broker.bootstrapServers());
		properties.put("request.timeout.ms", 5000);
		properties.put("default.api.timeout.ms", 5000);
		properties.put("max.block.ms", 5000);
		return properties;
	}

	private static Map<String, Object> consumer(Map<String, Object> client) {
		Map<String, Object> properties = new HashMap<>(client);
		properties.remove("max.block.ms");
		properties.put("enable.auto.commit", false);
		return properties;
	}

	private List<ConsumerRecord<String, byte[]>> read(String topic) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				consumer(client(SERVICE_USER, SERVICE_PASSWORD)), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map(info -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
			return records;
		}
	}

	private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
		try (Admin admin = Admin.create(client(SERVICE_USER, SERVICE_PASSWORD))) {
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.forEach(
						partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
			Map<TopicPartition, Long> offsets = new HashMap<>();
			admin.listOffsets(latest)
				.all()
				.get(30, TimeUnit.SECONDS)
				.forEach((partition, info) -> offsets.put(partition, info.offset()));
			return offsets;
		}
	}

	/**
	 * A broker of this test context that knows the service's user and the broker's own,
	 * closed with the context; a database of its own on the shared PostgreSQL server; the
	 * shared registry.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SaslInfrastructure {

		@Bean(destroyMethod = "close")
		EmbeddedKafka saslBroker() {
			return EmbeddedKafka.start(0, 0, null,
					KafkaSecurity.scram("broker", Map.of("broker", "broker-s3cret", SERVICE_USER, SERVICE_PASSWORD)));
		}

		@Bean
		DynamicPropertyRegistrar saslInfrastructureProperties(EmbeddedKafka saslBroker) {
			return registry -> {
				String database = SharedInfrastructure.newDatabase("sasl");
				registry.add("spring.datasource.url", () -> SharedInfrastructure.postgresql().jdbcUrl(database));
				registry.add("spring.datasource.username", () -> database);
				registry.add("spring.datasource.password", () -> database);
				registry.add("spring.kafka.bootstrap-servers", saslBroker::bootstrapServers);
				registry.add("eventing.schema-registry.url",
						() -> SharedInfrastructure.schemaRegistry().confluentApiUrl());
			};
		}

	}

}
