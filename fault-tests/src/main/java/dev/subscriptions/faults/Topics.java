package dev.subscriptions.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryUnavailableException;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * The topics as the checker reads them: every record from the beginning, decoded with the
 * registry; the consumer groups' lag; the dead-letter topics' sizes.
 */
final class Topics implements AutoCloseable {

	static final List<String> EVENT_TOPICS = List.of("customer.events", "subscription.events", "customer.revocations");

	/** The groups of the services and the topics each consumes. */
	static final Map<String, List<String>> GROUPS = Map.of("customer-service", List.of("customer.revocations"),
			"subscription-service", List.of("customer.events"), "benefit-service",
			List.of("customer.events", "subscription.events"));

	private static final Duration REGISTRY_PATIENCE = Duration.ofMinutes(2);

	private final String bootstrapServers;

	private final String registryUrl;

	private final Admin admin;

	Topics(String bootstrapServers, String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.registryUrl = registryUrl;
		this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 10_000,
				"default.api.timeout.ms", 15_000));
	}

	/**
	 * A record as read: where it was, its key, its timestamp (when the relay sent it),
	 * its type and fields.
	 */
	record Event(String topic, int partition, long offset, String key, long timestamp, String type,
			Map<String, String> fields) {

		String field(String name) {
			return this.fields.get(name);
		}

	}

	/**
	 * The sum of every service group's lag on the topics it consumes (a partition never
	 * committed counts whole).
	 */
	long lag() throws Exception {
		long lag = 0;
		for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
			Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(group.getKey())
				.partitionsToOffsetAndMetadata()
				.get(15, TimeUnit.SECONDS);
			for (Map.Entry<TopicPartition, Long> end : endOffsets(group.getValue()).entrySet()) {
				OffsetAndMetadata offset = committed.get(end.getKey());
				lag += end.getValue() - ((offset != null) ? offset.offset() : 0);
			}
		}
		return lag;
	}

	/** Records in each dead-letter topic ({@code *.DLT}). */
	Map<String, Long> deadLetters() throws Exception {
		List<String> topics = this.admin.listTopics()
			.names()
			.get(15, TimeUnit.SECONDS)
			.stream()
			.filter(name -> name.endsWith("DLT"))
			.sorted()
			.toList();
		Map<String, Long> sizes = new HashMap<>();
		for (String topic : topics) {
			Map<TopicPartition, Long> end = endOffsets(List.of(topic));
			Map<TopicPartition, Long> start = offsets(List.of(topic), OffsetSpec.earliest());
			sizes.put(topic, end.entrySet().stream().mapToLong(e -> e.getValue() - start.get(e.getKey())).sum());
		}
		return sizes;
	}

	/**
	 * Whether a topic is compacted: then a deleted customer's earlier records may be gone
	 * by design.
	 */
	boolean compacted(String topic) throws Exception {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		String policy = this.admin.describeConfigs(List.of(resource))
			.all()
			.get(15, TimeUnit.SECONDS)
			.get(resource)
			.get("cleanup.policy")
			.value();
		return policy.contains("compact");
	}

	/** Every record of the topic, partition by partition in offset order. */
	List<Event> read(String topic) throws Exception {
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();
		deserializer.configure(Map.of("schema.registry.url", this.registryUrl, "specific.avro.reader", "false"), false);
		List<Event> events = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : TopicContents.read(this.bootstrapServers, topic)) {
			GenericRecord value = decode(deserializer, topic, record.value());
			Map<String, String> fields = new HashMap<>();
			value.getSchema()
				.getFields()
				.forEach(field -> fields.put(field.name(), String.valueOf(value.get(field.name()))));
			events.add(new Event(topic, record.partition(), record.offset(), record.key(), record.timestamp(),
					value.getSchema().getName(), fields));
		}
		return events;
	}

	/**
	 * Decodes a record, waiting out a registry that cannot answer now (after a PostgreSQL
	 * restart Apicurio answers 500 until its pool has replaced the dropped connections),
	 * for up to {@link #REGISTRY_PATIENCE}.
	 */
	private static GenericRecord decode(ConfluentAvroDeserializer deserializer, String topic, byte[] value) {
		long deadline = System.nanoTime() + REGISTRY_PATIENCE.toNanos();
		while (true) {
			try {
				return (GenericRecord) deserializer.deserialize(topic, value);
			}
			catch (SchemaRegistryUnavailableException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Progress.log("Registry unavailable while reading " + topic + ", trying again: " + ex.getMessage());
				Rest.pause(Duration.ofSeconds(1));
			}
		}
	}

	private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
		return offsets(topics, OffsetSpec.latest());
	}

	private Map<TopicPartition, Long> offsets(List<String> topics, OffsetSpec spec) throws Exception {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		this.admin.describeTopics(topics)
			.allTopicNames()
			.get(15, TimeUnit.SECONDS)
			.values()
			.forEach(description -> description.partitions()
				.forEach(
						partition -> request.put(new TopicPartition(description.name(), partition.partition()), spec)));
		Map<TopicPartition, Long> offsets = new HashMap<>();
		for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry : this.admin.listOffsets(request)
			.all()
			.get(15, TimeUnit.SECONDS)
			.entrySet()) {
			offsets.put(entry.getKey(), entry.getValue().offset());
		}
		return offsets;
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
	}

}
