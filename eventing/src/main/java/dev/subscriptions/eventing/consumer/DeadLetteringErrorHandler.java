package dev.subscriptions.eventing.consumer;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import dev.subscriptions.eventing.consumer.DeadLetters.Failure;

/**
 * Spring's {@link DefaultErrorHandler} with the back-off chosen by the kind of failure
 * ({@link DeadLetters#classify}): none for poison, bounded for deterministic failures,
 * unbounded (the handler's default) for outages. It tells {@link InFlightRecords} of
 * every failed attempt and every record it gives up on.
 * <p>
 * Spring keeps the retry state of a record while its exceptions are of the same class,
 * and starts afresh when the class changes. A database outage and a statement timeout can
 * surface as the same class, though, so the handler passes on each exception wrapped in a
 * class of its kind: an outage after two deterministic failures starts the unbounded
 * back-off, a deterministic failure after an outage starts the bounded count from one.
 * The recoverer gets the original exception, so dead letters name it.
 * <p>
 * Batch listeners ({@link BatchHandling}) throw a {@link BatchListenerFailedException}
 * naming the record that failed; Spring commits the records before it and retries from
 * it. The handler passes on such a failure as a {@code BatchListenerFailedException} of
 * the same record in a class of its kind, so that the back-off, the reset of the retry
 * state and the recoverer see the kind and the original exception (the cause the batch
 * listener gave) as they do for record listeners: a poison record is dead-lettered at
 * once, a deterministic failure after the bounded attempts, an outage is retried without
 * limit; only the failed record is dead-lettered, and the records after it come again
 * with the next poll. A batch failure without a record falls back to Spring's handling of
 * the whole batch.
 */
class DeadLetteringErrorHandler extends DefaultErrorHandler {

	private final InFlightRecords inFlight;

	DeadLetteringErrorHandler(OriginalBytesRecoverer recoverer, int attempts, Duration initialInterval,
			Duration maxInterval, InFlightRecords inFlight) {
		super(unwrapping(recoverer, inFlight), exponential(initialInterval, maxInterval));
		this.inFlight = inFlight;
		setClassifications(Map.of(), true);
		BackOff bounded = bounded(attempts, initialInterval, maxInterval);
		BackOff poison = new FixedBackOff(0, 0);
		setBackOffFunction((record, exception) -> {
			if (exception instanceof Poison || exception instanceof PoisonInBatch) {
				return poison;
			}
			return (exception instanceof Deterministic || exception instanceof DeterministicInBatch) ? bounded : null;
		});
	}

	@Override
	public void handleBatch(Exception thrownException, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer,
			MessageListenerContainer container, Runnable invokeListener) {
		super.handleBatch(classifiedBatchFailure(thrownException, data, consumer), data, consumer, container,
				invokeListener);
	}

	@Override
	public <K, V> ConsumerRecords<K, V> handleBatchAndReturnRemaining(Exception thrownException,
			ConsumerRecords<?, ?> data, Consumer<?, ?> consumer, MessageListenerContainer container,
			Runnable invokeListener) {
		return super.handleBatchAndReturnRemaining(classifiedBatchFailure(thrownException, data, consumer), data,
				consumer, container, invokeListener);
	}

	/**
	 * The failure of a batch as the handler passes it on: for a
	 * {@link BatchListenerFailedException} that names a record of the batch, one of the
	 * same record in a class of its kind, with the cause the listener gave it (the failed
	 * attempt, and the partitions committed before it, told to {@link InFlightRecords});
	 * anything else as it is.
	 */
	private Exception classifiedBatchFailure(Exception thrownException, ConsumerRecords<?, ?> data,
			Consumer<?, ?> consumer) {
		BatchListenerFailedException failed = batchListenerFailedException(thrownException);
		ConsumerRecord<?, ?> record = (failed != null) ? recordOf(failed, data) : null;
		if (failed == null || record == null) {
			return thrownException;
		}
		Exception original = (failed.getCause() instanceof Exception cause) ? cause : failed;
		Failure failure = DeadLetters.classify(original);
		this.inFlight.failedInBatch(consumer, data, record, failure, original);
		return switch (failure) {
			case POISON -> new PoisonInBatch(original, record);
			case DETERMINISTIC -> new DeterministicInBatch(original, record);
			case OUTAGE -> new OutageInBatch(original, record);
		};
	}

	private static @Nullable BatchListenerFailedException batchListenerFailedException(Throwable exception) {
		Set<Throwable> seen = new HashSet<>();
		for (Throwable cause = exception; cause != null && seen.add(cause); cause = cause.getCause()) {
			if (cause instanceof BatchListenerFailedException failed) {
				return failed;
			}
		}
		return null;
	}

	private static @Nullable ConsumerRecord<?, ?> recordOf(BatchListenerFailedException failed,
			ConsumerRecords<?, ?> data) {
		if (failed.getRecord() != null) {
			return failed.getRecord();
		}
		int index = 0;
		for (ConsumerRecord<?, ?> record : data) {
			if (index++ == failed.getIndex()) {
				return record;
			}
		}
		return null;
	}

	@Override
	public void handleRemaining(Exception thrownException, List<ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer,
			MessageListenerContainer container) {
		if (records.isEmpty()) {
			super.handleRemaining(thrownException, records, consumer, container);
			return;
		}
		ConsumerRecord<?, ?> failed = records.get(0);
		Failure failure = DeadLetters.classify(thrownException);
		this.inFlight.failed(consumer, failed, failure, thrownException);
		super.handleRemaining(wrap(failure, thrownException), records, consumer, container);
		this.inFlight.done(consumer, failed);
	}

	@Override
	public boolean handleOne(Exception thrownException, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
			MessageListenerContainer container) {
		Failure failure = DeadLetters.classify(thrownException);
		this.inFlight.failed(consumer, record, failure, thrownException);
		boolean recovered = super.handleOne(wrap(failure, thrownException), record, consumer, container);
		if (recovered) {
			this.inFlight.done(consumer, record);
		}
		return recovered;
	}

	private static ClassifiedFailure wrap(Failure failure, Exception exception) {
		return switch (failure) {
			case POISON -> new Poison(exception);
			case DETERMINISTIC -> new Deterministic(exception);
			case OUTAGE -> new Outage(exception);
		};
	}

	/**
	 * The recoverer, given the original exception. A record of a batch is done once it is
	 * a dead letter (the record path tells {@link InFlightRecords} itself).
	 */
	private static ConsumerAwareRecordRecoverer unwrapping(OriginalBytesRecoverer recoverer, InFlightRecords inFlight) {
		return (record, consumer, exception) -> {
			if (exception instanceof ClassifiedBatchFailure classified) {
				recoverer.accept(record, consumer, classified.original());
				if (consumer != null) {
					inFlight.done(consumer, record);
				}
				return;
			}
			recoverer.accept(record, consumer,
					(exception instanceof ClassifiedFailure classified) ? classified.original() : exception);
		};
	}

	private static BackOff bounded(int attempts, Duration initialInterval, Duration maxInterval) {
		ExponentialBackOff backOff = exponential(initialInterval, maxInterval);
		backOff.setMaxAttempts(Math.max(0, attempts - 1));
		return backOff;
	}

	private static ExponentialBackOff exponential(Duration initialInterval, Duration maxInterval) {
		ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
		backOff.setMaxInterval(maxInterval.toMillis());
		return backOff;
	}

	/** A failure as the error handler passes it on: its class says its kind. */
	abstract static class ClassifiedFailure extends RuntimeException {

		ClassifiedFailure(Exception original) {
			super(original.getMessage(), original);
		}

		Exception original() {
			return (Exception) getCause();
		}

	}

	static final class Poison extends ClassifiedFailure {

		Poison(Exception original) {
			super(original);
		}

	}

	static final class Deterministic extends ClassifiedFailure {

		Deterministic(Exception original) {
			super(original);
		}

	}

	static final class Outage extends ClassifiedFailure {

		Outage(Exception original) {
			super(original);
		}

	}

	/**
	 * A record of a batch that failed, as the handler passes it on: its class says its
	 * kind.
	 */
	abstract static class ClassifiedBatchFailure extends BatchListenerFailedException {

		ClassifiedBatchFailure(Exception original, ConsumerRecord<?, ?> record) {
			super(String.valueOf(original.getMessage()), original, record);
		}

		Exception original() {
			return (Exception) getCause();
		}

	}

	static final class PoisonInBatch extends ClassifiedBatchFailure {

		PoisonInBatch(Exception original, ConsumerRecord<?, ?> record) {
			super(original, record);
		}

	}

	static final class DeterministicInBatch extends ClassifiedBatchFailure {

		DeterministicInBatch(Exception original, ConsumerRecord<?, ?> record) {
			super(original, record);
		}

	}

	static final class OutageInBatch extends ClassifiedBatchFailure {

		OutageInBatch(Exception original, ConsumerRecord<?, ?> record) {
			super(original, record);
		}

	}

}
