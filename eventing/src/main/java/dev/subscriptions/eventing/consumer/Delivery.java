package dev.subscriptions.eventing.consumer;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record of a batch as a {@link SetHandler} gets it: the record, its event and the
 * event's id (already new to the inbox when the handler sees it).
 *
 * @param <T> the event type
 * @param record the record as consumed
 * @param event the record's value
 * @param eventId the event's id, as the dispatcher read it
 */
public record Delivery<T>(ConsumerRecord<?, ?> record, T event, UUID eventId) {

	/** The record's key, as its producer set it. */
	public String key() {
		return String.valueOf(this.record.key());
	}

}
