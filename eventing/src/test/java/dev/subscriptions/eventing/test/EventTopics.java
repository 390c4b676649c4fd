package dev.subscriptions.eventing.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.eventing.serde.UndecodableRecordException;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.schemas.Topic;

/**
 * The platform's topics as the tests write and read them: records written as the
 * services' outboxes write them (Confluent's wire format, schemas registered on the way)
 * and read back with {@link TopicContents}, decoded with the real schema registry, as
 * another system would read them.
 * <p>
 * An integration test {@code @Import}s it and has it injected: it then writes to and
 * reads from the broker and registry of the test's application context, whichever
 * {@code EmbeddedInfrastructure} chose (the embedded processes, or containers).
 */
public final class EventTopics {

	private static final Map<String, KafkaProducer<String, byte[]>> producers = new ConcurrentHashMap<>();

	private static final Map<String, ConfluentAvroSerializer> serializers = new ConcurrentHashMap<>();

	private static final Map<String, ConfluentAvroDeserializer> deserializers = new ConcurrentHashMap<>();

	private final String bootstrapServers;

	private final String registryUrl;

	EventTopics(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.registryUrl = registryUrl;
	}

	/**
	 * The topics of the broker at {@code bootstrapServers}, with the registry at
	 * {@code registryUrl}.
	 */
	public static EventTopics of(String bootstrapServers, String registryUrl) {
		return new EventTopics(bootstrapServers, registryUrl);
	}

	/**
	 * The topics of the broker and registry every test of a JVM shares
	 * ({@link SharedInfrastructure}), for tests without an application context (those
	 * with one have theirs injected).
	 */
	public static EventTopics shared() {
		return of(SharedInfrastructure.kafka().bootstrapServers(),
				SharedInfrastructure.schemaRegistry().confluentApiUrl());
	}

	/**
	 * Writes {@code records} to {@code topic} with {@code key}, in order, and waits until
	 * the broker has each of them.
	 */
	public void send(String topic, String key, SpecificRecord... records) {
		ConfluentAvroSerializer serializer = serializers.computeIfAbsent(this.registryUrl,
				url -> new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(url), true));
		for (SpecificRecord record : records) {
			sendBytes(topic, key, serializer.serialize(topic, record));
		}
	}

	/**
	 * Writes {@code records} to {@code topic} with {@code key} (an aggregate's id), in
	 * order, and waits until the broker has each of them.
	 */
	public void send(Topic topic, Object key, SpecificRecord... records) {
		send(topic.topicName(), key.toString(), records);
	}

	/**
	 * Writes bytes as they are (e.g. a record that cannot be read) and waits until the
	 * broker has them.
	 */
	public void sendBytes(String topic, String key, byte[] value) {
		KafkaProducer<String, byte[]> producer = producers.computeIfAbsent(this.bootstrapServers,
				servers -> new KafkaProducer<>(Map.of("bootstrap.servers", servers, "linger.ms", 0),
						new StringSerializer(), new ByteArraySerializer()));
		try {
			producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write to " + topic, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Every record of {@code topic} as it is now, partition by partition in offset order,
	 * with its value decoded.
	 */
	public List<Decoded> decoded(String topic) {
		List<Decoded> decoded = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : TopicContents.read(this.bootstrapServers, topic)) {
			decoded.add(decode(record));
		}
		return decoded;
	}

	/**
	 * The values of {@code type} on {@code topic}, partition by partition in offset
	 * order.
	 */
	public <T> List<T> values(String topic, Class<T> type) {
		return decoded(topic).stream().map(Decoded::value).filter(type::isInstance).map(type::cast).toList();
	}

	/**
	 * A record with its value decoded from Confluent's wire format, or left as its bytes
	 * when they are not in it.
	 */
	public Decoded decode(ConsumerRecord<String, byte[]> record) {
		ConfluentAvroDeserializer deserializer = deserializers.computeIfAbsent(this.registryUrl,
				url -> new ConfluentAvroDeserializer(SchemaRegistryClient.forUrl(url)));
		Object value;
		try {
			value = deserializer.deserialize(record.topic(), record.value());
		}
		catch (UndecodableRecordException ex) {
			value = record.value();
		}
		return new Decoded(record, value);
	}

	/**
	 * A record of a topic and its decoded value (its bytes when they are not in
	 * Confluent's wire format, {@code null} for a tombstone).
	 *
	 * @param record the record as read
	 * @param value its decoded value
	 */
	public record Decoded(ConsumerRecord<String, byte[]> record, @Nullable Object value) {

		public @Nullable String key() {
			return this.record.key();
		}

		/** The value as {@code type}, failing when it is of another type. */
		public <T> T value(Class<T> type) {
			if (!type.isInstance(this.value)) {
				throw new AssertionError("Record at offset " + this.record.offset() + " of " + this.record.topic()
						+ " holds " + ((this.value != null) ? this.value.getClass().getName() : "null") + ", not "
						+ type.getName());
			}
			return type.cast(this.value);
		}

	}

}
