package dev.subscriptions.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The tokens the service's decoder has accepted, by their exact text, so that a client
 * that sends the same token with each request has its signature verified and its claims
 * parsed once, not on every request (profiled under load, decoding and verifying was
 * about a fifth of a request's CPU).
 * <p>
 * A token stays accepted at most {@code maxAge} after it was verified and never past its
 * own {@code exp}: then the decoder checks it again, with everything it checks (its clock
 * skew included). Nothing the decoder refuses is kept, so a bad token costs what it did,
 * and the identity provider being unreachable is still reported as such. The keys'
 * rotation is the one thing a kept token does not see: a token signed with a key the
 * identity provider has since withdrawn stays accepted up to {@code maxAge}, as it does
 * for as long as the decoder keeps the key set it fetched (five minutes by default).
 */
final class VerifiedTokens implements JwtDecoder {

	private final JwtDecoder decoder;

	private final Cache<String, Jwt> accepted;

	/**
	 * @param ticker the cache's time, for its entries' ages
	 * @param clock the time a token's {@code exp} is compared with
	 */
	VerifiedTokens(JwtDecoder decoder, Duration maxAge, long maxTokens, Ticker ticker, Clock clock) {
		this.decoder = decoder;
		this.accepted = Caffeine.newBuilder()
			.maximumSize(maxTokens)
			.ticker(ticker)
			.expireAfter(new UntilExpiryOrMaxAge(maxAge, clock))
			.build();
	}

	/** Decodes with {@code decoder} unless the same token was accepted before. */
	static JwtDecoder of(JwtDecoder decoder, Duration maxAge, long maxTokens) {
		if (decoder instanceof VerifiedTokens || maxAge.isZero() || maxTokens == 0) {
			return decoder;
		}
		return new VerifiedTokens(decoder, maxAge, maxTokens, Ticker.systemTicker(), Clock.systemUTC());
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt jwt = this.accepted.getIfPresent(token);
		if (jwt == null) {
			jwt = this.decoder.decode(token);
			this.accepted.put(token, jwt);
		}
		return jwt;
	}

	/**
	 * An accepted token is kept until the sooner of its {@code exp} and {@code maxAge}
	 * after it was verified.
	 */
	private static final class UntilExpiryOrMaxAge implements Expiry<String, Jwt> {

		private final long maxAgeNanos;

		private final Clock clock;

		UntilExpiryOrMaxAge(Duration maxAge, Clock clock) {
			this.maxAgeNanos = maxAge.toNanos();
			this.clock = clock;
		}

		@Override
		public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
			Instant expiresAt = jwt.getExpiresAt();
			if (expiresAt == null) {
				return this.maxAgeNanos;
			}
			long untilExpiry = Duration.between(this.clock.instant(), expiresAt).toNanos();
			return Math.max(0, Math.min(this.maxAgeNanos, untilExpiry));
		}

		@Override
		public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
			return expireAfterCreate(token, jwt, currentTime);
		}

		@Override
		public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
