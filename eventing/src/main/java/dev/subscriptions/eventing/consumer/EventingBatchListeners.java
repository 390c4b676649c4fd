package dev.subscriptions.eventing.consumer;

/** The names a batch listener refers to. */
public final class EventingBatchListeners {

	/** The listener container factory of batch listeners. */
	public static final String FACTORY = "eventingBatchFactory";

	private EventingBatchListeners() {
	}

}
