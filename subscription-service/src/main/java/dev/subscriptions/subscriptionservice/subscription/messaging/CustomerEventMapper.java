package dev.subscriptions.subscriptionservice.subscription.messaging;

import java.util.UUID;

import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;

/**
 * The one mapper from the Avro records of {@code customer.events} to this service's
 * domain values: past it, no Avro type and no string id is seen.
 */
final class CustomerEventMapper {

	private CustomerEventMapper() {
	}

	static UUID eventId(CustomerCreated created) {
		return UUID.fromString(created.getEventId());
	}

	static UUID eventId(CustomerDeleted deleted) {
		return UUID.fromString(deleted.getEventId());
	}

	static KnownCustomers.Created toDomain(CustomerCreated created) {
		return new KnownCustomers.Created(UUID.fromString(created.getCustomerId()),
				UUID.fromString(created.getOrganizationId()), created.getOccurredAt());
	}

	static KnownCustomers.Deleted toDomain(CustomerDeleted deleted) {
		return new KnownCustomers.Deleted(UUID.fromString(deleted.getCustomerId()),
				UUID.fromString(deleted.getOrganizationId()), deleted.getDeletedAt());
	}

}
