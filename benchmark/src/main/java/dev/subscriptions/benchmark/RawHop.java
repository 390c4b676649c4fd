package dev.subscriptions.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One Kafka hop without the platform: a raw producer with the relay's settings sends one
 * record at a time to a primed topic, and a plain consumer, already polling, receives it;
 * the time from {@code send()} to the record in the consumer's hands, one record in
 * flight at a time. This is the floor of the idle deletion's one-hop figure (DELETE
 * commit to benefit-service's handler commit), which adds the relay's wake-up and the
 * handler.
 */
final class RawHop {

	private static final int WARM_UP = 20;

	private RawHop() {
	}

	/** Milliseconds from send to receive of {@code count} records, sent one by one. */
	static List<Double> measure(BenchmarkTopics topics, int lingerMs, int count) throws Exception {
		String topic = topics.create("hop");
		BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(1);
		AtomicBoolean running = new AtomicBoolean(true);
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", topics.bootstrapServers(), "client.id", "benchmark-hop"),
				new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = new ArrayList<>();
		for (int i = 0; i < BenchmarkTopics.PARTITIONS; i++) {
			partitions.add(new TopicPartition(topic, i));
		}
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position);
		Thread polling = new Thread(() -> {
			try {
				while (running.get()) {
					for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
						if (!BenchmarkTopics.PRIME.equals(record.key())) {
							arrivals.offer(System.nanoTime());
						}
					}
				}
			}
			finally {
				consumer.close();
			}
		}, "benchmark-hop-consumer");
		polling.start();
		Map<String, Object> properties = topics.relayProducerProperties("benchmark-hop");
		properties.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
		List<Double> latencies = new ArrayList<>();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
				new ByteArraySerializer())) {
			for (int i = 0; i < WARM_UP + count; i++) {
				long sent = System.nanoTime();
				producer.send(new ProducerRecord<>(topic, "key-" + i, new byte[190]));
				Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
				if (arrived == null) {
					throw new IllegalStateException("A record sent to " + topic + " did not arrive within 10 s");
				}
				if (i >= WARM_UP) {
					latencies.add((arrived - sent) / 1e6);
				}
			}
		}
		finally {
			running.set(false);
			polling.join();
		}
		return latencies;
	}

}
