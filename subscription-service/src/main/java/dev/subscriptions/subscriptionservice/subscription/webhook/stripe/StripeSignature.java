package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.webhook.Signatures;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * Stripe's webhook signature: the header
 * {@code Stripe-Signature: t=<unix seconds>,v1=<hex>} (more than one {@code v1} while an
 * endpoint's secret is being rolled; other schemes such as {@code v0} are not signatures
 * of this secret and are skipped). A delivery is genuine when any {@code v1} is the hex
 * HMAC-SHA256 of {@code "<t>." + raw body} with the endpoint's secret, compared in
 * constant time, and {@code t} is within the tolerance of now, in either direction (an
 * old one is a replay; one from the future is not Stripe's).
 */
final class StripeSignature {

	static final String HEADER = "Stripe-Signature";

	private StripeSignature() {
	}

	/**
	 * Verifies {@code header} over {@code body}.
	 * @throws WebhookRefused (401) when the header is missing or malformed, no {@code v1}
	 * matches, or {@code t} is further than {@code tolerance} from {@code now}
	 */
	static void verify(@Nullable String header, byte[] body, String secret, Instant now, Duration tolerance) {
		if (header == null || header.isBlank()) {
			throw refused("no " + HEADER + " header");
		}
		String timestamp = null;
		List<String> signatures = new ArrayList<>();
		for (String element : header.split(",")) {
			int separator = element.indexOf('=');
			if (separator < 0) {
				continue;
			}
			String key = element.substring(0, separator).trim();
			String value = element.substring(separator + 1).trim();
			if (key.equals("t")) {
				if (timestamp != null) {
					throw refused(HEADER + " has more than one timestamp t");
				}
				timestamp = value;
			}
			else if (key.equals("v1")) {
				signatures.add(value);
			}
		}
		if (timestamp == null || !timestamp.matches("[0-9]{1,18}")) {
			throw refused(HEADER + " has no timestamp t in Unix seconds");
		}
		if (signatures.isEmpty()) {
			throw refused(HEADER + " has no v1 signature");
		}
		byte[] expected = Signatures.hmacSha256(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
		boolean matched = false;
		for (String signature : signatures) {
			matched |= Signatures.matches(expected, signature);
		}
		if (!matched) {
			throw refused("no v1 signature of " + HEADER + " matches the payload");
		}
		Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
		if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
			throw refused("the signature's timestamp " + signedAt + " is more than " + tolerance + " from now");
		}
	}

	private static WebhookRefused refused(String why) {
		return WebhookRefused.signatureInvalid(BillingChange.STRIPE, why);
	}

}
