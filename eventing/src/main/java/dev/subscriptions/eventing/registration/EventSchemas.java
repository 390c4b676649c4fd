package dev.subscriptions.eventing.registration;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The event types a service publishes to one topic. Declared as beans; their schemas are
 * registered (or looked up) at start-up, before the first record is written.
 *
 * @param topic the topic
 * @param schemas the current schema of each event type on it
 */
public record EventSchemas(String topic, List<Schema> schemas) {

	public static EventSchemas of(String topic, Schema... schemas) {
		return new EventSchemas(topic, List.of(schemas));
	}

}
