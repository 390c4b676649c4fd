package dev.subscriptions.eventing;

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

import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * Reads a topic from the beginning with a plain KafkaConsumer, as any other system would.
 */
public final class TopicReader implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

	public TopicReader(String topic) {
		this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(),
				"group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "max.poll.records", 5000,
				"enable.auto.commit", false), new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = this.consumer.partitionsFor(topic)
			.stream()
			.map(info -> new TopicPartition(topic, info.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
	}

	/** Polls once and returns everything read so far. */
	public List<ConsumerRecord<String, byte[]>> poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.records::add);
		return this.records;
	}

	@Override
	public void close() {
		this.consumer.close();
	}

}
