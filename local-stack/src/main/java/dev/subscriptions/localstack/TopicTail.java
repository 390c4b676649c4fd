package dev.subscriptions.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.eventing.serde.WireFormat;

/**
 * {@code tail <topic> [--bootstrap localhost:9092] [--registry URL] [--command-config FILE]}:
 * prints every record of a topic from the beginning, decoded from Confluent's wire format
 * with the registry, then follows it until Ctrl-C.
 * <p>
 * {@code --command-config} names a Kafka client properties file, as Kafka's own command
 * line tools take it: {@code security.protocol}, {@code sasl.*}, {@code ssl.*} and so on
 * for the consumer, and the registry's {@code basic.auth.user.info} or
 * {@code bearer.auth.token} (and {@code schema.registry.url}) for the registry client.
 */
final class TopicTail {

	static final String DEFAULT_BOOTSTRAP = "localhost:9092";

	private static final String DEFAULT_REGISTRY = "http://localhost:8080/apis/ccompat/v7";

	private TopicTail() {
	}

	static void main(String[] args) {
		if (args.length < 2) {
			System.err
				.println("usage: tail <topic> [--bootstrap localhost:9092] [--registry URL] [--command-config FILE]");
			System.exit(2);
		}
		String topic = args[1];
		Map<String, Object> client = clientProperties(args, "--bootstrap");
		String registry = option(args, "--registry",
				String.valueOf(client.getOrDefault(WireFormat.SCHEMA_REGISTRY_URL, DEFAULT_REGISTRY)));
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
				SchemaRegistryClient.forUrl(registry, SchemaRegistryClient.Settings.fromConfigs(client)));
		Map<String, Object> consumerProperties = new HashMap<>(client);
		consumerProperties.put("enable.auto.commit", false);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(),
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

	/**
	 * The Kafka client settings of a command: those of the {@code --command-config} file,
	 * if one is named, with {@code bootstrap.servers} from {@code bootstrapOption} where
	 * it is given, else from the file, else {@value #DEFAULT_BOOTSTRAP}.
	 */
	static Map<String, Object> clientProperties(String[] args, String bootstrapOption) {
		Map<String, Object> properties = new HashMap<>();
		String file = optional(args, "--command-config");
		if (file != null) {
			Properties config = new Properties();
			try (Reader reader = Files.newBufferedReader(Path.of(file))) {
				config.load(reader);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read --command-config " + file, ex);
			}
			config.stringPropertyNames().forEach(name -> properties.put(name, config.getProperty(name)));
		}
		String bootstrap = optional(args, bootstrapOption);
		if (bootstrap != null) {
			properties.put("bootstrap.servers", bootstrap);
		}
		properties.putIfAbsent("bootstrap.servers", DEFAULT_BOOTSTRAP);
		return properties;
	}

	private static String option(String[] args, String name, String fallback) {
		String value = optional(args, name);
		return (value != null) ? value : fallback;
	}

	private static @Nullable String optional(String[] args, String name) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return null;
	}

}
