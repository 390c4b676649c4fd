package dev.subscriptions.localstack.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Access tokens of an authorization server for the client-credentials grant, each
 * speaking for one organization: {@code POST <issuer>/oauth2/token} with
 * {@code grant_type=client_credentials}, the scopes and {@code organization_id}, the
 * client authenticated by HTTP Basic. A token is kept per (organization, scopes) and used
 * again until 60 seconds before it expires. The {@code token} command, the end-to-end
 * tests, the fault tests and the benchmark get their tokens here.
 */
public final class LocalTokens {

	private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);

	private final URI tokenEndpoint;

	private final String authorization;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Clock clock;

	private final Map<Key, Token> tokens = new ConcurrentHashMap<>();

	public LocalTokens(String issuer, String clientId, String clientSecret) {
		this(issuer, clientId, clientSecret, Clock.systemUTC());
	}

	LocalTokens(String issuer, String clientId, String clientSecret, Clock clock) {
		this.tokenEndpoint = URI.create(issuer.replaceAll("/+$", "") + "/oauth2/token");
		this.authorization = "Basic " + Base64.getEncoder()
			.encodeToString((formEncoded(clientId) + ":" + formEncoded(clientSecret)).getBytes(StandardCharsets.UTF_8));
		this.clock = clock;
	}

	/**
	 * Tokens of the authorization server at {@code issuer} for the local client kept in
	 * {@code auth/clients.json} of {@code dataDirectory} (the local stack's, by default
	 * {@code .local-stack}).
	 */
	public static LocalTokens of(Path dataDirectory, String issuer) {
		Path clients = dataDirectory.resolve("auth").resolve(LocalClient.FILE);
		if (!Files.exists(clients)) {
			throw new IllegalStateException("No " + clients + ": start the local stack (./run-local) or its "
					+ "authorization server (local-stack.jar auth) with this data directory first");
		}
		LocalClient client = LocalClient.read(clients);
		return new LocalTokens(issuer, client.id(), client.secret());
	}

	/**
	 * An access token for {@code organization} with {@code scopes} (space-separated, e.g.
	 * {@code "customers:write subscriptions:read"}).
	 * @throws IllegalStateException if the authorization server refuses, naming its error
	 */
	public String mint(UUID organization, String scopes) {
		Key key = new Key(organization, scopes.trim().replaceAll("\\s+", " "));
		Instant renewal = this.clock.instant().plus(RENEW_BEFORE_EXPIRY);
		return this.tokens.compute(key,
				(requested, kept) -> (kept != null && kept.expiresAt().isAfter(renewal)) ? kept : request(requested))
			.value();
	}

	private Token request(Key key) {
		String form = "grant_type=client_credentials&scope=" + formEncoded(key.scopes()) + "&organization_id="
				+ key.organization();
		HttpRequest request = HttpRequest.newBuilder(this.tokenEndpoint)
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", this.authorization)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		Instant requestedAt = this.clock.instant();
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("No answer from " + this.tokenEndpoint + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking " + this.tokenEndpoint + " for a token", ex);
		}
		Map<String, Object> body = json(response);
		if (response.statusCode() != 200 || !(body.get("access_token") instanceof String token)) {
			throw new IllegalStateException(this.tokenEndpoint + " refused the token request: " + response.statusCode()
					+ " " + describe(body, response.body()));
		}
		long expiresIn = (body.get("expires_in") instanceof Number seconds) ? seconds.longValue() : 0;
		return new Token(token, requestedAt.plusSeconds(expiresIn));
	}

	private static Map<String, Object> json(HttpResponse<String> response) {
		try {
			return JSONObjectUtils.parse(response.body());
		}
		catch (ParseException ex) {
			return Map.of();
		}
	}

	private static String describe(Map<String, Object> error, String body) {
		if (error.get("error") == null) {
			return body;
		}
		return error.get("error")
				+ ((error.get("error_description") != null) ? " (" + error.get("error_description") + ")" : "");
	}

	private static String formEncoded(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private record Key(UUID organization, String scopes) {
	}

	private record Token(String value, Instant expiresAt) {
	}

}
