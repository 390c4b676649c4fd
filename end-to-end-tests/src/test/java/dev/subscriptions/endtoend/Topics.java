package dev.subscriptions.endtoend;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

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
		return TopicContents.read(SharedInfrastructure.kafka().bootstrapServers(), topic);
	}

	/** A record's value, decoded from Confluent's wire format with the registry. */
	static Object decode(ConsumerRecord<String, byte[]> record) {
		return deserializer.deserialize(record.topic(), record.value());
	}

}
