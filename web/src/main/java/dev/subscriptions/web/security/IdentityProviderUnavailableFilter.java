package dev.subscriptions.web.security;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 503 with {@code Retry-After} when a token cannot be checked because the identity
 * provider (its discovery document or its keys) cannot be reached, instead of Spring
 * Security's empty 401 that would tell the caller its token is bad. The service starts
 * without the identity provider and tries again with the next token.
 */
final class IdentityProviderUnavailableFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(IdentityProviderUnavailableFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RuntimeException ex) {
			Throwable unavailable = unavailable(ex);
			if (unavailable == null || response.isCommitted()) {
				throw ex;
			}
			logger
				.warn("Could not check a token: the identity provider cannot be reached: " + unavailable.getMessage());
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			Problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Identity provider unavailable",
					"The token cannot be checked now because the identity provider cannot be reached; try again",
					Map.of());
		}
	}

	private static @Nullable Throwable unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtDecoderInitializationException || cause instanceof AuthenticationServiceException) {
				return cause;
			}
		}
		return null;
	}

}
