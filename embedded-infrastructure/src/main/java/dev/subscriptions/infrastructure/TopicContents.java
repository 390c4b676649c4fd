package dev.subscriptions.infrastructure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A topic as an auditor reads it: every record from the beginning up to the end the topic
 * has now, without a consumer group, so reading changes nothing for anyone.
 */
public final class TopicContents {

	private TopicContents() {
	}

	/** Every record of {@code topic}, partition by partition in offset order. */
	public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", false, "max.poll.records", 5000),
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

	/**
	 * Follows {@code topic} from its beginning, as a consumer that is not part of the
	 * test sees it arrive: for tests that measure when records arrive, or wait for a
	 * topic that keeps growing.
	 */
	public static Follower follow(String bootstrapServers, String topic) {
		return new Follower(bootstrapServers, topic);
	}

	/** A topic read from its beginning, one poll at a time, without a consumer group. */
	public static final class Follower implements AutoCloseable {

		private final KafkaConsumer<String, byte[]> consumer;

		private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

		private Follower(String bootstrapServers, String topic) {
			this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit",
					false, "max.poll.records", 5000), new StringDeserializer(), new ByteArrayDeserializer());
			List<TopicPartition> partitions = this.consumer.partitionsFor(topic)
				.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			this.consumer.assign(partitions);
			this.consumer.seekToBeginning(partitions);
		}

		/**
		 * Polls once and returns every record read so far, partition by partition in the
		 * order they arrived.
		 */
		public List<ConsumerRecord<String, byte[]>> poll() {
			this.consumer.poll(Duration.ofMillis(200)).forEach(this.records::add);
			return List.copyOf(this.records);
		}

		@Override
		public void close() {
			this.consumer.close();
		}

	}

}
