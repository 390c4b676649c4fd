package dev.subscriptions.customerservice.customer.messaging;

import org.apache.avro.specific.SpecificRecord;

import org.springframework.stereotype.Component;

import dev.subscriptions.customerservice.customer.CustomerEvent;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;

/**
 * The one place that turns the domain's customer events into the Avro contract of
 * {@code customer.events}. Each visitor method names the Avro type it returns, so that
 * {@code CustomerEventContractTests} can check that each one is a schema of the topic.
 * The header fields (event id, time, organization, customer) are four setters per type:
 * the generated builders share no type to write them through once, and with two event
 * types a helper would be longer than what it replaces.
 */
@Component
class CustomerEventMapper implements CustomerEvent.Visitor<SpecificRecord> {

	/** The Avro record of a domain event. */
	SpecificRecord toRecord(CustomerEvent event) {
		return event.accept(this);
	}

	@Override
	public CustomerCreated created(CustomerEvent.Created created) {
		return CustomerCreated.newBuilder()
			.setEventId(created.eventId().toString())
			.setOccurredAt(created.occurredAt())
			.setOrganizationId(created.organizationId().toString())
			.setCustomerId(created.customerId().toString())
			.setEmail(created.email())
			.setName(created.name())
			.setExternalId(created.externalId())
			.build();
	}

	@Override
	public CustomerDeleted deleted(CustomerEvent.Deleted deleted) {
		return CustomerDeleted.newBuilder()
			.setEventId(deleted.eventId().toString())
			.setOccurredAt(deleted.occurredAt())
			.setOrganizationId(deleted.organizationId().toString())
			.setCustomerId(deleted.customerId().toString())
			.setDeletedAt(deleted.deletedAt())
			.build();
	}

}
