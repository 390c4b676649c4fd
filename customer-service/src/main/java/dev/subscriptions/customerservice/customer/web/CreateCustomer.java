package dev.subscriptions.customerservice.customer.web;

import java.util.UUID;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /customers}.
 *
 * @param organizationId optional: the token names the organization; if given, it must be
 * the same one
 */
record CreateCustomer(@Nullable UUID organizationId, @NotBlank @Email @Size(max = 320) String email,
		@NotBlank @Size(max = 200) String name, @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*",
				message = "must not be blank") @Nullable String externalId) {
}
