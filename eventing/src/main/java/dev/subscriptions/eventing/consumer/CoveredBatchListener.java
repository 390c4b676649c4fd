package dev.subscriptions.eventing.consumer;

/**
 * A bean with a method-level batch {@code @KafkaListener} of a {@code Topic}: its
 * dispatcher names what it does with each event type, so {@link ListenerCoverage} can
 * check it as it checks {@code @KafkaHandler} methods.
 */
public interface CoveredBatchListener {

	BatchDispatcher dispatcher();

}
