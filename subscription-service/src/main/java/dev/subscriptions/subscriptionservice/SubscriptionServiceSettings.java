package dev.subscriptions.subscriptionservice;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * subscription-service's own settings, under {@code subscription-service.*}, with their
 * defaults (written here only). {@code application.yml} maps the environment variables
 * {@code SUBSCRIPTION_EVENTS_PARTITIONS} and {@code PERIOD_END_INTERVAL} onto them; an
 * unset variable leaves the default.
 *
 * @param topic the topics this service creates
 * @param periodEnd the job that ends subscriptions canceled at period end
 */
@ConfigurationProperties("subscription-service")
public record SubscriptionServiceSettings(@DefaultValue Topic topic, @DefaultValue PeriodEnd periodEnd) {

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

}
