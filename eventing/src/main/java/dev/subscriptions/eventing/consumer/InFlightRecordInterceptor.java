package dev.subscriptions.eventing.consumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Tells {@link InFlightRecords} when a listener container polls, delivers a record and
 * handles it. Spring Boot sets a unique {@code RecordInterceptor} bean on its container
 * factory; this one is declared only when a service has none (a service with an
 * interceptor of its own adds this one to a {@code CompositeRecordInterceptor}). Without
 * it, records that fail are tracked all the same, from the error handler.
 */
public class InFlightRecordInterceptor implements RecordInterceptor<Object, Object> {

	private final InFlightRecords inFlight;

	public InFlightRecordInterceptor(InFlightRecords inFlight) {
		this.inFlight = inFlight;
	}

	/** Called on the consumer's thread before each poll. */
	@Override
	public void setupThreadState(Consumer<?, ?> consumer) {
		this.inFlight.polling(consumer);
	}

	@Override
	public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
			Consumer<Object, Object> consumer) {
		this.inFlight.delivered(consumer, record);
		return record;
	}

	@Override
	public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
		this.inFlight.done(consumer, record);
	}

}
