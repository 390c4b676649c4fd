package dev.subscriptions.web.security;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * The {@link Organization} parameter of a controller method: the organization of the
 * request's token.
 */
final class OrganizationArgumentResolver implements HandlerMethodArgumentResolver {

	private final TokenAuthentication tokens;

	OrganizationArgumentResolver(TokenAuthentication tokens) {
		this.tokens = tokens;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Organization.class.equals(parameter.getParameterType());
	}

	@Override
	public Organization resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
			NativeWebRequest request, @Nullable WebDataBinderFactory binders) {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (caller instanceof JwtAuthenticationToken token) {
			return this.tokens.organization(token.getToken());
		}
		throw new IllegalStateException(parameter.getExecutable() + " takes an Organization, but "
				+ "its endpoint is open: give it a scope in the service's ApiScopes");
	}

}
