package dev.subscriptions.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VerifiedTokensTests {

	private final FakeTime time = new FakeTime(Instant.parse("2026-12-02T10:00:00Z"));

	private final CountingDecoder decoder = new CountingDecoder();

	private final JwtDecoder tokens = new VerifiedTokens(this.decoder, Duration.ofMinutes(5), 100, this.time,
			this.time);

	@Test
	void verifiesATokenSentAgainOnlyOnce() {
		this.decoder.expiresIn(Duration.ofHours(1));

		Jwt first = this.tokens.decode("token-a");
		Jwt second = this.tokens.decode("token-a");

		assertThat(second).isSameAs(first);
		assertThat(this.decoder.decoded).containsExactly("token-a");
	}

	@Test
	void verifiesEachTokenByItsExactText() {
		this.decoder.expiresIn(Duration.ofHours(1));

		this.tokens.decode("token-a");
		this.tokens.decode("token-b");
		this.tokens.decode("token-a ");

		assertThat(this.decoder.decoded).containsExactly("token-a", "token-b", "token-a ");
	}

	@Test
	void verifiesATokenAgainOnceItHasExpired() {
		this.decoder.expiresIn(Duration.ofMinutes(1));
		this.tokens.decode("token-a");

		this.time.advance(Duration.ofSeconds(59));
		this.tokens.decode("token-a");
		this.time.advance(Duration.ofSeconds(2));
		this.decoder.refuse();

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode("token-a"));
		assertThat(this.decoder.decoded).containsExactly("token-a", "token-a");
	}

	@Test
	void verifiesATokenAgainAfterTheMaxAgeEvenBeforeItExpires() {
		this.decoder.expiresIn(Duration.ofHours(1));
		this.tokens.decode("token-a");

		this.time.advance(Duration.ofMinutes(4));
		this.tokens.decode("token-a");
		this.time.advance(Duration.ofMinutes(2));
		this.tokens.decode("token-a");

		assertThat(this.decoder.decoded).containsExactly("token-a", "token-a");
	}

	@Test
	void keepsNothingTheDecoderRefuses() {
		this.decoder.refuse();

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode("token-a"));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode("token-a"));
		assertThat(this.decoder.decoded).containsExactly("token-a", "token-a");
	}

	@Test
	void keepsNoTokenThatTheDecoderAcceptedPastItsExpiry() {
		// within the decoder's clock skew
		this.decoder.expiresIn(Duration.ofSeconds(-10));

		this.tokens.decode("token-a");
		this.tokens.decode("token-a");

		assertThat(this.decoder.decoded).containsExactly("token-a", "token-a");
	}

	@Test
	void leavesTheDecoderAloneWhenTheMaxAgeIsZero() {
		assertThat(VerifiedTokens.of(this.decoder, Duration.ZERO, 100)).isSameAs(this.decoder);
		assertThat(VerifiedTokens.of(this.decoder, Duration.ofMinutes(5), 0)).isSameAs(this.decoder);
		JwtDecoder kept = VerifiedTokens.of(this.decoder, Duration.ofMinutes(5), 100);
		assertThat(kept).isInstanceOf(VerifiedTokens.class);
		assertThat(VerifiedTokens.of(kept, Duration.ofMinutes(5), 100)).isSameAs(kept);
	}

	/** A decoder that accepts every token until told to refuse, and notes each call. */
	private final class CountingDecoder implements JwtDecoder {

		final List<String> decoded = new ArrayList<>();

		private Duration expiresIn = Duration.ofHours(1);

		private boolean refusing;

		void expiresIn(Duration expiresIn) {
			this.expiresIn = expiresIn;
		}

		void refuse() {
			this.refusing = true;
		}

		@Override
		public Jwt decode(String token) {
			this.decoded.add(token);
			if (this.refusing) {
				throw new BadJwtException("refused");
			}
			Instant now = VerifiedTokensTests.this.time.instant();
			return Jwt.withTokenValue(token)
				.header("alg", "RS256")
				.subject("client")
				.issuedAt(now.minusSeconds(60))
				.expiresAt(now.plus(this.expiresIn))
				.build();
		}

	}

	/** One time for both the cache's ticker and the clock the expiry is read against. */
	private static final class FakeTime extends Clock implements Ticker {

		private final Instant start;

		private final AtomicLong elapsedNanos = new AtomicLong();

		FakeTime(Instant start) {
			this.start = start;
		}

		void advance(Duration duration) {
			this.elapsedNanos.addAndGet(duration.toNanos());
		}

		@Override
		public long read() {
			return this.elapsedNanos.get();
		}

		@Override
		public Instant instant() {
			return this.start.plusNanos(this.elapsedNanos.get());
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
