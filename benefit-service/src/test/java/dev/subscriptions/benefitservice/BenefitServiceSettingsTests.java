package dev.subscriptions.benefitservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.test.ApplicationYml;

/**
 * benefit-service's settings as {@code application.yml} binds them: the defaults of
 * {@link BenefitServiceSettings} while the environment variables are unset, the
 * variables' values once set.
 */
class BenefitServiceSettingsTests {

	@Test
	void bindsTheDefaultsWhenNoEnvironmentVariableIsSet() {
		BenefitServiceSettings settings = bind(Map.of());

		assertThat(settings.topic().partitions()).isEqualTo(6);
		assertThat(settings.pastDue().grace()).isEqualTo(Duration.ofDays(7));
		assertThat(settings.pastDue().checkInterval()).isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.customerLock().timeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void bindsTheEnvironmentVariablesOfApplicationYml() {
		BenefitServiceSettings settings = bind(Map.of("BENEFIT_TOPIC_PARTITIONS", "3", "PAST_DUE_GRACE", "PT0S",
				"PAST_DUE_CHECK_INTERVAL", "PT5S", "CUSTOMER_LOCK_TIMEOUT", "500ms"));

		assertThat(settings.topic().partitions()).isEqualTo(3);
		assertThat(settings.pastDue().grace()).isZero();
		assertThat(settings.pastDue().checkInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.customerLock().timeout()).isEqualTo(Duration.ofMillis(500));
	}

	private static BenefitServiceSettings bind(Map<String, Object> environment) {
		return ApplicationYml.bind("benefit-service", BenefitServiceSettings.class, environment);
	}

}
