package dev.subscriptions.subscriptionservice;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.eventing.serde.UndecodableRecordException;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * What a topic of the shared broker holds now, read to its end with {@link TopicContents}
 * and decoded with the real schema registry, as another system would read it.
 */
public final class PublishedEvents {

	private static final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()));

	private PublishedEvents() {
	}

	/** Every record of {@code topic}, undecoded. */
	public static List<ConsumerRecord<String, byte[]>> records(String topic) {
		return TopicContents.read(SharedInfrastructure.kafka().bootstrapServers(), topic);
	}

	/**
	 * The values of {@code type} on {@code topic}, partition by partition in offset
	 * order.
	 */
	public static <T> List<T> values(String topic, Class<T> type) {
		List<T> values = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records(topic)) {
			Object value = decode(record);
			if (type.isInstance(value)) {
				values.add(type.cast(value));
			}
		}
		return values;
	}

	/**
	 * A record's value decoded from Confluent's wire format, or its bytes when they are
	 * not in it.
	 */
	public static Object decode(ConsumerRecord<String, byte[]> record) {
		try {
			return deserializer.deserialize(record.topic(), record.value());
		}
		catch (UndecodableRecordException ex) {
			return record.value();
		}
	}

}
