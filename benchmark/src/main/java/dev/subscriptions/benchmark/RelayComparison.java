package dev.subscriptions.benchmark;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.subscriptions.eventing.EventingAutoConfiguration;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerDeleted;

/**
 * The outbox relay of a running service against a raw {@link KafkaProducer}, on the same
 * broker, with the same records and the same producer settings
 * ({@link EventingAutoConfiguration#relayProducerProperties}).
 * <p>
 * The relay's rows are written straight into customer-service's {@code outbox} table in
 * one transaction, as another instance of the service would; the running relay finds them
 * by its fallback poll and publishes them to a topic of this run only. Both rates are
 * taken from the records' timestamps on the topic (first to last), so neither includes
 * the wait before the relay's poll. The topics take the broker's append time as the
 * records' timestamp ({@code message.timestamp.type=LogAppendTime}): a producer's own
 * timestamp is the time of its {@code send()}, which for a raw producer filling its
 * buffer in memory says nothing about delivery. The raw records carry the relay's two
 * headers. Each round has a new topic, primed before it is timed
 * ({@link BenchmarkTopics}).
 */
final class RelayComparison implements AutoCloseable {

	private static final Map<String, String> LOG_APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");

	private final String bootstrapServers;

	private final BenchmarkTopics topics;

	private final Database outboxDatabase;

	private final List<String> keys = new ArrayList<>();

	private final List<byte[]> payloads = new ArrayList<>();

	RelayComparison(String bootstrapServers, String registryUrl, Database outboxDatabase, int events) {
		this.bootstrapServers = bootstrapServers;
		this.topics = new BenchmarkTopics(bootstrapServers);
		this.outboxDatabase = outboxDatabase;
		ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(registryUrl),
				false);
		Instant now = Instant.now();
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			customers.add(UUID.randomUUID().toString());
		}
		for (int i = 0; i < events; i++) {
			String customer = customers.get(i % customers.size());
			CustomerDeleted event = CustomerDeleted.newBuilder()
				.setEventId(UUID.randomUUID().toString())
				.setOccurredAt(now)
				.setOrganizationId(UUID.randomUUID().toString())
				.setCustomerId(customer)
				.setDeletedAt(now)
				.build();
			this.keys.add(customer);
			this.payloads.add(serializer.serialize("customer.events", event));
		}
	}

	/** Events per second of one relay round. */
	double relay() throws Exception {
		String topic = this.topics.create("relay", LOG_APPEND_TIME);
		try (Connection connection = this.outboxDatabase.connect();
				PreparedStatement insert = connection.prepareStatement("""
						insert into outbox (id, aggregatetype, aggregateid, type, payload, topic, headers)
						values (?, 'customer', ?, 'CustomerDeleted', ?, ?, ?::jsonb)""")) {
			connection.setAutoCommit(false);
			for (int i = 0; i < this.payloads.size(); i++) {
				UUID id = UUID.randomUUID();
				insert.setObject(1, id);
				insert.setString(2, this.keys.get(i));
				insert.setBytes(3, this.payloads.get(i));
				insert.setString(4, topic);
				insert.setString(5, "{\"event_type\":\"CustomerDeleted\",\"event_id\":\"" + id + "\"}");
				insert.addBatch();
			}
			insert.executeBatch();
			connection.commit();
		}
		return rate(topic);
	}

	/** Events per second of one raw producer round. */
	double raw() throws Exception {
		String topic = this.topics.create("raw", LOG_APPEND_TIME);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				this.topics.relayProducerProperties("benchmark-raw"), new StringSerializer(),
				new ByteArraySerializer())) {
			for (int i = 0; i < this.payloads.size(); i++) {
				ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, this.keys.get(i),
						this.payloads.get(i));
				record.headers().add("event_type", "CustomerDeleted".getBytes(StandardCharsets.UTF_8));
				record.headers().add("event_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
				producer.send(record);
			}
			producer.flush();
		}
		return rate(topic);
	}

	/** Deletes the topics of this run. */
	@Override
	public void close() throws Exception {
		this.topics.close();
	}

	/**
	 * Reads the topic until every record arrived; events per second between the first and
	 * the last timestamp. The priming records ({@link BenchmarkTopics}) are not counted.
	 */
	private double rate(String topic) throws InterruptedException {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", this.bootstrapServers, "max.poll.records", 5000, "fetch.min.bytes", 1),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (int i = 0; i < BenchmarkTopics.PARTITIONS; i++) {
				partitions.add(new TopicPartition(topic, i));
			}
			awaitAppended(consumer, partitions);
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long first = Long.MAX_VALUE;
			long last = Long.MIN_VALUE;
			int received = 0;
			long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
			while (received < this.payloads.size()) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"Only " + received + " of " + this.payloads.size() + " records arrived on " + topic);
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (BenchmarkTopics.PRIME.equals(record.key())) {
						continue;
					}
					first = Math.min(first, record.timestamp());
					last = Math.max(last, record.timestamp());
					received++;
				}
			}
			return (received - 1) * 1000.0 / Math.max(1, last - first);
		}
	}

	/**
	 * Waits until the broker has appended every record of the round (and the priming
	 * ones), asking for the partitions' end offsets every 50 ms, so that the topic is
	 * read only afterwards. Read while the relay publishes, the benchmark's consumer
	 * would take CPU from the relay, its database and the broker on the same cores, which
	 * the raw producer's round (read after its {@code flush()}) does not pay.
	 */
	private void awaitAppended(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions)
			throws InterruptedException {
		long expected = this.payloads.size() + BenchmarkTopics.PARTITIONS;
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Fewer than " + expected + " records were appended to "
						+ partitions.get(0).topic() + " in 5 minutes");
			}
			Thread.sleep(50);
		}
	}

}
