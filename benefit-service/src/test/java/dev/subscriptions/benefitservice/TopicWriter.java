package dev.subscriptions.benefitservice;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.schemas.Topic;

/**
 * Writes records to the shared broker as the other services' outboxes do (Confluent's
 * wire format, schemas registered on the way). The records themselves come from the
 * schemas fixtures ({@code dev.subscriptions.schemas.fixtures}).
 */
public final class TopicWriter implements AutoCloseable {

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(), "linger.ms", 5),
			new StringSerializer(), new ByteArraySerializer());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()), true);

	/**
	 * Writes {@code record} to {@code topic} with {@code key} and waits until the broker
	 * has it.
	 */
	public void write(Topic topic, Object key, SpecificRecord record) {
		write(topic.topicName(), key.toString(), this.serializer.serialize(topic.topicName(), record));
	}

	/** Writes bytes as they are, e.g. a record that cannot be read. */
	public void write(String topic, String key, byte[] value) {
		this.producer.send(new ProducerRecord<>(topic, key, value));
		this.producer.flush();
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
