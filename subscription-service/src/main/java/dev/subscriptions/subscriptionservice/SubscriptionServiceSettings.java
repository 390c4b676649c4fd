package dev.subscriptions.subscriptionservice;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * subscription-service's own settings, under {@code subscription-service.*}, with their
 * defaults (written here only). Environment variables bind by Spring Boot's relaxed
 * rules, e.g. {@code SUBSCRIPTION_SERVICE_TOPIC_PARTITIONS} and
 * {@code SUBSCRIPTION_SERVICE_PERIODEND_INTERVAL}.
 *
 * @param topic the topics this service creates
 * @param periodEnd the job that ends subscriptions canceled at period end
 */
@ConfigurationProperties("subscription-service")
public record SubscriptionServiceSettings(@DefaultValue Topic topic, @DefaultValue PeriodEnd periodEnd) {

	/**
	 * @param partitions partitions of each topic this service creates
	 */
	public record Topic(@DefaultValue("6") int partitions) {
	}

	/**
	 * @param interval how long the job waits after start-up and between its runs
	 */
	public record PeriodEnd(@DefaultValue("PT10S") Duration interval) {
	}

}
