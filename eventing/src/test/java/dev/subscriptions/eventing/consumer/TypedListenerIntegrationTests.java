package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.EventingTestApplication.CustomerEvents;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * A class-level listener of a {@link Topic}, started with eventing's consumer defaults
 * only (the test service sets no deserializer), after {@link ListenerCoverage} found it
 * complete: each record reaches the handler of its generated class; a type it has no
 * handler for, and a record without value (a tombstone of the compacted topic), is
 * counted and skipped.
 */
@SpringBootTest
@Import(EmbeddedInfrastructure.class)
class TypedListenerIntegrationTests {

	private static final String TOPIC = Topic.Names.CUSTOMER_EVENTS;

	private final String bootstrapServers;

	private final ConfluentAvroSerializer serializer;

	private final KafkaProducer<String, byte[]> producer;

	@Autowired
	CustomerEvents listener;

	@Autowired
	MeterRegistry meters;

	TypedListenerIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.serializer = new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(registryUrl), true);
		this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
				new ByteArraySerializer());
	}

	@AfterEach
	void closeProducer() {
		this.producer.close();
	}

	@Test
	void handsEachRecordToTheHandlerOfItsGeneratedClass() {
		CustomerFixture customer = CustomerFixture.random();
		CustomerCreated created = customer.created().build();
		CustomerDeleted deleted = customer.deleted().build();

		send(customer.customerId().toString(), created);
		send(customer.customerId().toString(), deleted);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.listener.handled()).containsSubsequence(created, deleted));
	}

	@Test
	void countsAndSkipsARecordOfATypeWithoutHandler() {
		Schema schema = SchemaBuilder.record("NotACustomerEvent")
			.namespace("dev.subscriptions.eventing.test")
			.fields()
			.requiredString("id")
			.endRecord();
		GenericRecord unknown = new GenericData.Record(schema);
		unknown.put("id", "unknown-1");
		CustomerFixture customer = CustomerFixture.random();
		CustomerCreated next = customer.created().build();

		send("unknown-1", unknown);
		send(customer.customerId().toString(), next);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.listener.handled()).contains(next));
		assertThat(unhandled("dev.subscriptions.eventing.test.NotACustomerEvent")).isEqualTo(1);
	}

	@Test
	void countsAndSkipsARecordWithoutValueWithoutDeadLetteringIt() {
		String tombstoneKey = "tombstone-" + UUID.randomUUID();
		CustomerFixture customer = CustomerFixture.random();
		CustomerCreated next = customer.created().build();
		double before = unhandled(UnhandledRecords.TOMBSTONE);

		send(tombstoneKey, null);
		send(customer.customerId().toString(), next);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.listener.handled()).contains(next));
		assertThat(unhandled(UnhandledRecords.TOMBSTONE)).isEqualTo(before + 1);
		assertThat(TopicContents.read(this.bootstrapServers, TOPIC + DeadLetters.DEFAULT_SUFFIX))
			.extracting(ConsumerRecord::key)
			.doesNotContain(tombstoneKey);
	}

	private double unhandled(String type) {
		Counter counter = this.meters.find(UnhandledRecords.METER)
			.tags("group", EventingTestApplication.TYPED_GROUP, "topic", TOPIC, "type", type)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void send(String key, @Nullable Object value) {
		byte[] bytes = (value != null) ? this.serializer.serialize(TOPIC, value) : null;
		try {
			this.producer.send(new ProducerRecord<>(TOPIC, key, bytes)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
