package dev.subscriptions.endtoend;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * What the consumer groups of the platform have done with the records of its topics (the
 * records themselves are read with {@code EventTopics}).
 */
final class Topics {

	private Topics() {
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
