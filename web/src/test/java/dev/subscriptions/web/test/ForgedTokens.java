package dev.subscriptions.web.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Tokens a service must refuse with 401, each a good {@link TestTokens} token with one
 * thing wrong.
 */
public final class ForgedTokens {

	private ForgedTokens() {
	}

	/**
	 * One forged token.
	 *
	 * @param name what is wrong with it
	 * @param token the token
	 */
	public record ForgedToken(String name, String token) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** Every kind of forgery, for {@code organization} with {@code scopes}. */
	public static List<ForgedToken> all(UUID organization, String... scopes) {
		Instant now = Instant.now();
		return List.of(
				new ForgedToken("signed with another key under the same key id",
						TestTokens.sign(TestTokens.generate(TestTokens.KEY_ID),
								TestTokens.claims(organization, scopes).build())),
				new ForgedToken("expired",
						TestTokens.token(organization,
								(claims) -> claims.issueTime(Date.from(now.minus(Duration.ofHours(2))))
									.notBeforeTime(Date.from(now.minus(Duration.ofHours(2))))
									.expirationTime(Date.from(now.minus(Duration.ofMinutes(10)))),
								scopes)),
				new ForgedToken("not valid yet",
						TestTokens.token(organization,
								(claims) -> claims.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))), scopes)),
				new ForgedToken("from another issuer",
						TestTokens.token(organization, (claims) -> claims.issuer("https://issuer.example.com"),
								scopes)),
				new ForgedToken("unsigned (alg none)",
						new PlainJWT(TestTokens.claims(organization, scopes).build()).serialize()),
				new ForgedToken("payload changed after signing", tampered(organization, scopes)),
				new ForgedToken("signed with HS256 and the public key as secret",
						hmacWithPublicKey(organization, scopes)),
				new ForgedToken("without an organization",
						TestTokens.token(organization, (claims) -> claims.claim("org_id", null), scopes)),
				new ForgedToken("with an organization that is not a UUID",
						TestTokens.token(organization, (claims) -> claims.claim("org_id", "acme"), scopes)),
				new ForgedToken("with an organization that is a UUID only to a lenient parser",
						TestTokens.token(organization, (claims) -> claims.claim("org_id", "1-1-1-1-1"), scopes)),
				new ForgedToken("not a JWT at all", "not-a-jwt"));
	}

	private static String tampered(UUID organization, String... scopes) {
		String[] parts = TestTokens.token(organization, scopes).split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String changed = payload.replace(organization.toString(), UUID.randomUUID().toString());
		return parts[0] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes(StandardCharsets.UTF_8)) + "."
				+ parts[2];
	}

	private static String hmacWithPublicKey(UUID organization, String... scopes) {
		try {
			JWTClaimsSet claims = TestTokens.claims(organization, scopes).build();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TestTokens.KEY_ID).build(),
					claims);
			jwt.sign(new MACSigner(TestTokens.signingKey().toPublicKey().getEncoded()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
