package dev.subscriptions.web.test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Access tokens as the platform's identity provider would issue them, signed with the key
 * {@link TestIdentityProvider} publishes: issuer, subject, audience {@value #AUDIENCE},
 * one hour of validity, the organization in {@code org_id} and the scopes in
 * {@code scope}.
 */
public final class TestTokens {

	/** The audience tokens carry. */
	public static final String AUDIENCE = "subscription-platform";

	/** The id of the signing key. */
	public static final String KEY_ID = "test-signing-key";

	private static final RSAKey SIGNING_KEY = generate(KEY_ID);

	private TestTokens() {
	}

	/** A token of {@code organization} with {@code scopes}. */
	public static String token(UUID organization, String... scopes) {
		return sign(SIGNING_KEY, claims(organization, scopes).build());
	}

	/**
	 * A token of {@code organization} with {@code scopes} issued by {@code issuer} (with
	 * the same key), for an identity provider of {@link TestIdentityProvider#startOn}.
	 */
	public static String issuedBy(String issuer, UUID organization, String... scopes) {
		return token(organization, (claims) -> claims.issuer(issuer), scopes);
	}

	/** {@code Bearer <token>}, for an {@code Authorization} header. */
	public static String bearer(UUID organization, String... scopes) {
		return "Bearer " + token(organization, scopes);
	}

	/** {@code client} sending a token of {@code organization} with every request. */
	public static RestTestClient authorized(RestTestClient client, UUID organization, String... scopes) {
		String bearer = bearer(organization, scopes);
		return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, bearer).build();
	}

	/**
	 * The claims of a good token, to change before {@link #sign signing}.
	 */
	static JWTClaimsSet.Builder claims(UUID organization, String... scopes) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(TestIdentityProvider.issuer())
			.subject("test-client")
			.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now.minusSeconds(1)))
			.expirationTime(Date.from(now.plus(Duration.ofHours(1))))
			.claim("org_id", organization.toString())
			.claim("scope", String.join(" ", List.of(scopes)));
	}

	/** A token with the claims of a good one, changed by {@code change}. */
	static String token(UUID organization, Consumer<JWTClaimsSet.Builder> change, String... scopes) {
		JWTClaimsSet.Builder claims = claims(organization, scopes);
		change.accept(claims);
		return sign(SIGNING_KEY, claims.build());
	}

	static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static RSAKey signingKey() {
		return SIGNING_KEY;
	}

	static RSAKey generate(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
