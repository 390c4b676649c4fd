package dev.subscriptions.eventing.serde;

import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;

/**
 * The schema registry could not be reached or answered with a server error. Nothing is
 * wrong with the record: the caller should wait and try again.
 */
public class SchemaRegistryUnavailableException extends RetriableException {

	public SchemaRegistryUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
