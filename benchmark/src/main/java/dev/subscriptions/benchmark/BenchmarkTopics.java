package dev.subscriptions.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.subscriptions.eventing.EventingAutoConfiguration;

/**
 * The benchmark's own topics, each created with {@value #PARTITIONS} partitions and
 * <em>primed</em> before anything is timed on it: one record with key {@value #PRIME}
 * sent to each partition and acknowledged. The first write to a fresh partition (its log
 * segment and index files) stalls 15-40 ms on the measured machine, which would otherwise
 * be counted against whichever side wrote first. Counting skips the priming records by
 * their key. Deleted on {@link #close()}.
 */
final class BenchmarkTopics implements AutoCloseable {

	static final int PARTITIONS = 6;

	/** The key of the priming records. */
	static final String PRIME = "prime";

	private final String bootstrapServers;

	private final Set<String> topics = new LinkedHashSet<>();

	BenchmarkTopics(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * The relay's producer settings
	 * ({@link EventingAutoConfiguration#relayProducerProperties}), for this broker.
	 */
	Map<String, Object> relayProducerProperties(String clientId) {
		KafkaProperties kafka = new KafkaProperties();
		kafka.setBootstrapServers(List.of(this.bootstrapServers));
		Map<String, Object> properties = EventingAutoConfiguration.relayProducerProperties(kafka);
		properties.put("client.id", clientId);
		return properties;
	}

	/** A new topic of this run, its partitions led and primed. */
	String create(String kind) throws Exception {
		return create(kind, Map.of());
	}

	/** A new topic of this run with {@code configs}, its partitions led and primed. */
	String create(String kind, Map<String, String> configs) throws Exception {
		String topic = "benchmark." + kind + "." + UUID.randomUUID().toString().substring(0, 8);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) -1).configs(configs))).all().get();
			this.topics.add(topic);
			awaitLeaders(admin, topic);
		}
		prime(topic);
		return topic;
	}

	private void prime(String topic) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(relayProducerProperties("benchmark-prime"),
				new StringSerializer(), new ByteArraySerializer())) {
			List<Future<RecordMetadata>> acknowledgements = new ArrayList<>();
			for (int partition = 0; partition < PARTITIONS; partition++) {
				acknowledgements.add(producer.send(new ProducerRecord<>(topic, partition, PRIME, new byte[1])));
			}
			for (Future<RecordMetadata> acknowledgement : acknowledgements) {
				acknowledgement.get();
			}
		}
	}

	/**
	 * Waits until every partition of a new topic has a leader: an idempotent producer
	 * that sends while the leaders are still being elected can stall on out-of-order
	 * sequence retries, which would measure the election.
	 */
	private static void awaitLeaders(Admin admin, String topic) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
			if (description.partitions().size() == PARTITIONS
					&& description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
				Thread.sleep(500);
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Topic " + topic + " has no leaders after 30 s");
			}
			Thread.sleep(100);
		}
	}

	/** Deletes the topics of this run. */
	@Override
	public void close() throws Exception {
		if (this.topics.isEmpty()) {
			return;
		}
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.deleteTopics(this.topics).all().get();
		}
	}

}
