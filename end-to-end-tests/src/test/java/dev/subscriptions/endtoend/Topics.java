package dev.subscriptions.endtoend;

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
 * The platform's topics as an auditor reads them: from the beginning up to their end as it is now.
 */
final class Topics {

	private static final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()));

	private Topics() {
	}

	/** Every record of {@code topic}, partition by partition. */
	static List<ConsumerRecord<String, byte[]>> read(String topic) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(), "group.id",
						"e2e-" + UUID.randomUUID(), "max.poll.records", 5000),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
		}
		return records;
	}

	/** A record's value, decoded from Confluent's wire format with the registry. */
	static Object decode(ConsumerRecord<String, byte[]> record) {
		return deserializer.deserialize(record.topic(), record.value());
	}

}
