package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

import dev.subscriptions.eventing.test.ApplicationYml;
import dev.subscriptions.subscriptionservice.SubscriptionServiceSettings;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * Without {@code STRIPE_WEBHOOK_SECRET} (the service's {@code application.yml} as it
 * binds with it unset or blank) the Stripe webhook does not exist: a signed delivery is
 * answered 404 before its body is read, and nothing is recorded. (The integration tests
 * run with a secret; the problem's mapping to 404 is the webhooks' shared one.)
 */
class StripeWebhookNotConfiguredTests {

	private final WebhookDeliveries deliveries = mock(WebhookDeliveries.class);

	@Test
	void answersNotFoundWhenNoSecretIsConfigured() {
		assertNotFound(Map.of());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void answersNotFoundWhenTheSecretIsBlank(String secret) {
		assertNotFound(Map.of("STRIPE_WEBHOOK_SECRET", secret));
	}

	private void assertNotFound(Map<String, Object> environment) {
		SubscriptionServiceSettings settings = ApplicationYml.bind("subscription-service",
				SubscriptionServiceSettings.class, environment);
		StripeWebhookController controller = new StripeWebhookController(settings, this.deliveries, StripePayload.JSON,
				Clock.systemUTC());
		StripePayload payload = StripePayload.of("customer.subscription.created.json");
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/stripe");
		request.setContent(payload.bytes());
		request.addHeader(StripeSignature.HEADER, StripePayload.signature("whsec_local_stripe_secret",
				Clock.systemUTC().instant().getEpochSecond(), payload.bytes()));

		assertThatThrownBy(() -> controller.receive(request)).isInstanceOfSatisfying(WebhookRefused.class,
				(refused) -> assertThat(refused.status()).isEqualTo(HttpStatus.NOT_FOUND));
		assertThat(request.getInputStream()).as("the body, unread")
			.hasSameContentAs(new ByteArrayInputStream(payload.bytes()));
		verifyNoInteractions(this.deliveries);
	}

}
