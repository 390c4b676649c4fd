package dev.subscriptions.web.security;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The organization the caller acts for, from a claim of its access token
 * ({@code api.security.organization-claim}, {@code org_id} by default). A controller
 * takes it as a method parameter; it never comes from a request body or query.
 *
 * @param id the organization's id
 */
public record Organization(UUID id) {

	/**
	 * Refuses a request that names another organization, e.g. in an optional
	 * {@code organizationId} of its body.
	 * @param claimed the organization the request names, or {@code null} if it names none
	 * @throws OrganizationMismatch if it names another organization
	 */
	public void requireSame(@Nullable UUID claimed) {
		if (claimed != null && !claimed.equals(this.id)) {
			throw new OrganizationMismatch(claimed);
		}
	}

}
