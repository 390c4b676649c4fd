package dev.subscriptions.customerservice.customer.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PATCH /customers/{id}}: what is given changes, what is missing
 * stays.
 */
record UpdateCustomer(
		@Email @Size(max = 320) @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Nullable String email,
		@Size(max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Nullable String name,
		@Size(max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Nullable String externalId) {
}
