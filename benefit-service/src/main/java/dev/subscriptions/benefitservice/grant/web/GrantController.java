package dev.subscriptions.benefitservice.grant.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.subscriptions.benefitservice.grant.BenefitGrant;
import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.benefitservice.grant.GrantManagement.Entitlement;
import dev.subscriptions.benefitservice.grant.GrantState;
import dev.subscriptions.benefitservice.grant.RevocationReason;
import dev.subscriptions.web.security.Organization;

/**
 * "May this customer use it now?" and the grants behind the answer, of the caller's
 * organization (from its token): a customer of another organization has none.
 */
@RestController
class GrantController {

	private final GrantManagement grants;

	GrantController(GrantManagement grants) {
		this.grants = grants;
	}

	/** A grant as the API shows it. */
	record GrantView(UUID id, UUID organizationId, UUID customerId, UUID subscriptionId, UUID benefitId, String state,
			Instant grantedAt, @Nullable Instant suspendedAt, @Nullable Instant revokedAt,
			@Nullable String revocationReason) {

		static GrantView of(BenefitGrant grant) {
			RevocationReason reason = grant.getRevocationReason();
			return new GrantView(grant.getId(), grant.getOrganizationId(), grant.getCustomerId(),
					grant.getSubscriptionId(), grant.getBenefitId(), grant.state().value(), grant.getGrantedAt(),
					grant.getSuspendedAt(), grant.getRevokedAt(), (reason != null) ? reason.value() : null);
		}

	}

	/**
	 * The live, unsuspended grants of a customer, with benefit key and type: what the
	 * customer may use now.
	 */
	@GetMapping("/customers/{customerId}/entitlements")
	List<Entitlement> entitlements(Organization organization, @PathVariable UUID customerId) {
		return this.grants.entitlements(organization.id(), customerId);
	}

	/**
	 * The grants of a customer and/or a subscription, in a state ({@code ?state=}, bound
	 * by {@link GrantStateConverter}) or any.
	 */
	@GetMapping("/grants")
	List<GrantView> find(Organization organization, @RequestParam(required = false) @Nullable UUID customerId,
			@RequestParam(required = false) @Nullable UUID subscriptionId,
			@RequestParam(required = false) @Nullable GrantState state) {
		if (customerId == null && subscriptionId == null) {
			throw new GrantFilterMissing();
		}
		return this.grants.find(organization.id(), customerId, subscriptionId, state)
			.stream()
			.map(GrantView::of)
			.toList();
	}

}
