/**
 * Every service as an OAuth2 resource server: JWT bearer tokens checked against the
 * identity provider, scopes per endpoint from the service's {@link ApiScopes}, the
 * caller's {@link Organization} from a claim, and RFC 9457 problems for 401, 403 and an
 * unreachable identity provider.
 */
@NullMarked
package dev.subscriptions.web.security;

import org.jspecify.annotations.NullMarked;
