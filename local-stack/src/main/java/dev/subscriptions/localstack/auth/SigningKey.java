package dev.subscriptions.localstack.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * The authorization server's RSA signing key, a JWK with its private part in
 * {@code auth/signing-key.json} of the data directory: made at the first start and kept,
 * so that tokens stay valid across restarts (until {@code --fresh} deletes it).
 */
final class SigningKey {

	static final String FILE = "signing-key.json";

	private SigningKey() {
	}

	/** The key in {@code directory}, made there first if there is none. */
	static RSAKey in(Path directory) {
		Path file = directory.resolve(FILE);
		if (Files.exists(file)) {
			try {
				return RSAKey.parse(OwnerOnlyFiles.read(file));
			}
			catch (ParseException ex) {
				throw new IllegalStateException(file + " is not an RSA JWK (delete it to make a new key, which "
						+ "invalidates every token signed so far): " + ex.getMessage(), ex);
			}
		}
		RSAKey key = generate();
		OwnerOnlyFiles.write(file, key.toJSONString());
		return key;
	}

	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not make an RSA key", ex);
		}
	}

}
