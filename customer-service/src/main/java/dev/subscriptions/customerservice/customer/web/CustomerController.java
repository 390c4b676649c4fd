package dev.subscriptions.customerservice.customer.web;

import java.net.URI;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.subscriptions.customerservice.customer.Customer;
import dev.subscriptions.customerservice.customer.CustomerManagement;
import dev.subscriptions.web.security.Organization;

/**
 * The customers API. Every request acts for the caller's organization, which the token
 * names ({@link Organization}): another organization's customer is not found, and lists
 * show only the caller's customers.
 */
@RestController
@RequestMapping("/customers")
class CustomerController {

	private final CustomerManagement customers;

	CustomerController(CustomerManagement customers) {
		this.customers = customers;
	}

	/**
	 * Creates a customer of the caller's organization; an {@code organizationId} in the
	 * body that names another organization is refused (403).
	 */
	@PostMapping
	ResponseEntity<CustomerView> create(Organization organization, @Valid @RequestBody CreateCustomer request) {
		organization.requireSame(request.organizationId());
		Customer customer = this.customers.create(organization.id(), request.email(), request.name(),
				request.externalId());
		URI location = ServletUriComponentsBuilder.fromCurrentRequest()
			.path("/{id}")
			.buildAndExpand(customer.getId())
			.toUri();
		return ResponseEntity.created(location).body(CustomerView.of(customer));
	}

	/**
	 * A live customer of the caller's organization, or a deleted one with
	 * {@code includeDeleted=true}. That value is read strictly ({@code true} or
	 * {@code false}, else 400): the security rule that asks for
	 * {@code customers:read_deleted} matches {@code includeDeleted=true} exactly, and the
	 * usual boolean binding would also read {@code TRUE}, {@code 1}, {@code yes} or
	 * {@code on} as true, which would let a token without that scope through.
	 */
	@GetMapping("/{id}")
	CustomerView get(Organization organization, @PathVariable UUID id,
			@RequestParam(defaultValue = "false") @Pattern(regexp = "true|false",
					message = "must be true or false") @Parameter(
							schema = @Schema(type = "boolean", defaultValue = "false")) String includeDeleted) {
		return CustomerView
			.of(this.customers.getOfOrganization(organization.id(), id, Boolean.parseBoolean(includeDeleted)));
	}

	@GetMapping
	PagedModel<CustomerView> find(Organization organization,
			@RequestParam(required = false) @Size(max = 320) @Nullable String email,
			@RequestParam(required = false) @Size(max = 100) @Nullable String externalId,
			@RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return new PagedModel<>(
				this.customers.findLive(organization.id(), email, externalId, PageRequest.of(page, size))
					.map(CustomerView::of));
	}

	@GetMapping("/external/{externalId}")
	CustomerView getByExternalId(Organization organization, @PathVariable @Size(max = 100) String externalId) {
		return CustomerView.of(this.customers.getByExternalId(organization.id(), externalId));
	}

	@PatchMapping("/{id}")
	CustomerView update(Organization organization, @PathVariable UUID id, @Valid @RequestBody UpdateCustomer request) {
		return CustomerView
			.of(this.customers.update(organization.id(), id, request.email(), request.name(), request.externalId()));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(Organization organization, @PathVariable UUID id) {
		this.customers.delete(organization.id(), id);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Deletes up to 1,000 customers of the caller's organization in one transaction, each
	 * as {@code DELETE /customers/{id}} deletes one (its own {@code CustomerDeleted} and
	 * deletion receipt; one already deleted stays as it is). If any id is not a customer
	 * of the organization, none is deleted and the 404 names those ids.
	 */
	@PostMapping("/deletions")
	ResponseEntity<Void> deleteAll(Organization organization, @Valid @RequestBody DeleteCustomers request) {
		this.customers.deleteAll(organization.id(), request.customerIds());
		return ResponseEntity.noContent().build();
	}

}
