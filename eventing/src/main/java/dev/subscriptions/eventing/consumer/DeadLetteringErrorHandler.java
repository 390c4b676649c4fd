package dev.subscriptions.eventing.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
 */
class DeadLetteringErrorHandler extends DefaultErrorHandler {

	private final InFlightRecords inFlight;

	DeadLetteringErrorHandler(OriginalBytesRecoverer recoverer, int attempts, Duration initialInterval,
			Duration maxInterval, InFlightRecords inFlight) {
		super(unwrapping(recoverer), exponential(initialInterval, maxInterval));
		this.inFlight = inFlight;
		setClassifications(Map.of(), true);
		BackOff bounded = bounded(attempts, initialInterval, maxInterval);
		BackOff poison = new FixedBackOff(0, 0);
		setBackOffFunction((record, exception) -> {
			if (exception instanceof Poison) {
				return poison;
			}
			return (exception instanceof Deterministic) ? bounded : null;
		});
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

	private static ConsumerAwareRecordRecoverer unwrapping(OriginalBytesRecoverer recoverer) {
		return (record, consumer, exception) -> recoverer.accept(record, consumer,
				(exception instanceof ClassifiedFailure classified) ? classified.original() : exception);
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

}
