package dev.subscriptions.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's own consumer on the platform's topics: assigned to every partition (no
 * group), from their ends on, it notes for each record, by its {@code event_id} header,
 * the record's timestamp (set by the relay's {@code send()}) and when it reached this
 * consumer. The latter is a proxy for the broker's acknowledgement: the record is
 * readable once it is replicated, which with one broker is when it is acknowledged.
 */
final class TopicWatch implements AutoCloseable {

	private final Map<String, Seen> seen = new ConcurrentHashMap<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread thread;

	TopicWatch(String bootstrapServers, List<String> topics) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", bootstrapServers, "client.id", "benchmark-watch"), new StringDeserializer(),
				new ByteArrayDeserializer());
		List<TopicPartition> partitions = new ArrayList<>();
		for (String topic : topics) {
			for (PartitionInfo partition : consumer.partitionsFor(topic)) {
				partitions.add(new TopicPartition(topic, partition.partition()));
			}
		}
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position);
		this.thread = new Thread(() -> {
			try {
				while (this.running.get()) {
					for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
						long arrived = Clocks.nowMicros();
						Header eventId = record.headers().lastHeader("event_id");
						if (eventId != null) {
							this.seen.put(new String(eventId.value(), StandardCharsets.UTF_8),
									new Seen(record.topic(), record.timestamp() * 1000L, arrived));
						}
					}
				}
			}
			finally {
				consumer.close();
			}
		}, "benchmark-topic-watch");
		this.thread.start();
	}

	/** The record of an event, if this consumer has seen it. */
	@Nullable Seen of(@Nullable String eventId) {
		return (eventId != null) ? this.seen.get(eventId) : null;
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.thread.join();
	}

	/**
	 * A record as this consumer saw it.
	 *
	 * @param topic its topic
	 * @param timestampMicros its timestamp (milliseconds precision), in microseconds
	 * since the epoch
	 * @param arrivedMicros when it reached this consumer
	 */
	record Seen(String topic, long timestampMicros, long arrivedMicros) {
	}

}
