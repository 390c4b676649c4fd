package dev.subscriptions.customerservice.customer.messaging;

import org.apache.avro.specific.SpecificRecord;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.subscriptions.customerservice.customer.CustomerEvent;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.Topic;

/**
 * Turns the domain's customer events into the Avro contract and appends them to the outbox. Spring Data publishes the
 * events when the customer is saved, inside the use case's transaction, so event and change commit together.
 */
@Component
class CustomerEventPublisher {

	private final Outbox outbox;

	CustomerEventPublisher(Outbox outbox) {
		this.outbox = outbox;
	}

	@EventListener
	void on(CustomerEvent.Created created) {
		publish(created, CustomerCreated.newBuilder()
			.setEventId(created.eventId().toString())
			.setOccurredAt(created.occurredAt())
			.setOrganizationId(created.organizationId().toString())
			.setCustomerId(created.customerId().toString())
			.setEmail(created.email())
			.setName(created.name())
			.setExternalId(created.externalId())
			.build());
	}

	@EventListener
	void on(CustomerEvent.Deleted deleted) {
		publish(deleted, CustomerDeleted.newBuilder()
			.setEventId(deleted.eventId().toString())
			.setOccurredAt(deleted.occurredAt())
			.setOrganizationId(deleted.organizationId().toString())
			.setCustomerId(deleted.customerId().toString())
			.setDeletedAt(deleted.deletedAt())
			.build());
	}

	private void publish(CustomerEvent event, SpecificRecord record) {
		this.outbox.append(Topic.CUSTOMER_EVENTS.topicName(), event.customerId().toString(), record);
	}

}
