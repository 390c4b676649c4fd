package dev.subscriptions.eventing.outbox;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * Why Kafka did not take an outbox row, and whether waiting can help. The names of the
 * causes that do not heal are the {@code cause} of a parked row.
 */
enum SendFailure {

	/**
	 * Broker or leader unavailable, timeouts, not enough replicas: retried with back-off.
	 */
	RETRIABLE(null),

	/**
	 * The topic is not in the metadata (or the broker said it does not exist): an outage
	 * or a topic not created yet, until the relay's admin client confirms it is unknown
	 * for longer than the grace.
	 */
	UNKNOWN_TOPIC("unknown_topic"),

	RECORD_TOO_LARGE("record_too_large"),

	INVALID_TOPIC("invalid_topic"),

	TOPIC_AUTHORIZATION("topic_authorization"),

	SERIALIZATION("serialization"),

	/**
	 * The broker refused the record itself, e.g. one without a key on a compacted topic.
	 */
	INVALID_RECORD("invalid_record"),

	UNREADABLE_HEADERS("unreadable_headers");

	/** The cause of rows parked because a row of their key before them was parked. */
	static final String BEHIND_PARKED = "behind_parked";

	private final @Nullable String cause;

	SendFailure(@Nullable String cause) {
		this.cause = cause;
	}

	/** The {@code cause} written with a parked row. */
	@Nullable String cause() {
		return this.cause;
	}

	/** Whether a row that failed so is parked at once. */
	boolean parksAtOnce() {
		return this != RETRIABLE && this != UNKNOWN_TOPIC;
	}

	/**
	 * Classifies a send failure.
	 * @param failure what the producer threw or failed the future with
	 * @param atOnce whether it failed inside {@code send()} (a metadata wait), not later
	 * on the way to the broker
	 */
	static SendFailure of(Throwable failure, boolean atOnce) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
				return RECORD_TOO_LARGE;
			}
			if (cause instanceof InvalidTopicException) {
				return INVALID_TOPIC;
			}
			if (cause instanceof TopicAuthorizationException) {
				return TOPIC_AUTHORIZATION;
			}
			if (cause instanceof SerializationException) {
				return SERIALIZATION;
			}
			if (cause instanceof InvalidRecordException) {
				return INVALID_RECORD;
			}
			if (cause instanceof UnknownTopicOrPartitionException || (atOnce && cause instanceof TimeoutException)) {
				return UNKNOWN_TOPIC;
			}
			if (cause == cause.getCause()) {
				break;
			}
		}
		return RETRIABLE;
	}

}
