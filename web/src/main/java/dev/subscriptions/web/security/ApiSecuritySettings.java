package dev.subscriptions.web.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service reads its callers' tokens, beyond Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.*}.
 *
 * @param organizationClaim the claim holding the caller's organization id, a UUID
 * ({@code OAUTH2_ORGANIZATION_CLAIM}); e.g. a namespaced claim for Auth0
 * @param verifiedTokens how long and how many accepted tokens are kept, so that a token
 * sent again is not verified again
 */
@ConfigurationProperties("api.security")
public record ApiSecuritySettings(@DefaultValue("org_id") String organizationClaim,
		@DefaultValue VerifiedTokensSettings verifiedTokens) {

	/**
	 * The tokens kept once accepted.
	 *
	 * @param maxAge how long after its verification a token is accepted without being
	 * verified again (never past its {@code exp}); 0 verifies every request's token
	 * ({@code OAUTH2_VERIFIED_TOKEN_MAX_AGE})
	 * @param maxSize the most tokens kept
	 */
	public record VerifiedTokensSettings(@DefaultValue("5m") Duration maxAge, @DefaultValue("10000") long maxSize) {

	}

}
