package dev.subscriptions.customerservice.customer;

import java.time.Instant;
import java.util.UUID;

/**
 * What happened to a customer, as the domain records it. The messaging edge turns these into the Avro contract.
 */
public sealed interface CustomerEvent {

	UUID eventId();

	UUID customerId();

	/** A customer was created. */
	record Created(UUID eventId, Instant occurredAt, UUID customerId, UUID organizationId, String email, String name,
			String externalId) implements CustomerEvent {
	}

	/** A customer was deleted. */
	record Deleted(UUID eventId, Instant occurredAt, UUID customerId, UUID organizationId,
			Instant deletedAt) implements CustomerEvent {
	}

}
