package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What the local stack hands the services of the caller's environment, and how it tells
 * the operator to get a token.
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

	@Test
	void runsTheAuthorizationServerOnPort9000UnlessLocalAuthPortSaysOtherwise() {
		assertThat(LocalStack.authorizationServerPort(Map.of("PATH", "/bin"))).isEqualTo(9000);
		assertThat(LocalStack.authorizationServerPort(Map.of("LOCAL_AUTH_PORT", "19000"))).isEqualTo(19000);
	}

	@Test
	void keepsPostgresqlsSynchronousCommitUnlessTheEnvironmentSetsIt() {
		assertThat(LocalStack.postgresSettings(Map.of("PATH", "/bin"))).isEmpty();
		assertThat(LocalStack.postgresSettings(Map.of("POSTGRES_SYNCHRONOUS_COMMIT", "on")))
			.containsExactly(Map.entry("synchronous_commit", "on"));
	}

	@Test
	void waitsThreeMinutesForEachServiceUnlessLocalStartTimeoutSaysOtherwise() {
		assertThat(LocalStack.startTimeout(Map.of("PATH", "/bin"))).isEqualTo(Duration.ofMinutes(3));
		assertThat(LocalStack.startTimeout(Map.of("LOCAL_START_TIMEOUT", "600"))).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void namesTheTokenCommandWithoutOptionsForTheDefaultIssuerAndDataDirectory() {
		assertThat(LocalStack.tokenCommand("http://localhost:9000", Path.of(".local-stack").toAbsolutePath()))
			.isEqualTo("java -jar local-stack/target/local-stack.jar token --organization <uuid> "
					+ "--scopes \"customers:write subscriptions:write benefits:write\"");
	}

	@Test
	void namesTheIssuerAndDataDirectoryInTheTokenCommandWhenTheyAreNotTheDefaults() {
		assertThat(LocalStack.tokenCommand("http://localhost:41234", Path.of("/tmp/stack")))
			.endsWith("benefits:write\" --issuer http://localhost:41234 --data /tmp/stack");
	}

}
