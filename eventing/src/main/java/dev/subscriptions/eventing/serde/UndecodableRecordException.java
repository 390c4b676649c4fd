package dev.subscriptions.eventing.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record are not a Confluent-framed Avro record that this consumer can
 * read: no magic byte, a schema id the registry does not know, or a body that does not
 * match its schema. Such a record is poison: retrying cannot help, it belongs in the
 * dead-letter topic.
 */
public class UndecodableRecordException extends SerializationException {

	public UndecodableRecordException(String message) {
		super(message);
	}

	public UndecodableRecordException(String message, Throwable cause) {
		super(message, cause);
	}

}
