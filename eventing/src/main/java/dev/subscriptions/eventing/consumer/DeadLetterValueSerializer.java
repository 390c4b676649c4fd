package dev.subscriptions.eventing.consumer;

import java.util.Map;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a dead letter's value: the original bytes, which {@link OriginalBytesRecoverer}
 * finds for every record read with {@code ConfluentAvroDeserializer}. Only a record
 * decoded by another deserializer arrives here as an object; it is written again in the
 * wire format of the topic it came from (so its subject is the one its producers
 * registered), which loses the fields its consumer's schema does not have.
 */
class DeadLetterValueSerializer implements Serializer<Object> {

	private final Serializer<Object> recordSerializer;

	private final String suffix;

	DeadLetterValueSerializer(Serializer<Object> recordSerializer, String suffix) {
		this.recordSerializer = recordSerializer;
		this.suffix = suffix;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public byte[] serialize(String topic, Object data) {
		if (data == null || data instanceof byte[]) {
			return (byte[]) data;
		}
		String origin = topic.endsWith(this.suffix) ? topic.substring(0, topic.length() - this.suffix.length()) : topic;
		return this.recordSerializer.serialize(origin, data);
	}

}
