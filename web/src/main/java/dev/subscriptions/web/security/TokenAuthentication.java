package dev.subscriptions.web.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A validated token as the caller: its scopes (from {@code scope} or {@code scp}, a
 * string of space-separated scopes or a list) as {@code SCOPE_} authorities, each
 * {@code :write} scope also granting the {@code :read} scope of its resource; its subject
 * as the name. A token without an organization (a UUID in the configured claim) is
 * refused as invalid.
 */
final class TokenAuthentication implements Converter<Jwt, AbstractAuthenticationToken> {

	static final String AUTHORITY_PREFIX = "SCOPE_";

	private final String organizationClaim;

	TokenAuthentication(String organizationClaim) {
		this.organizationClaim = organizationClaim;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		organization(jwt);
		Set<GrantedAuthority> authorities = new LinkedHashSet<>();
		for (String scope : scopes(jwt)) {
			authorities.add(new SimpleGrantedAuthority(AUTHORITY_PREFIX + scope));
			ApiScopes.impliedBy(scope)
				.ifPresent((implied) -> authorities.add(new SimpleGrantedAuthority(AUTHORITY_PREFIX + implied)));
		}
		return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
	}

	/** The organization the token acts for. */
	Organization organization(Jwt jwt) {
		Object claim = jwt.getClaims().get(this.organizationClaim);
		if (claim == null) {
			throw new InvalidBearerTokenException(
					"The token names no organization (claim " + this.organizationClaim + ")");
		}
		try {
			UUID organization = UUID.fromString(claim.toString());
			if (organization.toString().equalsIgnoreCase(claim.toString())) {
				return new Organization(organization);
			}
		}
		catch (IllegalArgumentException ex) {
			// not a UUID at all
		}
		throw new InvalidBearerTokenException(
				"The token's organization (claim " + this.organizationClaim + ") is not a UUID");
	}

	private static Collection<String> scopes(Jwt jwt) {
		Object scopes = jwt.getClaims().get("scope");
		if (scopes == null) {
			scopes = jwt.getClaims().get("scp");
		}
		return split(scopes);
	}

	private static Collection<String> split(@Nullable Object scopes) {
		if (scopes instanceof String text) {
			return List.of(text.trim().split("\\s+")).stream().filter((scope) -> !scope.isEmpty()).toList();
		}
		if (scopes instanceof Collection<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return List.of();
	}

}
