package dev.subscriptions.eventing.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.subscriptions.eventing.serde.SchemaRegistryUnavailableException;
import dev.subscriptions.eventing.serde.UndecodableRecordException;

/**
 * How consumers handle a record they cannot process.
 * <ul>
 * <li>Poison, found on decoding (no magic byte, garbage, a schema id the registry does not know): straight to the
 * dead-letter topic ({@code <topic><suffix>}, by default {@code <topic>.DLT}), with the original bytes and the
 * exception in headers. Services that consume the same topic use their own suffixes, e.g.
 * {@code .subscription-service.DLT}, so that each replays its own dead letters.</li>
 * <li>A handler that fails: retried with bounded exponential back-off, then the dead-letter topic.</li>
 * <li>An outage (schema registry or database unreachable): not the record's fault. The consumer waits and retries,
 * without limit, and nothing lands in the dead-letter topic.</li>
 * </ul>
 * In every case the consumer goes on with the next record.
 */
public final class DeadLetters {

	/** Header with the class name of the innermost cause of a dead letter's failure. */
	public static final String ROOT_CAUSE_CLASS_HEADER = "dlt-root-cause-fqcn";

	/** Header with the message of the innermost cause of a dead letter's failure. */
	public static final String ROOT_CAUSE_MESSAGE_HEADER = "dlt-root-cause-message";

	/** Appended to a topic's name to name its dead-letter topic, unless a service names its own. */
	public static final String DEFAULT_SUFFIX = ".DLT";

	private static final List<Class<? extends Throwable>> OUTAGES = List.of(SchemaRegistryUnavailableException.class,
			DataAccessResourceFailureException.class, TransientDataAccessException.class,
			RecoverableDataAccessException.class, CannotCreateTransactionException.class, RetriableException.class);

	private DeadLetters() {
	}

	/**
	 * The error handler for listener containers.
	 * @param template publishes dead letters; its value serializer must take {@code byte[]} and records alike
	 * @param suffix appended to a topic's name to name its dead-letter topic
	 * @param attempts how often a failing record is tried before it becomes a dead letter
	 * @param initialInterval the first wait between attempts, doubled each time up to {@code maxInterval}
	 * @param maxInterval the longest wait between attempts, for failures and outages alike
	 */
	public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, String suffix, int attempts,
			Duration initialInterval, Duration maxInterval) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
				(record, exception) -> new TopicPartition(record.topic() + suffix, -1));
		recoverer.setHeadersFunction((record, exception) -> rootCauseHeaders(exception));
		ExponentialBackOff failures = exponential(initialInterval, maxInterval);
		failures.setMaxAttempts(Math.max(0, attempts - 1));
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, failures);
		handler.removeClassification(DeserializationException.class);
		handler.addNotRetryableExceptions(UndecodableRecordException.class, SerializationException.class);
		handler.addRetryableExceptions(SchemaRegistryUnavailableException.class);
		BackOff outages = exponential(initialInterval, maxInterval);
		handler.setBackOffFunction((record, exception) -> isOutage(exception) ? outages : null);
		return handler;
	}

	/**
	 * The value serializer of the dead-letter producer: original bytes as they were, records in the wire format of
	 * the topic they came from.
	 */
	public static Serializer<Object> valueSerializer(Serializer<Object> recordSerializer, String suffix) {
		return new DeadLetterValueSerializer(recordSerializer, suffix);
	}

	/** Whether a failure is an outage of something the consumer depends on rather than a fault of the record. */
	public static boolean isOutage(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			for (Class<? extends Throwable> outage : OUTAGES) {
				if (outage.isInstance(cause)) {
					return true;
				}
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * Spring's own headers name the outermost exceptions (for a decoding failure, only "failed to deserialize"); these
	 * name the innermost one, the reason an operator looks for.
	 */
	private static Headers rootCauseHeaders(Exception exception) {
		Throwable root = exception;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		Headers headers = new RecordHeaders();
		headers.add(ROOT_CAUSE_CLASS_HEADER, root.getClass().getName().getBytes(StandardCharsets.UTF_8));
		headers.add(ROOT_CAUSE_MESSAGE_HEADER, String.valueOf(root.getMessage()).getBytes(StandardCharsets.UTF_8));
		return headers;
	}

	private static ExponentialBackOff exponential(Duration initialInterval, Duration maxInterval) {
		ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
		backOff.setMaxInterval(maxInterval.toMillis());
		return backOff;
	}

}
