package dev.subscriptions.eventing.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.support.KafkaHeaders;

/**
 * Sends the records of a dead-letter topic back to the topics they came from: each with
 * its original bytes, key and headers (without the {@code kafka_dlt-*} and {@code dlt-*}
 * headers of its failure), to the topic named by its {@code kafka_dlt-original-topic}
 * header or to a given one. Records keep their order per key.
 * <p>
 * It reads the dead-letter topic up to its end at the time of the call, as consumer group
 * {@code group}, and commits that group's offsets after each batch the broker has
 * acknowledged, so a second run replays only dead letters that arrived since. It is at
 * least once: a run that fails between sending and committing replays a batch again,
 * which is safe because consumers are idempotent (the inbox), as is replaying a dead
 * letter whose record was handled since. Use it once the cause is fixed: a handler
 * failure deployed, or a producer's schema registered. Poison (bytes that do not decode)
 * comes straight back as a dead letter.
 */
public final class DeadLetterReplayer {

	private static final String ORIGINAL_TOPIC_HEADER = KafkaHeaders.DLT_ORIGINAL_TOPIC;

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final Map<String, Object> kafka;

	private final String group;

	/**
	 * @param kafka client settings for the consumer and the producer,
	 * {@code bootstrap.servers} at least
	 * @param group the consumer group whose offsets record what was replayed
	 */
	public DeadLetterReplayer(Map<String, Object> kafka, String group) {
		this.kafka = Map.copyOf(kafka);
		this.group = group;
	}

	/**
	 * Replays the dead letters of {@code deadLetterTopic} not replayed before by this
	 * group.
	 * @param target the topic to send them to, or {@code null} for each record's original
	 * topic
	 * @return how many records were sent to each topic
	 */
	public Map<String, Integer> replay(String deadLetterTopic, @Nullable String target) {
		Map<String, Integer> sent = new TreeMap<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(),
				new ByteArrayDeserializer(), new ByteArrayDeserializer());
				KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(),
						new ByteArraySerializer(), new ByteArraySerializer())) {
			List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
			consumer.assign(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				if (offset != null) {
					consumer.seek(partition, offset);
				}
				else {
					consumer.seekToBeginning(List.of(partition));
				}
			}
			long deadline = System.nanoTime() + PATIENCE.toNanos();
			while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("No progress replaying " + deadLetterTopic + " for " + PATIENCE);
				}
				Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>();
				List<Future<RecordMetadata>> sends = new ArrayList<>();
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
					TopicPartition partition = new TopicPartition(record.topic(), record.partition());
					if (record.offset() >= end.get(partition)) {
						continue;
					}
					String destination = (target != null) ? target : originalTopic(record);
					sends.add(producer.send(new ProducerRecord<>(destination, null, record.key(), record.value(),
							replayedHeaders(record))));
					sent.merge(destination, 1, Integer::sum);
					batch.put(partition, new OffsetAndMetadata(record.offset() + 1));
				}
				producer.flush();
				for (Future<RecordMetadata> send : sends) {
					send.get();
				}
				if (!batch.isEmpty()) {
					consumer.commitSync(batch);
					deadline = System.nanoTime() + PATIENCE.toNanos();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while replaying " + deadLetterTopic, ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Kafka refused a replayed record of " + deadLetterTopic
					+ "; nothing of its batch is marked as replayed", ex.getCause());
		}
		return sent;
	}

	private Map<String, Object> consumerSettings() {
		Map<String, Object> settings = new HashMap<>(this.kafka);
		settings.put(ConsumerConfig.GROUP_ID_CONFIG, this.group);
		settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-replay");
		return settings;
	}

	private Map<String, Object> producerSettings() {
		Map<String, Object> settings = new HashMap<>(this.kafka);
		settings.put(ProducerConfig.ACKS_CONFIG, "all");
		settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "dead-letter-replay");
		return settings;
	}

	private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
		List<PartitionInfo> partitions = consumer.partitionsFor(topic);
		if (partitions == null || partitions.isEmpty()) {
			throw new IllegalArgumentException("Topic " + topic + " does not exist");
		}
		return partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
	}

	private static String originalTopic(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(ORIGINAL_TOPIC_HEADER);
		if (header == null) {
			throw new IllegalStateException("Dead letter " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + " has no " + ORIGINAL_TOPIC_HEADER + " header; name the topic to replay to");
		}
		return new String(header.value(), StandardCharsets.UTF_8);
	}

	private static RecordHeaders replayedHeaders(ConsumerRecord<?, ?> record) {
		RecordHeaders headers = new RecordHeaders();
		for (Header header : record.headers()) {
			if (!header.key().startsWith("kafka_dlt-") && !header.key().startsWith("dlt-")) {
				headers.add(header);
			}
		}
		return headers;
	}

}
