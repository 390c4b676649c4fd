package dev.subscriptions.customerservice.customer.messaging;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.subscriptions.customerservice.customer.CustomerEvent;
import dev.subscriptions.customerservice.customer.CustomersDeleted;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.schemas.Topic;

/**
 * Appends the domain's customer events, in their Avro form, to the outbox, keyed by the
 * customer id. Spring Data publishes the events when the customer is saved, inside the
 * use case's transaction, so event and change commit together.
 */
@Component
class CustomerEventPublisher {

	private final Outbox outbox;

	private final CustomerEventMapper mapper;

	CustomerEventPublisher(Outbox outbox, CustomerEventMapper mapper) {
		this.outbox = outbox;
		this.mapper = mapper;
	}

	@EventListener
	void on(CustomerEvent event) {
		this.outbox.append(Topic.CUSTOMER_EVENTS.topicName(), event.customerId().toString(),
				this.mapper.toRecord(event));
	}

	/** Customers deleted together: their events in one multi-row insert. */
	@EventListener
	void on(CustomersDeleted deleted) {
		this.outbox.appendAll(deleted.deletions()
			.stream()
			.map(event -> new Outbox.Event(Topic.CUSTOMER_EVENTS.topicName(), event.customerId().toString(),
					this.mapper.toRecord(event)))
			.toList());
	}

}
