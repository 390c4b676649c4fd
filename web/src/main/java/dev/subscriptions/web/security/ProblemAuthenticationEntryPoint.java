package dev.subscriptions.web.security;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for a request without a valid token (400 for a malformed one, RFC 6750): Spring
 * Security's {@code WWW-Authenticate: Bearer ...} challenge (with
 * {@code error="invalid_token"} and its description for a token that was refused), and a
 * problem saying why.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		this.challenge.commence(request, response, failure);
		String detail = "A valid bearer token is required";
		if (failure instanceof OAuth2AuthenticationException refused && refused.getError().getDescription() != null) {
			detail = refused.getError().getDescription();
		}
		HttpStatus status = HttpStatus.valueOf(response.getStatus());
		Problems.write(request, response, status, status.getReasonPhrase(), detail, Map.of());
	}

}
