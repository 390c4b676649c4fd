package dev.subscriptions.subscriptionservice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * Reads a topic from the beginning with a plain consumer, decoding what it can, as another system would.
 */
public final class TopicRecords implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	private final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()));

	private final List<ConsumerRecord<String, byte[]>> raw = new ArrayList<>();

	private final List<Object> values = new ArrayList<>();

	public TopicRecords(String topic) {
		this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(),
				"group.id", "reader-" + UUID.randomUUID(), "enable.auto.commit", false, "max.poll.records", 5000),
				new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = this.consumer.partitionsFor(topic)
			.stream()
			.map(info -> new TopicPartition(topic, info.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
	}

	/** Polls once; every decoded value read so far. */
	public List<Object> values() {
		for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(200))) {
			this.raw.add(record);
			Object value;
			try {
				value = this.deserializer.deserialize(record.topic(), record.value());
			}
			catch (RuntimeException ex) {
				value = record.value();
			}
			this.values.add(value);
		}
		return this.values;
	}

	/** Polls once; every record read so far, undecoded. */
	public List<ConsumerRecord<String, byte[]>> records() {
		values();
		return this.raw;
	}

	/** Polls once; the decoded values of one type. */
	public <T> List<T> values(Class<T> type) {
		return values().stream().filter(type::isInstance).map(type::cast).toList();
	}

	@Override
	public void close() {
		this.consumer.close();
	}

}
