package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripePayload.signature;
import static dev.subscriptions.subscriptionservice.subscription.webhook.stripe.StripePayload.v1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;

import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * Stripe's {@code Stripe-Signature} scheme, checked against signatures computed on their
 * own as Stripe documents them: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." +
 * body>}, any {@code v1} may match, {@code t} within the tolerance.
 */
class StripeSignatureTests {

	private static final String SECRET = "whsec_unit_test_secret";

	private static final Duration TOLERANCE = Duration.ofMinutes(5);

	private static final Instant NOW = Instant.parse("2025-06-01T08:00:00Z");

	private static final long T = NOW.getEpochSecond();

	private final byte[] body = StripePayload.of("customer.subscription.created.json").bytes();

	@Test
	void acceptsTheSignatureStripeComputes() {
		assertThatCode(() -> verify(signature(SECRET, T, this.body), this.body)).doesNotThrowAnyException();
	}

	@Test
	void acceptsAHeaderWithTwoV1SignaturesWhenOneOfThemMatches() {
		String header = "t=" + T + ",v1=" + v1("whsec_the_rolled_secret", T, this.body) + ",v1="
				+ v1(SECRET, T, this.body) + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

		assertThatCode(() -> verify(header, this.body)).doesNotThrowAnyException();
	}

	@Test
	void acceptsATimestampJustWithinTheTolerance() {
		long t = T - TOLERANCE.toSeconds();

		assertThatCode(() -> verify(signature(SECRET, t, this.body), this.body)).doesNotThrowAnyException();
	}

	@Test
	void refusesASignatureWithAnotherSecret() {
		assertRefused(signature("whsec_someone_elses_secret", T, this.body), this.body);
	}

	@Test
	void refusesAForgedSignature() {
		assertRefused("t=" + T + ",v1=" + "0".repeat(64), this.body);
	}

	@Test
	void refusesABodyWithOneByteFlipped() {
		byte[] flipped = this.body.clone();
		flipped[flipped.length / 2] ^= 1;

		assertRefused(signature(SECRET, T, this.body), flipped);
	}

	@Test
	void refusesABodyReserializedWithOtherWhitespace() {
		byte[] compact = StripePayload.JSON.writeValueAsString(StripePayload.JSON.readTree(this.body))
			.getBytes(StandardCharsets.UTF_8);

		assertRefused(signature(SECRET, T, this.body), compact);
	}

	@Test
	void refusesASignatureOverAnotherTimestamp() {
		String header = "t=" + (T + 1) + ",v1=" + v1(SECRET, T, this.body);

		assertRefused(header, this.body);
	}

	@Test
	void refusesATimestampOlderThanTheTolerance() {
		long t = T - TOLERANCE.toSeconds() - 1;

		assertRefused(signature(SECRET, t, this.body), this.body);
	}

	@Test
	void refusesATimestampFurtherInTheFutureThanTheTolerance() {
		long t = T + TOLERANCE.toSeconds() + 1;

		assertRefused(signature(SECRET, t, this.body), this.body);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "v1=0123", "t=1748764800", "t=abc,v1=00", "t=-1,v1=00", "garbage" })
	void refusesAMissingOrMalformedHeader(@Nullable String header) {
		assertRefused(header, this.body);
	}

	@Test
	void refusesAHeaderWithOnlyOtherSchemes() {
		String header = "t=" + T + ",v0=" + v1(SECRET, T, this.body);

		assertRefused(header, this.body);
	}

	@Test
	void refusesAHeaderWithTwoTimestamps() {
		String header = "t=" + (T - 3600) + "," + signature(SECRET, T, this.body);

		assertRefused(header, this.body);
	}

	private static void verify(@Nullable String header, byte[] body) {
		StripeSignature.verify(header, body, SECRET, NOW, TOLERANCE);
	}

	private static void assertRefused(@Nullable String header, byte[] body) {
		assertThatThrownBy(() -> verify(header, body)).isInstanceOfSatisfying(WebhookRefused.class,
				(refused) -> assertThat(refused.status()).isEqualTo(HttpStatus.UNAUTHORIZED));
	}

}
