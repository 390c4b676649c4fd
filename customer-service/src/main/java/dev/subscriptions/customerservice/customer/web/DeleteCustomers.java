package dev.subscriptions.customerservice.customer.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /customers/deletions}: the customers to delete together, at
 * most {@value #MAX_CUSTOMERS} (an id named twice counts once).
 */
record DeleteCustomers(@NotEmpty @Size(max = MAX_CUSTOMERS) List<@NotNull UUID> customerIds) {

	static final int MAX_CUSTOMERS = 1000;

}
