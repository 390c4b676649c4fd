package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistrar;

import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.EventingTestApplication.ReceivedCustomers;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.consumer.RegistryProxy.Answer;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.eventing.serde.WireFormat;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * A consumer of the test service gets poison, failing and duplicate records, a registry
 * that cannot answer and a database outage.
 * <p>
 * A deterministically failing record is tried {@value #ATTEMPTS} times, with waits that
 * add up to more than 10 s (200 ms doubling to 1.5 s), so a dead letter written within a
 * few seconds of its record was not retried.
 */
@SpringBootTest(properties = { "eventing.consumer.attempts=" + ConsumerErrorHandlingIntegrationTests.ATTEMPTS,
		"eventing.consumer.initial-interval=200ms", "eventing.consumer.max-interval=1500ms",
		"eventing.consumer.stuck-warning=2s", "eventing.consumer.stuck-down=4s",
		"spring.datasource.hikari.connection-timeout=2000" })
@Import({ EmbeddedInfrastructure.class, ConsumerErrorHandlingIntegrationTests.ThroughRegistryProxy.class })
@ExtendWith(OutputCaptureExtension.class)
class ConsumerErrorHandlingIntegrationTests {

	static final int ATTEMPTS = 10;

	private static final Duration AT_ONCE = Duration.ofSeconds(5);

	private static final String TOPIC = EventingTestApplication.CONSUMED_TOPIC;

	private static final String GROUP = "eventing-tests";

	private final String bootstrapServers;

	private final ConfluentAvroSerializer serializer;

	private final KafkaProducer<String, byte[]> producer;

	@Autowired
	RegistryProxy registry;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ReceivedCustomers receivedCustomers;

	@Autowired
	Environment environment;

	@Autowired
	MeterRegistry meters;

	@Autowired
	InFlightRecordsHealthIndicator health;

	ConsumerErrorHandlingIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.serializer = new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(registryUrl), true);
		this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
				new ByteArraySerializer());
	}

	@AfterEach
	void closeProducer() {
		this.registry.answer(Answer.FORWARD);
		this.producer.close();
	}

	@Test
	void sendsARecordWithoutMagicByteToTheDeadLetterTopicAtOnceAndProcessesTheNext() throws Exception {
		String poisonKey = UUID.randomUUID().toString();
		String nextCustomer = UUID.randomUUID().toString();
		byte[] poison = ("{\"customer_id\": \"" + poisonKey + "\"}").getBytes(StandardCharsets.UTF_8);
		double poisonBefore = failures("poison");

		RecordMetadata sent = send(poisonKey, poison);
		send(nextCustomer, this.serializer.serialize(TOPIC, TestEvents.customerCreated(nextCustomer, "Next")));

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(TOPIC, poisonKey);
		assertThat(Duration.ofMillis(deadLetter.timestamp() - sent.timestamp())).isLessThan(AT_ONCE);
		assertThat(deadLetter.value()).isEqualTo(poison);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER))
			.isEqualTo("dev.subscriptions.eventing.serde.UndecodableRecordException");
		assertThat(header(deadLetter, "kafka_dlt-exception-stacktrace")).contains("not in Confluent's wire format");
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(TOPIC);
		await().atMost(Duration.ofSeconds(20)).until(() -> received(nextCustomer) == 1);
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(3))
			.until(() -> failures("poison") == poisonBefore + 1);
	}

	@Test
	void sendsARecordWithAnUnknownSchemaIdToTheDeadLetterTopicAtOnce() throws Exception {
		String key = UUID.randomUUID().toString();
		double poisonBefore = failures("poison");

		RecordMetadata sent = send(key, new byte[] { 0, 0x7f, 0x7f, 0x7f, 0x7e, 2, 'x' });

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(TOPIC, key);
		assertThat(Duration.ofMillis(deadLetter.timestamp() - sent.timestamp())).isLessThan(AT_ONCE);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).contains("HTTP 404", "40403");
		assertThat(header(deadLetter, "kafka_dlt-exception-stacktrace")).contains("Schema id 2139062142 is unknown");
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(3))
			.until(() -> failures("poison") == poisonBefore + 1);
	}

	@Test
	void retriesAFailingHandlerThenSendsTheRecordToTheDeadLetterTopic() throws Exception {
		String failing = UUID.randomUUID().toString();
		String next = UUID.randomUUID().toString();

		send(failing, this.serializer.serialize(TOPIC, TestEvents.customerCreated(failing, "fail")));
		send(next, this.serializer.serialize(TOPIC, TestEvents.customerCreated(next, "Next")));

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(TOPIC, failing);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER))
			.isEqualTo("java.lang.IllegalStateException");
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).isEqualTo("Refusing customer " + failing);
		assertThat(this.receivedCustomers.attempts(failing)).isEqualTo(ATTEMPTS);
		await().atMost(Duration.ofSeconds(20)).until(() -> received(next) == 1);
	}

	/**
	 * A statement timeout (SQLSTATE 57014) is a {@code QueryTimeoutException}, a
	 * transient data access exception to Spring; it repeats all the same, so it is
	 * dead-lettered after the bounded attempts, and the next record of the key is
	 * handled.
	 */
	@Test
	void deadLettersAStatementTimeoutAfterTheBoundedAttemptsAndHandlesTheNextRecordOfTheKey() throws Exception {
		String key = UUID.randomUUID().toString();
		String next = UUID.randomUUID().toString();

		RecordMetadata failing = send(key,
				this.serializer.serialize(TOPIC, TestEvents.customerCreated(key, "fail-sql")));
		RecordMetadata following = send(key,
				this.serializer.serialize(TOPIC, TestEvents.customerCreated(next, "Next")));

		assertThat(following.partition()).isEqualTo(failing.partition());
		ConsumerRecord<String, byte[]> deadLetter = deadLetter(TOPIC, key);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER))
			.contains("canceling statement due to statement timeout");
		assertThat(header(deadLetter, "kafka_dlt-exception-cause-fqcn"))
			.isEqualTo("org.springframework.dao.QueryTimeoutException");
		assertThat(this.receivedCustomers.attempts(key)).isEqualTo(ATTEMPTS);
		await().atMost(Duration.ofSeconds(20)).until(() -> received(next) == 1);
	}

	@Test
	void handlesADuplicateDeliveryOnce() throws Exception {
		String customer = UUID.randomUUID().toString();
		byte[] event = this.serializer.serialize(TOPIC, TestEvents.customerCreated(customer, "Twice"));
		String marker = UUID.randomUUID().toString();

		send(customer, event);
		send(customer, event);
		send(customer, this.serializer.serialize(TOPIC, TestEvents.customerCreated(marker, "Marker")));

		await().atMost(Duration.ofSeconds(20)).until(() -> received(marker) == 1);
		assertThat(this.receivedCustomers.attempts(customer)).isEqualTo(2);
		assertThat(received(customer)).isEqualTo(1);
	}

	/**
	 * The registry does not give the writer's schema of a new version: it wants
	 * credentials, is down, answers a 404 that is not "schema not found", or something in
	 * front of it answers with an HTML page. The consumer keeps asking, dead-letters
	 * nothing, and handles the record once the registry answers.
	 */
	@ParameterizedTest
	@EnumSource(value = Answer.class, names = "FORWARD", mode = EnumSource.Mode.EXCLUDE)
	void waitsOutARegistryThatCannotAnswerWithoutDeadLettering(Answer answer) throws Exception {
		String customer = UUID.randomUUID().toString();
		byte[] written = writtenWithANewSchemaVersion(TOPIC, customer);

		this.registry.answer(answer);
		long requestsBefore = this.registry.requests();
		send(customer, written);
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> received(customer) == 0);
		assertThat(this.registry.requests() - requestsBefore).isGreaterThanOrEqualTo(2);
		this.registry.answer(Answer.FORWARD);

		await().atMost(Duration.ofSeconds(20)).until(() -> received(customer) == 1);
		assertNoDeadLetter(TOPIC, customer);
		assertThat(this.receivedCustomers.attempts(customer)).isEqualTo(1);
	}

	/**
	 * The database goes away under the consumer: connections refused (its login loses
	 * CONNECT) and the open ones killed. The record waits, shows in the gauge, the log
	 * and the health, is handled once the database is back, and never becomes a dead
	 * letter; gauge and health recover.
	 */
	@Test
	void waitsOutADatabaseOutageWithoutDeadLetteringAndShowsTheStuckRecordMeanwhile(CapturedOutput output)
			throws Exception {
		String customer = UUID.randomUUID().toString();
		String database = this.environment.getRequiredProperty("spring.datasource.username");
		RecordMetadata sent;
		try (Connection admin = DriverManager.getConnection(
				this.environment.getRequiredProperty("spring.datasource.url"), database,
				this.environment.getRequiredProperty("spring.datasource.password"));
				Statement statement = admin.createStatement()) {
			statement.execute("revoke connect on database " + database + " from public, " + database);
			statement.execute("select pg_terminate_backend(pid) from pg_stat_activity "
					+ "where usename = current_user and pid <> pg_backend_pid()");
			try {
				sent = send(customer, this.serializer.serialize(TOPIC, TestEvents.customerCreated(customer, "Outage")));
				String record = TOPIC + "-" + sent.partition() + "@" + sent.offset();
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
					assertThat(oldestInFlightSeconds()).isGreaterThan(4);
					Health health = this.health.health();
					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat(health.getDetails().get("records")).asString().contains(record);
				});
				assertThat(output.getOut()).containsPattern("WARN .*Record " + TOPIC + "-" + sent.partition() + "@"
						+ sent.offset() + " of consumer group " + GROUP + " in flight for PT\\d+S after \\d+ failed");
				try (ResultSet rows = statement
					.executeQuery("select count(*) from received_event where customer_id = '" + customer + "'")) {
					rows.next();
					assertThat(rows.getInt(1)).isZero();
				}
			}
			finally {
				statement.execute("grant connect on database " + database + " to public, " + database);
			}
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> received(customer) == 1);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(oldestInFlightSeconds()).isZero();
			assertThat(this.health.health().getStatus()).isEqualTo(Status.UP);
		});
		assertNoDeadLetter(TOPIC, customer);
	}

	/**
	 * A record written with a newer schema than the consumer's (one more field) fails in
	 * its handler. Its dead letter holds the bytes as they were produced, not the record
	 * encoded again with the consumer's schema. Once the handler is fixed, replaying the
	 * dead-letter topic handles it once; replaying again with the same group sends
	 * nothing, and with another group (someone replays twice) it is delivered again and
	 * has no second effect.
	 */
	@Test
	void keepsTheOriginalBytesOfAFailedRecordAndReplaysItWithOneEffect() throws Exception {
		String topic = EventingTestApplication.REPLAYED_TOPIC;
		String deadLetters = topic + ".DLT";
		String customer = UUID.randomUUID().toString();
		byte[] written = writtenWithANewSchemaVersion(topic, customer);
		this.receivedCustomers.refuse(customer);

		this.producer.send(new ProducerRecord<>(topic, customer, written)).get();

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(topic, customer);
		assertThat(deadLetter.value()).isEqualTo(written);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER))
			.isEqualTo("Refusing customer " + customer);
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(topic);
		assertThat(deadLetter.headers().lastHeader(WireFormat.ORIGINAL_VALUE_HEADER)).isNull();
		assertThat(this.receivedCustomers.attempts(customer)).isEqualTo(ATTEMPTS);

		this.receivedCustomers.accept(customer);
		DeadLetterReplayer replayer = replayer("replay-" + UUID.randomUUID());
		assertThat(replayer.replay(deadLetters, null)).isEqualTo(Map.of(topic, 1));
		await().atMost(Duration.ofSeconds(20)).until(() -> received(customer) == 1);
		assertThat(this.receivedCustomers.attempts(customer)).isEqualTo(ATTEMPTS + 1);

		assertThat(replayer.replay(deadLetters, null)).isEmpty();
		assertThat(replayer("replay-again-" + UUID.randomUUID()).replay(deadLetters, null)).isEqualTo(Map.of(topic, 1));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.receivedCustomers.attempts(customer) == ATTEMPTS + 2);
		assertThat(received(customer)).isEqualTo(1);
		assertDeadLetterCount(topic, customer, 1);
	}

	/**
	 * A record whose schema id the consumer has never seen: a newer, compatible version
	 * of CustomerCreated.
	 */
	private byte[] writtenWithANewSchemaVersion(String topic, String customer) {
		Schema current = CustomerCreated.getClassSchema();
		List<Schema.Field> fields = new ArrayList<>();
		current.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
		fields.add(new Schema.Field("note_" + UUID.randomUUID().toString().replace("-", ""),
				Schema.create(Schema.Type.STRING), null, ""));
		Schema newer = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
		CustomerCreated event = TestEvents.customerCreated(customer, "Registry came back");
		GenericRecord record = new GenericData.Record(newer);
		for (Schema.Field field : current.getFields()) {
			Object value = event.get(field.pos());
			record.put(field.name(), (value instanceof java.time.Instant instant) ? instant.toEpochMilli() : value);
		}
		newer.getFields()
			.stream()
			.filter(field -> field.name().startsWith("note_"))
			.forEach(field -> record.put(field.name(), "n"));
		return this.serializer.serialize(topic, record);
	}

	private RecordMetadata send(String key, byte[] value) throws Exception {
		return this.producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
	}

	private int received(String customerId) {
		return this.jdbc.queryForObject("select count(*) from received_event where customer_id = ?", Integer.class,
				customerId);
	}

	private double failures(String kind) {
		Counter counter = this.meters.find(InFlightRecords.FAILURES_COUNTER)
			.tag("group", GROUP)
			.tag("failure", kind)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double oldestInFlightSeconds() {
		return this.meters.get(InFlightRecords.AGE_GAUGE).tag("group", GROUP).gauge().value();
	}

	private DeadLetterReplayer replayer(String group) {
		return new DeadLetterReplayer(Map.of("bootstrap.servers", this.bootstrapServers), group);
	}

	private ConsumerRecord<String, byte[]> deadLetter(String topic, String key) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> deadLetters(topic).stream()
				.filter(record -> key.equals(record.key()))
				.findFirst()
				.orElse(null), record -> record != null);
	}

	private void assertNoDeadLetter(String topic, String key) {
		assertDeadLetterCount(topic, key, 0);
	}

	private void assertDeadLetterCount(String topic, String key, int expected) {
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> deadLetters(topic).stream().filter(record -> key.equals(record.key())).count() == expected);
	}

	private List<ConsumerRecord<String, byte[]>> deadLetters(String topic) {
		return TopicContents.read(this.bootstrapServers, topic + ".DLT");
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	/**
	 * The consumers of the test service ask the registry through a {@link RegistryProxy}
	 * in front of the registry of the context's infrastructure.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class ThroughRegistryProxy {

		@Bean
		RegistryProxy registryProxy(Environment environment) {
			return new RegistryProxy(() -> environment.getRequiredProperty("eventing.schema-registry.url"));
		}

		@Bean
		DynamicPropertyRegistrar consumeThroughTheProxy(RegistryProxy proxy) {
			return properties -> properties.add("spring.kafka.consumer.properties.schema.registry.url", proxy::url);
		}

	}

}
