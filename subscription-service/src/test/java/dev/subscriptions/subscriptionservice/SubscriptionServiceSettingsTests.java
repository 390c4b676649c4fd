package dev.subscriptions.subscriptionservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The service's own settings: their defaults, and how a value given overrides one.
 */
class SubscriptionServiceSettingsTests {

	@Test
	void hasItsDefaultsWhenNothingIsSet() {
		SubscriptionServiceSettings settings = bind(Map.of());

		assertThat(settings.topic().partitions()).isEqualTo(6);
		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void takesWhatIsSetAndKeepsTheOtherDefaults() {
		SubscriptionServiceSettings settings = bind(Map.of("subscription-service.period-end.interval", "PT1S"));

		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.topic().partitions()).isEqualTo(6);
	}

	@Test
	void bindsTheEnvironmentVariablesOfApplicationYml() throws IOException {
		SubscriptionServiceSettings settings = bindApplicationYml(
				Map.of("SUBSCRIPTION_EVENTS_PARTITIONS", "3", "PERIOD_END_INTERVAL", "PT2S"));

		assertThat(settings.topic().partitions()).isEqualTo(3);
		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void bindsTheDefaultsThroughApplicationYmlWhenNoEnvironmentVariableIsSet() throws IOException {
		SubscriptionServiceSettings settings = bindApplicationYml(Map.of());

		assertThat(settings.topic().partitions()).isEqualTo(6);
		assertThat(settings.periodEnd().interval()).isEqualTo(Duration.ofSeconds(10));
	}

	private static SubscriptionServiceSettings bindApplicationYml(Map<String, Object> environment) throws IOException {
		StandardEnvironment env = new StandardEnvironment();
		MutablePropertySources sources = env.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.addFirst(new MapPropertySource("environment", environment));
		for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"))) {
			sources.addLast(yaml);
		}
		return Binder.get(env).bindOrCreate("subscription-service", SubscriptionServiceSettings.class);
	}

	private static SubscriptionServiceSettings bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("subscription-service",
				SubscriptionServiceSettings.class);
	}

}
