package dev.subscriptions.endtoend;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * The platform's topics as an auditor reads them: from the beginning up to their end as
 * it is now.
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

	/**
	 * Whether a consumer group has handled a record: the group's committed offset on its
	 * partition is past it. A listener container commits an offset only once the records
	 * before it have been handled (or dead-lettered).
	 */
	static boolean handled(String group, ConsumerRecord<?, ?> record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()))) {
			OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS)
				.get(partition);
			return committed != null && committed.offset() > record.offset();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not read the offsets of group " + group, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
