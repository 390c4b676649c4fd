package dev.subscriptions.benefitservice;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * benefit-service's own settings ({@code benefit-service.*}), with their defaults.
 * {@code application.yml} only maps the environment variables onto them; an unset
 * variable leaves the default here.
 *
 * @param topic the topics benefit-service creates
 * @param pastDue how long a past-due subscription keeps its benefits
 * @param customerLock how long a subscription event or a deletion waits for its
 * customer's lock
 */
@ConfigurationProperties("benefit-service")
public record BenefitServiceSettings(@DefaultValue Topic topic, @DefaultValue PastDue pastDue,
		@DefaultValue CustomerLock customerLock) {

	/**
	 * @param partitions partitions of the topics benefit-service creates (its revocation
	 * reports, its dead letters); boxed because an unset variable binds as no value,
	 * which leaves the default (a primitive refuses it)
	 */
	public record Topic(@DefaultValue("6") Integer partitions) {
	}

	/**
	 * @param grace how long a past-due subscription keeps its benefits; {@code PT0S}
	 * suspends them at once
	 * @param checkInterval how often the subscriptions past due beyond the grace period
	 * are looked for
	 */
	public record PastDue(@DefaultValue("P7D") Duration grace, @DefaultValue("PT1M") Duration checkInterval) {
	}

	/**
	 * @param timeout how long a subscription event or a deletion waits for its customer's
	 * lock before it fails, to be retried
	 */
	public record CustomerLock(@DefaultValue("10s") Duration timeout) {
	}

}
