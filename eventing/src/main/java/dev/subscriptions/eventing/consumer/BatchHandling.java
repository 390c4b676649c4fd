package dev.subscriptions.eventing.consumer;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles a poll's records as a set: one transaction per batch, the inbox written
 * set-wise, each event type's deliveries handed to its {@link SetHandler}. A record that
 * fails is retried alone and, if it keeps failing, dead-lettered alone; the records
 * before it commit.
 * <p>
 * A batch listener:<pre>
 * &#64;KafkaListener(topics = ..., groupId = ..., containerFactory = EventingBatchListeners.FACTORY, batch = "true")
 * void on(List&lt;ConsumerRecord&lt;String, Object&gt;&gt; records) {
 * 	this.batches.handle(records, this.dispatcher);
 * }</pre>
 */
public class BatchHandling {

	/**
	 * Handles {@code records} (one poll of one container thread) with {@code dispatcher}.
	 */
	public void handle(List<? extends ConsumerRecord<?, ?>> records, BatchDispatcher dispatcher) {
		throw new UnsupportedOperationException("issue 19 helper A implements this");
	}

}
