package dev.subscriptions.customerservice.customer.web;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.subscriptions.customerservice.customer.Customer;

/**
 * A customer as the API shows it.
 */
public record CustomerView(UUID id, UUID organizationId, String email, String name, @Nullable String externalId,
		Instant createdAt, Instant modifiedAt, @Nullable Instant deletedAt) {

	static CustomerView of(Customer customer) {
		return new CustomerView(customer.getId(), customer.getOrganizationId(), customer.getEmail(), customer.getName(),
				customer.getExternalId(), customer.getCreatedAt(), customer.getModifiedAt(), customer.getDeletedAt());
	}

}
