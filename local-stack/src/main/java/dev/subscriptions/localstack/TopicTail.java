package dev.subscriptions.localstack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;

/**
 * {@code tail <topic> [--bootstrap localhost:9092] [--registry URL]}: prints every record
 * of a topic from the beginning, decoded from Confluent's wire format with the registry,
 * then follows it until Ctrl-C.
 */
final class TopicTail {

	private TopicTail() {
	}

	static void main(String[] args) {
		if (args.length < 2) {
			System.err.println("usage: tail <topic> [--bootstrap localhost:9092] [--registry URL]");
			System.exit(2);
		}
		String topic = args[1];
		String bootstrap = option(args, "--bootstrap", "localhost:9092");
		String registry = option(args, "--registry", "http://localhost:8080/apis/ccompat/v7");
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(SchemaRegistryClient.forUrl(registry));
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map(info -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			while (true) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
					System.out.printf("%s-%d@%d key=%s %s%n  %s%n", record.topic(), record.partition(), record.offset(),
							record.key(), headers(record), decode(deserializer, record));
				}
			}
		}
	}

	private static String decode(ConfluentAvroDeserializer deserializer, ConsumerRecord<String, byte[]> record) {
		try {
			return String.valueOf(deserializer.deserialize(record.topic(), record.value()));
		}
		catch (RuntimeException ex) {
			return "undecodable: " + ex.getMessage();
		}
	}

	private static String headers(ConsumerRecord<String, byte[]> record) {
		StringBuilder text = new StringBuilder();
		for (Header header : record.headers()) {
			text.append(header.key())
				.append('=')
				.append(new String(header.value(), StandardCharsets.UTF_8))
				.append(' ');
		}
		return text.toString().trim();
	}

	private static String option(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

}
