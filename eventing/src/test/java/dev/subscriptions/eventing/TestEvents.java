package dev.subscriptions.eventing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;

/** Events for tests. */
public final class TestEvents {

	public static final String ORGANIZATION = "5b0d2a4e-7f0b-4c55-9a59-1f6f1a7b5c01";

	private TestEvents() {
	}

	public static CustomerCreated customerCreated(String customerId, String name) {
		return CustomerCreated.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.setOrganizationId(ORGANIZATION)
			.setCustomerId(customerId)
			.setEmail(name.replaceAll("\\W", "") + "@example.com")
			.setName(name)
			.build();
	}

	public static CustomerDeleted customerDeleted(String customerId) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return CustomerDeleted.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now)
			.setOrganizationId(ORGANIZATION)
			.setCustomerId(customerId)
			.setDeletedAt(now)
			.build();
	}

}
