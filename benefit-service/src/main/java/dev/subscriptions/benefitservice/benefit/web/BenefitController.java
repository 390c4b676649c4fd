package dev.subscriptions.benefitservice.benefit.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.subscriptions.benefitservice.benefit.Benefit;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.web.security.Organization;

/**
 * Benefits and which products grant them, of the caller's organization (from its token):
 * another organization's benefits are not found.
 */
@RestController
class BenefitController {

	private final BenefitManagement benefits;

	private final JsonMapper json;

	BenefitController(BenefitManagement benefits, JsonMapper json) {
		this.benefits = benefits;
		this.json = json;
	}

	/**
	 * A new benefit of the caller's organization; {@code organizationId} may repeat it
	 * (another one is refused).
	 */
	record CreateBenefit(@Nullable UUID organizationId, @NotNull BenefitType type,
			@NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:-]*",
					message = "letters, digits and . _ : - only") String key,
			@Size(max = 1000) @Nullable String description, @Nullable Map<String, Object> properties) {
	}

	record UpdateBenefit(@Size(max = 1000) @Nullable String description, @Nullable Map<String, Object> properties) {
	}

	record ProductBenefits(@NotNull @Size(max = 100) List<@NotNull UUID> benefitIds) {
	}

	/** A benefit as the API shows it. */
	record BenefitView(UUID id, UUID organizationId, String type, String key, @Nullable String description,
			Map<String, Object> properties, Instant createdAt, Instant modifiedAt) {
	}

	@PostMapping("/benefits")
	ResponseEntity<BenefitView> create(Organization organization, @Valid @RequestBody CreateBenefit request) {
		organization.requireSame(request.organizationId());
		Benefit benefit = this.benefits.create(organization.id(), request.type(), request.key(), request.description(),
				write(request.properties()));
		URI location = ServletUriComponentsBuilder.fromCurrentRequest()
			.path("/{id}")
			.buildAndExpand(benefit.getId())
			.toUri();
		return ResponseEntity.created(location).body(view(benefit));
	}

	@GetMapping("/benefits/{id}")
	BenefitView get(Organization organization, @PathVariable UUID id) {
		return view(this.benefits.get(organization.id(), id));
	}

	@GetMapping("/benefits")
	List<BenefitView> find(Organization organization) {
		return this.benefits.findLive(organization.id()).stream().map(this::view).toList();
	}

	@PatchMapping("/benefits/{id}")
	BenefitView update(Organization organization, @PathVariable UUID id, @Valid @RequestBody UpdateBenefit request) {
		return view(this.benefits.update(organization.id(), id, request.description(),
				(request.properties() != null) ? write(request.properties()) : null));
	}

	/** Deletes the benefit and revokes its grants. */
	@DeleteMapping("/benefits/{id}")
	ResponseEntity<Void> delete(Organization organization, @PathVariable UUID id) {
		this.benefits.delete(organization.id(), id);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Replaces the caller's organization's mapping of the product; the benefits must be
	 * its own (another organization's benefit id is not found).
	 */
	@PutMapping("/products/{productId}/benefits")
	List<BenefitView> mapProduct(Organization organization, @PathVariable UUID productId,
			@Valid @RequestBody ProductBenefits request) {
		return this.benefits.mapProduct(organization.id(), productId, request.benefitIds())
			.stream()
			.map(this::view)
			.toList();
	}

	@GetMapping("/products/{productId}/benefits")
	List<BenefitView> productBenefits(Organization organization, @PathVariable UUID productId) {
		return this.benefits.benefitsOfProduct(organization.id(), productId).stream().map(this::view).toList();
	}

	private BenefitView view(Benefit benefit) {
		return new BenefitView(benefit.getId(), benefit.getOrganizationId(), benefit.getType().value(),
				benefit.getKey(), benefit.getDescription(),
				this.json.readValue(benefit.getProperties(), new TypeReference<Map<String, Object>>() {
				}), benefit.getCreatedAt(), benefit.getModifiedAt());
	}

	private @Nullable String write(@Nullable Map<String, Object> properties) {
		return (properties != null) ? this.json.writeValueAsString(properties) : null;
	}

}
