package dev.subscriptions.subscriptionservice;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * subscription-service's own settings, under {@code subscription-service.*}, with their
 * defaults (written here only). {@code application.yml} maps the environment variables
 * {@code SUBSCRIPTION_EVENTS_PARTITIONS}, {@code PERIOD_END_INTERVAL},
 * {@code LEMON_SQUEEZY_SIGNING_SECRET}, {@code LEMON_SQUEEZY_TEST_MODE},
 * {@code STRIPE_WEBHOOK_SECRET} and {@code STRIPE_SIGNATURE_TOLERANCE} onto them; an
 * unset variable leaves the default.
 *
 * @param topic the topics this service creates
 * @param periodEnd the job that ends subscriptions canceled at period end
 * @param webhooks what every billing provider's webhook shares
 * @param lemonSqueezy the Lemon Squeezy webhook
 * @param stripe the Stripe webhook
 */
@ConfigurationProperties("subscription-service")
public record SubscriptionServiceSettings(@DefaultValue Topic topic, @DefaultValue PeriodEnd periodEnd,
		@DefaultValue Webhooks webhooks, @DefaultValue LemonSqueezy lemonSqueezy, @DefaultValue Stripe stripe) {

	/**
	 * @param partitions partitions of each topic this service creates; boxed because an
	 * unset variable binds as no value, which leaves the default (a primitive refuses it)
	 */
	public record Topic(@DefaultValue("6") Integer partitions) {
	}

	/**
	 * @param interval how long the job waits after start-up and between its runs
	 */
	public record PeriodEnd(@DefaultValue("PT10S") Duration interval) {
	}

	/**
	 * @param maxBodySize the largest request body a webhook reads; a larger one is
	 * answered 413 unread
	 */
	public record Webhooks(@DefaultValue("1MB") DataSize maxBodySize) {
	}

	/**
	 * @param signingSecret the signing secret of the store's webhook; without one the
	 * endpoint does not exist (404)
	 * @param testMode whether the store's events in test mode are the ones applied (and
	 * live ones ignored); boxed, see {@link Topic}
	 */
	public record LemonSqueezy(@Nullable String signingSecret, @DefaultValue("false") Boolean testMode) {

		/** The signing secret, unless none (or a blank one) is configured. */
		public Optional<String> secret() {
			return Optional.ofNullable(this.signingSecret).filter(StringUtils::hasText);
		}

	}

	/**
	 * @param webhookSecret the endpoint's signing secret ({@code whsec_…}); without one
	 * the endpoint does not exist (404)
	 * @param tolerance how far the signature's timestamp may be from now
	 */
	public record Stripe(@Nullable String webhookSecret, @DefaultValue("PT5M") Duration tolerance) {

		/** The signing secret, unless none (or a blank one) is configured. */
		public Optional<String> secret() {
			return Optional.ofNullable(this.webhookSecret).filter(StringUtils::hasText);
		}

	}

}
