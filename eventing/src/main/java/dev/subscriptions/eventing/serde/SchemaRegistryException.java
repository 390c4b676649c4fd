package dev.subscriptions.eventing.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry refused a request (a 4xx answer): retrying the same request cannot
 * succeed.
 */
public class SchemaRegistryException extends SerializationException {

	private final int status;

	private final int errorCode;

	public SchemaRegistryException(String message, int status, int errorCode) {
		super(message + " (HTTP " + status + ", error code " + errorCode + ")");
		this.status = status;
		this.errorCode = errorCode;
	}

	/** The HTTP status of the registry's answer, e.g. 409 for an incompatible schema. */
	public int status() {
		return this.status;
	}

	/** Confluent's {@code error_code}, e.g. 40403 for an unknown schema id. */
	public int errorCode() {
		return this.errorCode;
	}

}
