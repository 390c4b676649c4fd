package dev.subscriptions.web.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service reads its callers' tokens, beyond Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.*}.
 *
 * @param organizationClaim the claim holding the caller's organization id, a UUID
 * ({@code OAUTH2_ORGANIZATION_CLAIM}); e.g. a namespaced claim for Auth0
 */
@ConfigurationProperties("api.security")
public record ApiSecuritySettings(@DefaultValue("org_id") String organizationClaim) {

}
