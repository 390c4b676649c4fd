package dev.subscriptions.eventing.consumer;

import java.util.List;

/**
 * The work of one event type for a set of deliveries, inside the batch's transaction. The
 * deliveries have distinct keys (a key seen twice in a poll goes to a later call), are
 * new to the inbox, and keep the order of the poll.
 *
 * @param <T> the event type
 */
@FunctionalInterface
public interface SetHandler<T> {

	void handle(List<Delivery<T>> deliveries);

}
