package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What the local stack hands subscription-service of the caller's environment.
 */
class LocalStackTests {

	@Test
	void givesSubscriptionServiceTheLocalWebhookSecretsByDefault() {
		assertThat(LocalStack.webhookSecrets(Map.of("PATH", "/bin"))).containsExactly(
				Map.entry("LEMON_SQUEEZY_SIGNING_SECRET", "local-lemon-squeezy-secret"),
				Map.entry("STRIPE_WEBHOOK_SECRET", "whsec_local_stripe_secret"));
	}

	@Test
	void letsTheCallersEnvironmentOverrideEachWebhookSecret() {
		assertThat(LocalStack.webhookSecrets(Map.of("STRIPE_WEBHOOK_SECRET", "whsec_mine")))
			.containsEntry("LEMON_SQUEEZY_SIGNING_SECRET", "local-lemon-squeezy-secret")
			.containsEntry("STRIPE_WEBHOOK_SECRET", "whsec_mine");
	}

}
