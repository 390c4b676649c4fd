package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * A batch listener ({@link BatchHandling}, the factory
 * {@link EventingBatchListeners#FACTORY}) gets polls with poison, failing, duplicate,
 * empty and unknown records, one key twice, and an outage. Each test writes its records
 * in one producer batch, so that they reach the listener in one poll.
 */
@SpringBootTest
@Import({ EmbeddedInfrastructure.class, BatchHandlingIntegrationTests.BatchListenerConfiguration.class })
class BatchHandlingIntegrationTests {

	static final String TOPIC = "eventing-test.batches";

	static final String GROUP = "eventing-tests-batch";

	static final String CONSUMER = "eventing-test-batch";

	/** {@code eventing.consumer.attempts} of the test service. */
	private static final int ATTEMPTS = 3;

	private final String bootstrapServers;

	private final ConfluentAvroSerializer serializer;

	private final KafkaProducer<String, byte[]> producer;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	BatchCustomers listener;

	BatchHandlingIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.serializer = new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(registryUrl), true);
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 1000,
						ProducerConfig.BATCH_SIZE_CONFIG, 1_000_000),
				new StringSerializer(), new ByteArraySerializer());
	}

	@AfterEach
	void closeProducer() {
		this.listener.endOutage();
		this.producer.close();
	}

	@Test
	void handlesThePrefixOfAPollDeadLettersAPoisonRecordAtOnceAndHandlesTheRest() throws Exception {
		String before = UUID.randomUUID().toString();
		String poison = UUID.randomUUID().toString();
		String after = UUID.randomUUID().toString();
		byte[] poisonBytes = ("{\"customer_id\": \"" + poison + "\"}").getBytes(StandardCharsets.UTF_8);
		double poisonBefore = failures("poison");

		sendInOneBatch(created(before, "Before"), new Raw(poison, poisonBytes), created(after, "After"));

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(poison);
		assertThat(deadLetter.value()).isEqualTo(poisonBytes);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER))
			.isEqualTo("dev.subscriptions.eventing.serde.UndecodableRecordException");
		await().atMost(Duration.ofSeconds(20)).until(() -> received(after) == 1);
		assertThat(received(before)).isEqualTo(1);
		assertThat(failures("poison")).isEqualTo(poisonBefore + 1);
		assertThat(this.listener.attempts(before)).isEqualTo(1);
	}

	@Test
	void retriesAFailingRecordAloneTheBoundedAttemptsThenDeadLettersItAndCommitsTheOthersOnce() throws Exception {
		String first = UUID.randomUUID().toString();
		String failing = UUID.randomUUID().toString();
		String last = UUID.randomUUID().toString();
		double deterministicBefore = failures("deterministic");

		sendInOneBatch(created(first, "First"), created(failing, "fail"), created(last, "Last"));

		ConsumerRecord<String, byte[]> deadLetter = deadLetter(failing);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER))
			.isEqualTo(IllegalStateException.class.getName());
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).isEqualTo("Refusing customer " + failing);
		assertThat(header(deadLetter, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
		await().atMost(Duration.ofSeconds(20)).until(() -> received(last) == 1);
		assertThat(received(first)).isEqualTo(1);
		assertThat(received(failing)).isZero();
		assertThat(failures("deterministic")).isEqualTo(deterministicBefore + ATTEMPTS);
		assertThat(this.listener.singleAttempts(failing)).isEqualTo(ATTEMPTS);
		assertDeadLetterCount(first, 0);
		assertDeadLetterCount(last, 0);
	}

	@Test
	void waitsOutAnOutageWithoutCommittingOrDeadLetteringAndHandlesTheBatchOnceItEnds() throws Exception {
		String first = UUID.randomUUID().toString();
		String failing = UUID.randomUUID().toString();
		String last = UUID.randomUUID().toString();
		double outagesBefore = failures("outage");
		this.listener.startOutage();

		sendInOneBatch(created(first, "First"), created(failing, "outage"), created(last, "Last"));

		await().atMost(Duration.ofSeconds(20)).until(() -> failures("outage") >= outagesBefore + 3);
		await().atMost(Duration.ofSeconds(20)).until(() -> oldestInFlightSeconds() > 0);
		assertThat(received(first)).isZero();
		assertThat(received(last)).isZero();
		this.listener.endOutage();

		await().atMost(Duration.ofSeconds(20)).until(() -> received(last) == 1);
		assertThat(received(first)).isEqualTo(1);
		assertThat(received(failing)).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> oldestInFlightSeconds() == 0);
		assertDeadLetterCount(failing, 0);
	}

	@Test
	void handlesAnEventDeliveredTwiceInOneBatchAndAgainInALaterOneOnceAndCountsTheDuplicates() throws Exception {
		String customer = UUID.randomUUID().toString();
		String other = UUID.randomUUID().toString();
		String marker = UUID.randomUUID().toString();
		byte[] twice = this.serializer.serialize(TOPIC, TestEvents.customerCreated(customer, "Twice"));
		double duplicatesBefore = duplicates();

		sendInOneBatch(new Raw(customer, twice), created(other, "Other"), new Raw(other + "-again", twice));
		await().atMost(Duration.ofSeconds(20)).until(() -> received(other) == 1);
		sendInOneBatch(new Raw(customer, twice), created(marker, "Marker"));

		await().atMost(Duration.ofSeconds(20)).until(() -> received(marker) == 1);
		assertThat(received(customer)).isEqualTo(1);
		assertThat(duplicates()).isEqualTo(duplicatesBefore + 2);
	}

	@Test
	void countsRecordsWithoutValueAndOfTypesNeitherHandledNorIgnored() throws Exception {
		String tombstone = UUID.randomUUID().toString();
		String unknown = UUID.randomUUID().toString();
		String ignored = UUID.randomUUID().toString();
		String marker = UUID.randomUUID().toString();
		String unknownType = CustomerRevocationCompleted.getClassSchema().getFullName();
		double tombstonesBefore = unhandled(UnhandledRecords.TOMBSTONE);
		double unknownBefore = unhandled(unknownType);
		double ignoredBefore = unhandled(CustomerDeleted.getClassSchema().getFullName());

		sendInOneBatch(new Raw(tombstone, null),
				new Event(unknown, TestEvents.customer(unknown).revocationCompleted().build()),
				new Event(ignored, TestEvents.customerDeleted(ignored)), created(marker, "Marker"));

		await().atMost(Duration.ofSeconds(20)).until(() -> received(marker) == 1);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> unhandled(UnhandledRecords.TOMBSTONE) == tombstonesBefore + 1);
		assertThat(unhandled(unknownType)).isEqualTo(unknownBefore + 1);
		assertThat(unhandled(CustomerDeleted.getClassSchema().getFullName())).isEqualTo(ignoredBefore);
	}

	@Test
	void appliesTheEventsOfOneKeyInOneBatchInOrderInSuccessiveWaves() throws Exception {
		String customer = UUID.randomUUID().toString();
		String other = UUID.randomUUID().toString();
		String third = UUID.randomUUID().toString();

		sendInOneBatch(created(customer, "First"), created(other, "Other"), created(customer, "Second"),
				created(third, "Third"), created(customer, "Last"));

		await().atMost(Duration.ofSeconds(20)).until(() -> received(customer) == 3);
		assertThat(this.jdbc.queryForList("select name from received_event where customer_id = ? order by id",
				String.class, customer))
			.containsExactly("First", "Second", "Last");
		assertThat(this.listener.calls()).containsSubsequence(
				List.of(customer + ":First", other + ":Other", third + ":Third"), List.of(customer + ":Second"),
				List.of(customer + ":Last"));
	}

	private Event created(String customer, String name) {
		return new Event(customer, TestEvents.customerCreated(customer, name));
	}

	/** Sends {@code records} in one producer batch, which one poll returns whole. */
	private void sendInOneBatch(Object... records) throws Exception {
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (Object record : records) {
			if (record instanceof Event event) {
				sent.add(this.producer
					.send(new ProducerRecord<>(TOPIC, event.key(), this.serializer.serialize(TOPIC, event.event()))));
			}
			else if (record instanceof Raw raw) {
				sent.add(this.producer.send(new ProducerRecord<>(TOPIC, raw.key(), raw.value())));
			}
		}
		this.producer.flush();
		for (Future<RecordMetadata> future : sent) {
			future.get();
		}
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

	private double duplicates() {
		Counter counter = this.meters.find(Inbox.DUPLICATES).tag("consumer", CONSUMER).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double unhandled(String type) {
		Counter counter = this.meters.find(UnhandledRecords.METER)
			.tag("group", CONSUMER)
			.tag("topic", TOPIC)
			.tag("type", type)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double oldestInFlightSeconds() {
		return this.meters.get(InFlightRecords.AGE_GAUGE).tag("group", GROUP).gauge().value();
	}

	private ConsumerRecord<String, byte[]> deadLetter(String key) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> deadLetters().stream().filter(record -> key.equals(record.key())).findFirst().orElse(null),
					record -> record != null);
	}

	private void assertDeadLetterCount(String key, int expected) {
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> deadLetters().stream().filter(record -> key.equals(record.key())).count() == expected);
	}

	private List<ConsumerRecord<String, byte[]>> deadLetters() {
		return TopicContents.read(this.bootstrapServers, TOPIC + ".DLT");
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private record Event(String key, SpecificRecord event) {
	}

	private record Raw(String key, byte @Nullable [] value) {
	}

	/**
	 * A batch listener as the services write them: CustomerCreated is handled (refused
	 * for those named "fail", an outage for those named "outage" while one lasts),
	 * CustomerDeleted ignored, anything else counted.
	 */
	static class BatchCustomers implements CoveredBatchListener {

		private final BatchHandling batches;

		private final JdbcTemplate jdbc;

		private final List<List<String>> calls = new CopyOnWriteArrayList<>();

		private final List<String> attempts = new CopyOnWriteArrayList<>();

		private final List<String> singleAttempts = new CopyOnWriteArrayList<>();

		private volatile boolean outage;

		private final BatchDispatcher dispatcher = BatchDispatcher.forConsumer(CONSUMER)
			.on(CustomerCreated.class, created -> UUID.fromString(created.getEventId()), this::created)
			// Nothing to do on a deletion in these tests: ignored, so not counted either.
			.ignore(CustomerDeleted.class)
			.build();

		BatchCustomers(BatchHandling batches, JdbcTemplate jdbc) {
			this.batches = batches;
			this.jdbc = jdbc;
		}

		@KafkaListener(topics = TOPIC, groupId = GROUP, containerFactory = EventingBatchListeners.FACTORY,
				batch = "true")
		void on(List<ConsumerRecord<String, Object>> records) {
			this.batches.handle(records, this.dispatcher);
		}

		@Override
		public BatchDispatcher dispatcher() {
			return this.dispatcher;
		}

		private void created(List<Delivery<CustomerCreated>> deliveries) {
			this.calls
				.add(deliveries.stream().map(delivery -> delivery.key() + ":" + delivery.event().getName()).toList());
			for (Delivery<CustomerCreated> delivery : deliveries) {
				String customer = delivery.event().getCustomerId();
				this.attempts.add(customer);
				if (deliveries.size() == 1) {
					this.singleAttempts.add(customer);
				}
				if ("fail".equals(delivery.event().getName())) {
					throw new IllegalStateException("Refusing customer " + customer);
				}
				if (this.outage && "outage".equals(delivery.event().getName())) {
					throw new TransientDataAccessResourceException("The database is away");
				}
			}
			this.jdbc.batchUpdate("insert into received_event (event_id, customer_id, name) values (?, ?, ?)",
					deliveries.stream()
						.map(delivery -> new Object[] { delivery.eventId(), delivery.event().getCustomerId(),
								delivery.event().getName() })
						.toList());
		}

		List<List<String>> calls() {
			return List.copyOf(this.calls);
		}

		long attempts(String customer) {
			return this.attempts.stream().filter(customer::equals).count();
		}

		long singleAttempts(String customer) {
			return this.singleAttempts.stream().filter(customer::equals).count();
		}

		void startOutage() {
			this.outage = true;
		}

		void endOutage() {
			this.outage = false;
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class BatchListenerConfiguration {

		@Bean
		BatchCustomers batchCustomers(BatchHandling batches, JdbcTemplate jdbc) {
			return new BatchCustomers(batches, jdbc);
		}

		@Bean
		NewTopic batchesTopic() {
			return TopicBuilder.name(TOPIC).partitions(1).build();
		}

		@Bean
		NewTopic batchesDeadLetterTopic() {
			return TopicBuilder.name(TOPIC + ".DLT").partitions(1).build();
		}

	}

}
