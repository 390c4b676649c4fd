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

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.EventingTestApplication.ReceivedCustomers;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.TopicReader;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * A consumer of the test service gets poison, failing and duplicate records, and a registry outage.
 */
@SpringBootTest
@Import(EmbeddedInfrastructure.class)
class ConsumerErrorHandlingIntegrationTests {

	private static final String TOPIC = EventingTestApplication.CONSUMED_TOPIC;

	private static final RegistryProxy registry = new RegistryProxy(
			SharedInfrastructure.schemaRegistry().confluentApiUrl());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()), true);

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()), new StringSerializer(),
			new ByteArraySerializer());

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ReceivedCustomers receivedCustomers;

	@Autowired
	Environment environment;

	@DynamicPropertySource
	static void consumeThroughTheProxy(DynamicPropertyRegistry properties) {
		properties.add("test.consumer-registry-url", registry::url);
	}

	@AfterEach
	void closeProducer() {
		registry.setAvailable(true);
		this.producer.close();
	}

	@Test
	void sendsARecordWithoutMagicByteToTheDeadLetterTopicAndProcessesTheNext() throws Exception {
		String poisonKey = UUID.randomUUID().toString();
		String nextCustomer = UUID.randomUUID().toString();

		send(poisonKey, "{\"customer_id\": \"not avro\"}".getBytes(StandardCharsets.UTF_8));
		send(nextCustomer, this.serializer.serialize(TOPIC, TestEvents.customerCreated(nextCustomer, "Next")));

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(poisonKey);
		assertThat(deadLetter.value()).asString(StandardCharsets.UTF_8).isEqualTo("{\"customer_id\": \"not avro\"}");
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER))
			.isEqualTo("dev.subscriptions.eventing.serde.UndecodableRecordException");
		assertThat(header(deadLetter, "kafka_dlt-exception-stacktrace")).contains("not in Confluent's wire format");
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(TOPIC);
		await().atMost(Duration.ofSeconds(20)).until(() -> received(nextCustomer) == 1);
		assertThat(this.receivedCustomers.attempts(poisonKey)).isZero();
	}

	@Test
	void sendsARecordWithAnUnknownSchemaIdToTheDeadLetterTopicAtOnce() throws Exception {
		String key = UUID.randomUUID().toString();

		send(key, new byte[] { 0, 0x7f, 0x7f, 0x7f, 0x7e, 2, 'x' });

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(key);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).contains("HTTP 404", "40403");
		assertThat(header(deadLetter, "kafka_dlt-exception-stacktrace")).contains("Schema id 2139062142 is unknown");
	}

	@Test
	void retriesAFailingHandlerThenSendsTheRecordToTheDeadLetterTopic() throws Exception {
		String failing = UUID.randomUUID().toString();
		String next = UUID.randomUUID().toString();

		send(failing, this.serializer.serialize(TOPIC, TestEvents.customerCreated(failing, "fail")));
		send(next, this.serializer.serialize(TOPIC, TestEvents.customerCreated(next, "Next")));

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(failing);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER)).isEqualTo("java.lang.IllegalStateException");
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).isEqualTo("Refusing customer " + failing);
		assertThat(this.receivedCustomers.attempts(failing)).isEqualTo(3);
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

	@Test
	void waitsOutARegistryOutageWithoutDeadLettering() throws Exception {
		String customer = UUID.randomUUID().toString();
		byte[] written = writtenWithANewSchemaVersion(customer);

		registry.setAvailable(false);
		send(customer, written);
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> received(customer) == 0);
		registry.setAvailable(true);

		await().atMost(Duration.ofSeconds(20)).until(() -> received(customer) == 1);
		try (TopicReader reader = new TopicReader(TOPIC + ".DLT")) {
			await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
			assertThat(reader.poll()).extracting(ConsumerRecord::key).doesNotContain(customer);
		}
	}

	/**
	 * The database goes away under the consumer: connections refused (its login loses CONNECT) and the open ones
	 * killed. The record waits, is handled once the database is back, and never becomes a dead letter.
	 */
	@Test
	void waitsOutADatabaseOutageWithoutDeadLettering() throws Exception {
		String customer = UUID.randomUUID().toString();
		String database = this.environment.getRequiredProperty("spring.datasource.username");
		try (Connection admin = DriverManager.getConnection(this.environment.getRequiredProperty("spring.datasource.url"),
				database, this.environment.getRequiredProperty("spring.datasource.password"));
				Statement statement = admin.createStatement()) {
			statement.execute("revoke connect on database " + database + " from public, " + database);
			statement.execute("select pg_terminate_backend(pid) from pg_stat_activity "
					+ "where usename = current_user and pid <> pg_backend_pid()");
			try {
				send(customer, this.serializer.serialize(TOPIC, TestEvents.customerCreated(customer, "Outage")));
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
					try (ResultSet rows = statement
						.executeQuery("select count(*) from received_event where customer_id = '" + customer + "'")) {
						rows.next();
						return rows.getInt(1) == 0;
					}
				});
			}
			finally {
				statement.execute("grant connect on database " + database + " to public, " + database);
			}
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> received(customer) == 1);
		assertThat(this.receivedCustomers.attempts(customer)).isGreaterThanOrEqualTo(1);
		try (TopicReader reader = new TopicReader(TOPIC + ".DLT")) {
			await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
			assertThat(reader.poll()).extracting(ConsumerRecord::key).doesNotContain(customer);
		}
	}

	/** A record whose schema id the consumer has never seen: a newer, compatible version of CustomerCreated. */
	private byte[] writtenWithANewSchemaVersion(String customer) {
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
		newer.getFields().stream().filter(field -> field.name().startsWith("note_")).forEach(field -> record.put(field.name(), "n"));
		return this.serializer.serialize(TOPIC, record);
	}

	private void send(String key, byte[] value) throws Exception {
		this.producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
	}

	private int received(String customerId) {
		return this.jdbc.queryForObject("select count(*) from received_event where customer_id = ?", Integer.class,
				customerId);
	}

	private static ConsumerRecord<String, byte[]> deadLetter(String key) {
		try (TopicReader reader = new TopicReader(TOPIC + ".DLT")) {
			return await().atMost(Duration.ofSeconds(30))
				.until(() -> reader.poll().stream().filter(record -> key.equals(record.key())).findFirst().orElse(null),
						record -> record != null);
		}
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
