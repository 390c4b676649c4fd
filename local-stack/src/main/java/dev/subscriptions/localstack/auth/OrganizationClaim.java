package dev.subscriptions.localstack.auth;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Gives each access token of the client-credentials grant the organization its request
 * names ({@code organization_id}, a UUID) as the {@code org_id} claim, and the platform's
 * audience {@code subscription-platform}. A token request without the parameter, or with
 * one that is not a UUID, is refused with {@code 400 invalid_request}: a platform token
 * always speaks for one organization.
 * <p>
 * The local client may name any organization; an identity provider in production pins the
 * organization to the client or the user instead (a claim mapper in Keycloak).
 */
final class OrganizationClaim implements OAuth2TokenCustomizer<JwtEncodingContext> {

	/** The token request's form parameter naming the organization. */
	static final String PARAMETER = "organization_id";

	/** The claim the services read the organization from (their default). */
	static final String CLAIM = "org_id";

	@Override
	public void customize(JwtEncodingContext context) {
		if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
				|| !(context.getAuthorizationGrant() instanceof OAuth2ClientCredentialsAuthenticationToken grant)) {
			return;
		}
		UUID organization = organization(grant.getAdditionalParameters().get(PARAMETER));
		context.getClaims().claim(CLAIM, organization.toString()).audience(List.of(LocalAuthorizationServer.AUDIENCE));
	}

	private static UUID organization(@Nullable Object parameter) {
		if (!(parameter instanceof String value) || value.isBlank()) {
			throw refused("The token request needs the parameter " + PARAMETER + ": the organization (a UUID) "
					+ "the token speaks for");
		}
		try {
			UUID organization = UUID.fromString(value);
			if (organization.toString().equals(value.toLowerCase(Locale.ROOT))) {
				return organization;
			}
		}
		catch (IllegalArgumentException ex) {
			// refused below
		}
		throw refused(PARAMETER + " must be a UUID, such as 3f2a6c1e-0b7d-4c6e-9a51-2d8f0e4b7c19");
	}

	private static OAuth2AuthenticationException refused(String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description, null));
	}

}
