package dev.subscriptions.web.security;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 for a valid token without the scope a request needs (RFC 6750):
 * {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="..."} and a problem
 * whose {@code scope} property names it.
 */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		String scope = neededScope(denied);
		if (scope.isEmpty()) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer error=\"insufficient_scope\", " + "error_description=\"No scope allows this request\"");
			Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "No scope allows this request",
					Map.of());
			return;
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
				+ "error_description=\"The request requires scope " + scope + "\", scope=\"" + scope + "\"");
		Problems.write(request, response, HttpStatus.FORBIDDEN, "Insufficient scope",
				"The request requires scope " + scope, Map.of("scope", scope));
	}

	private static String neededScope(AccessDeniedException denied) {
		if (denied instanceof AuthorizationDeniedException authorization
				&& authorization.getAuthorizationResult() instanceof AuthorityAuthorizationDecision decision) {
			return decision.getAuthorities()
				.stream()
				.map((authority) -> authority.getAuthority())
				.filter((authority) -> authority != null && authority.startsWith(TokenAuthentication.AUTHORITY_PREFIX))
				.map((authority) -> authority.substring(TokenAuthentication.AUTHORITY_PREFIX.length()))
				.collect(Collectors.joining(" "));
		}
		return "";
	}

}
