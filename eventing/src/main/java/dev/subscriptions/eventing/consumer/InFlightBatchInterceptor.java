package dev.subscriptions.eventing.consumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.listener.BatchInterceptor;

/**
 * Tells {@link InFlightRecords} when a batch listener container polls, delivers a batch
 * and handles it: the batch's counterpart of {@link InFlightRecordInterceptor}. Spring
 * Boot sets a unique {@code BatchInterceptor} bean on its container factories; this one
 * is declared only when a service has none (a service with an interceptor of its own adds
 * this one to a {@code CompositeBatchInterceptor}). A failed batch is tracked by the
 * error handler, which names the record that failed
 * ({@link InFlightRecords#failedInBatch}: the partitions committed before it are done).
 * <p>
 * {@link InFlightRecords} keeps one record per partition: the first of the batch's
 * records of each partition, the oldest not yet handled. A batch delivered again from a
 * failed record keeps that record's first failure as the start of its time in flight.
 */
public class InFlightBatchInterceptor implements BatchInterceptor<Object, Object> {

	private final InFlightRecords inFlight;

	public InFlightBatchInterceptor(InFlightRecords inFlight) {
		this.inFlight = inFlight;
	}

	/** Called on the consumer's thread before each poll. */
	@Override
	public void setupThreadState(Consumer<?, ?> consumer) {
		this.inFlight.polling(consumer);
	}

	@Override
	public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
			Consumer<Object, Object> consumer) {
		for (TopicPartition partition : records.partitions()) {
			this.inFlight.delivered(consumer, records.records(partition).get(0));
		}
		return records;
	}

	@Override
	public void success(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
		for (TopicPartition partition : records.partitions()) {
			this.inFlight.done(consumer, records.records(partition).get(0));
		}
	}

}
