package dev.subscriptions.eventing.consumer;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.ConversionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.transaction.CannotCreateTransactionException;

import dev.subscriptions.eventing.serde.SchemaRegistryUnavailableException;
import dev.subscriptions.eventing.serde.UndecodableRecordException;

/**
 * How consumers handle a record they cannot process. Every failure is one of three kinds
 * ({@link #classify}):
 * <ul>
 * <li>{@link Failure#POISON}, found on decoding (no magic byte, garbage, a schema id the
 * registry answers with error code 40403): straight to the dead-letter topic
 * ({@code <topic><suffix>}, by default {@code <topic>.DLT}), at once. Services that
 * consume the same topic use their own suffixes, e.g. {@code .subscription-service.DLT},
 * so that each replays its own dead letters.</li>
 * <li>{@link Failure#DETERMINISTIC}: the handler failed in a way that repeats (an
 * exception of its own, a statement timeout, a data error, a constraint it did not
 * expect). Retried with exponential back-off a bounded number of times, then a dead
 * letter with the cause in its headers.</li>
 * <li>{@link Failure#OUTAGE}: something the consumer depends on is down (schema registry,
 * database connections, Kafka), or the database asked to try again (serialization
 * failure, deadlock, lock not available). Not the record's fault: retried without limit,
 * nothing lands in the dead-letter topic. {@link InFlightRecords} shows a record that
 * waits too long.</li>
 * </ul>
 * A dead letter's value is the record's bytes exactly as they were produced (kept by the
 * deserializer, see
 * {@link dev.subscriptions.eventing.serde.WireFormat#ORIGINAL_VALUE_HEADER}), its key and
 * headers those of the record, plus Spring's {@code kafka_dlt-*} headers and
 * {@link #ROOT_CAUSE_CLASS_HEADER}/ {@link #ROOT_CAUSE_MESSAGE_HEADER}. In every case the
 * consumer goes on with the next record.
 * <p>
 * SQLSTATE decides before the exception's type, because Spring's translation does not
 * tell a statement timeout (57014, a {@link QueryTimeoutException}, hence a
 * {@link TransientDataAccessException}) from an outage. Lock not available (55P03,
 * {@code lock_timeout}) counts as an outage: the lock's holder ends, or is ended by
 * {@code idle_in_transaction_session_timeout}; dead-lettering good records while a long
 * transaction holds a row would lose them from the normal flow.
 */
public final class DeadLetters {

	/** Header with the class name of the innermost cause of a dead letter's failure. */
	public static final String ROOT_CAUSE_CLASS_HEADER = "dlt-root-cause-fqcn";

	/** Header with the message of the innermost cause of a dead letter's failure. */
	public static final String ROOT_CAUSE_MESSAGE_HEADER = "dlt-root-cause-message";

	/**
	 * Appended to a topic's name to name its dead-letter topic, unless a service names
	 * its own.
	 */
	public static final String DEFAULT_SUFFIX = ".DLT";

	/**
	 * SQLSTATEs of outages: connection exceptions (class 08) and those listed here; see
	 * the class comment.
	 */
	private static final Set<String> OUTAGE_SQL_STATES = Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03",
			"25006", "25P03");

	/**
	 * SQLSTATE classes of outages: connection exceptions, insufficient resources, system
	 * errors.
	 */
	private static final Set<String> OUTAGE_SQL_STATE_CLASSES = Set.of("08", "53", "58");

	private static final List<Class<? extends Throwable>> OUTAGES = List.of(SchemaRegistryUnavailableException.class,
			RetriableException.class, CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
			RecoverableDataAccessException.class, TransientDataAccessException.class, SQLTransientException.class,
			SQLRecoverableException.class, SQLNonTransientConnectionException.class);

	private static final List<Class<? extends Throwable>> DETERMINISTIC = List.of(QueryTimeoutException.class,
			DataIntegrityViolationException.class);

	private static final List<Class<? extends Throwable>> POISON = List.of(DeserializationException.class,
			MessageConversionException.class, ConversionException.class, MethodArgumentResolutionException.class,
			NoSuchMethodException.class, ClassCastException.class);

	private DeadLetters() {
	}

	/**
	 * The error handler for listener containers.
	 * @param template publishes dead letters; its value serializer must take
	 * {@code byte[]}
	 * @param suffix appended to a topic's name to name its dead-letter topic
	 * @param attempts how often a deterministically failing record is tried before it
	 * becomes a dead letter
	 * @param initialInterval the first wait between attempts, doubled each time up to
	 * {@code maxInterval}
	 * @param maxInterval the longest wait between attempts, for failures and outages
	 * alike
	 * @param inFlight told of every failed attempt and every dead letter
	 * @param sent counts the dead letters sent
	 */
	public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, String suffix, int attempts,
			Duration initialInterval, Duration maxInterval, InFlightRecords inFlight, SentDeadLetters sent) {
		return new DeadLetteringErrorHandler(new OriginalBytesRecoverer(template, suffix, sent), attempts,
				initialInterval, maxInterval, inFlight);
	}

	/**
	 * The value serializer of the dead-letter producer: the original bytes as they were.
	 * A record that arrives decoded, without its bytes (only when a service reads with a
	 * deserializer other than {@code ConfluentAvroDeserializer}), is written again in the
	 * wire format of the topic it came from.
	 */
	public static Serializer<Object> valueSerializer(Serializer<Object> recordSerializer, String suffix) {
		return new DeadLetterValueSerializer(recordSerializer, suffix);
	}

	/**
	 * Whether a failure is an outage of something the consumer depends on rather than a
	 * fault of the record.
	 */
	public static boolean isOutage(Throwable exception) {
		return classify(exception) == Failure.OUTAGE;
	}

	/**
	 * The kind of a failure, from the whole chain of causes: a registry outage or an
	 * undecodable record anywhere in it, then the SQLSTATE of the outermost
	 * {@link SQLException} that has one, then the exception types.
	 */
	public static Failure classify(Throwable exception) {
		for (@Nullable
		Throwable cause = exception; cause != null; cause = next(cause)) {
			if (cause instanceof SchemaRegistryUnavailableException) {
				return Failure.OUTAGE;
			}
			if (cause instanceof UndecodableRecordException) {
				return Failure.POISON;
			}
		}
		for (@Nullable
		Throwable cause = exception; cause != null; cause = next(cause)) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() == 5) {
				return ofSqlState(sql.getSQLState());
			}
		}
		for (@Nullable
		Throwable cause = exception; cause != null; cause = next(cause)) {
			if (isAny(cause, DETERMINISTIC)) {
				return Failure.DETERMINISTIC;
			}
			if (isAny(cause, OUTAGES)) {
				return Failure.OUTAGE;
			}
			if (isAny(cause, POISON)) {
				return Failure.POISON;
			}
		}
		return Failure.DETERMINISTIC;
	}

	/** The innermost cause of {@code exception}. */
	static Throwable rootCause(Throwable exception) {
		Throwable root = exception;
		for (@Nullable
		Throwable cause = next(root); cause != null; cause = next(cause)) {
			root = cause;
		}
		return root;
	}

	private static Failure ofSqlState(String state) {
		if (state.equals("57014")) {
			return Failure.DETERMINISTIC;
		}
		if (OUTAGE_SQL_STATES.contains(state) || OUTAGE_SQL_STATE_CLASSES.contains(state.substring(0, 2))) {
			return Failure.OUTAGE;
		}
		return Failure.DETERMINISTIC;
	}

	private static boolean isAny(Throwable exception, List<Class<? extends Throwable>> types) {
		return types.stream().anyMatch(type -> type.isInstance(exception));
	}

	private static @Nullable Throwable next(Throwable exception) {
		Throwable cause = exception.getCause();
		return (cause != exception) ? cause : null;
	}

	/** What a failure says about the record, and so what becomes of it. */
	public enum Failure {

		/** The record cannot be read: a dead letter at once. */
		POISON,

		/**
		 * Handling the record fails in a way that repeats: a bounded number of attempts,
		 * then a dead letter.
		 */
		DETERMINISTIC,

		/**
		 * Something the consumer depends on is down: retried without limit, never a dead
		 * letter.
		 */
		OUTAGE

	}

}
