package dev.subscriptions.customerservice.customer;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What happened to a customer, as the domain records it. The messaging edge turns these
 * into the Avro contract.
 * <p>
 * Java 17 has no exhaustive {@code switch} over a sealed type, so each event hands itself
 * to a {@link Visitor}: a new event type adds a visitor method, and whatever maps events
 * (the messaging edge) does not compile until it maps the new one too.
 */
public sealed interface CustomerEvent {

	UUID eventId();

	Instant occurredAt();

	UUID customerId();

	UUID organizationId();

	/** Hands this event to the visitor's method for its type. */
	<R> R accept(Visitor<R> visitor);

	/** One method per event type. */
	interface Visitor<R> {

		R created(Created created);

		R deleted(Deleted deleted);

	}

	/** A customer was created. */
	record Created(UUID eventId, Instant occurredAt, UUID customerId, UUID organizationId, String email, String name,
			@Nullable String externalId) implements CustomerEvent {

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.created(this);
		}

	}

	/** A customer was deleted. */
	record Deleted(UUID eventId, Instant occurredAt, UUID customerId, UUID organizationId,
			Instant deletedAt) implements CustomerEvent {

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.deleted(this);
		}

	}

}
