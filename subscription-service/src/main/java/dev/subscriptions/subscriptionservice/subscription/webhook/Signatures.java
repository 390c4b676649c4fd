package dev.subscriptions.subscriptionservice.subscription.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures as billing providers compute them, compared in constant time.
 */
public final class Signatures {

	private static final HexFormat HEX = HexFormat.of();

	private Signatures() {
	}

	/** The HMAC-SHA256 of {@code parts} (concatenated) with {@code secret}. */
	public static byte[] hmacSha256(String secret, byte[]... parts) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			for (byte[] part : parts) {
				mac.update(part);
			}
			return mac.doFinal();
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * Whether {@code givenHex} is the hex form (either case) of {@code expected}, in time
	 * that does not depend on where they differ; false for anything that is not hex.
	 */
	public static boolean matches(byte[] expected, String givenHex) {
		byte[] given;
		try {
			given = HEX.parseHex(givenHex.trim());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(expected, given);
	}

	/** The SHA-256 of {@code bytes}, hex. */
	public static String sha256Hex(byte[] bytes) {
		try {
			return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
