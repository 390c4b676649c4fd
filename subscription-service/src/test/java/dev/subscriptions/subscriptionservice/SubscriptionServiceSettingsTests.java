package dev.subscriptions.subscriptionservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import dev.subscriptions.eventing.test.ApplicationYml;

/**
 * The service's own settings: their defaults, and how a value given overrides one.
 */
class SubscriptionServiceSettingsTests {

	@Test
	void hasItsDefaultsWhenNothingIsSet() {
		SubscriptionServiceSettings settings = bind(Map.of());

		assertThat(settings.topic().partitions()).isEqualTo(6);
		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.webhooks().maxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
		assertThat(settings.lemonSqueezy().secret()).isEmpty();
		assertThat(settings.lemonSqueezy().testMode()).isFalse();
		assertThat(settings.stripe().secret()).isEmpty();
		assertThat(settings.stripe().tolerance()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void takesWhatIsSetAndKeepsTheOtherDefaults() {
		SubscriptionServiceSettings settings = bind(Map.of("subscription-service.period-end.interval", "PT1S"));

		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.topic().partitions()).isEqualTo(6);
	}

	@Test
	void bindsTheEnvironmentVariablesOfApplicationYml() {
		SubscriptionServiceSettings settings = bindApplicationYml(Map.of("SUBSCRIPTION_EVENTS_PARTITIONS", "3",
				"PERIOD_END_INTERVAL", "PT2S", "LEMON_SQUEEZY_SIGNING_SECRET", "ls-secret", "LEMON_SQUEEZY_TEST_MODE",
				"true", "STRIPE_WEBHOOK_SECRET", "whsec_1", "STRIPE_SIGNATURE_TOLERANCE", "PT1M"));

		assertThat(settings.topic().partitions()).isEqualTo(3);
		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.lemonSqueezy().secret()).contains("ls-secret");
		assertThat(settings.lemonSqueezy().testMode()).isTrue();
		assertThat(settings.stripe().secret()).contains("whsec_1");
		assertThat(settings.stripe().tolerance()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void bindsTheDefaultsThroughApplicationYmlWhenNoEnvironmentVariableIsSet() {
		SubscriptionServiceSettings settings = bindApplicationYml(Map.of());

		assertThat(settings.topic().partitions()).isEqualTo(6);
		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.lemonSqueezy().secret()).isEmpty();
		assertThat(settings.lemonSqueezy().testMode()).isFalse();
		assertThat(settings.stripe().secret()).isEmpty();
		assertThat(settings.stripe().tolerance()).isEqualTo(Duration.ofMinutes(5));
	}

	private static SubscriptionServiceSettings bindApplicationYml(Map<String, Object> environment) {
		return ApplicationYml.bind("subscription-service", SubscriptionServiceSettings.class, environment);
	}

	private static SubscriptionServiceSettings bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("subscription-service",
				SubscriptionServiceSettings.class);
	}

}
