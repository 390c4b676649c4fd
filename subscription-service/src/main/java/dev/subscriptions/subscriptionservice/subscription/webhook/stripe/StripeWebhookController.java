package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.subscriptions.subscriptionservice.SubscriptionServiceSettings;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookBody;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * {@code POST /webhooks/stripe}, the endpoint a Stripe account's event destination
 * delivers to. Without {@code STRIPE_WEBHOOK_SECRET} it does not exist (404). Otherwise
 * it reads the raw body (413 over the webhooks' limit), verifies its
 * {@code Stripe-Signature} over those bytes with the endpoint's secret before parsing
 * anything (401, nothing stored; see {@link StripeSignature}), reads the event (400 when
 * it is no Stripe event) and answers 200 once what it says ({@link StripeChanges}) is in
 * the outbox, recorded under the event's {@code id}: Stripe's retries of it then store
 * nothing more. Events this service does not follow are answered 200 too, so that Stripe
 * stops sending them, and counted as ignored.
 * <p>
 * An endpoint's secret belongs to one mode (test or live), so the mode needs no check of
 * its own: the other mode's events are not signed with this secret.
 */
@RestController
class StripeWebhookController {

	private final SubscriptionServiceSettings settings;

	private final WebhookDeliveries deliveries;

	private final JsonMapper json;

	private final Clock clock;

	StripeWebhookController(SubscriptionServiceSettings settings, WebhookDeliveries deliveries, JsonMapper json,
			Clock clock) {
		this.settings = settings;
		this.deliveries = deliveries;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * What became of a delivery.
	 *
	 * @param id the Stripe event's id
	 * @param type its type
	 * @param outcome {@code applied} (written to billing.events), {@code replayed} (a
	 * delivery of it was applied before) or {@code ignored} (nothing this service
	 * follows)
	 */
	record Receipt(String id, String type, String outcome) {
	}

	@PostMapping("/webhooks/stripe")
	Receipt receive(HttpServletRequest request) {
		String secret = this.settings.stripe()
			.secret()
			.orElseThrow(() -> WebhookRefused.notConfigured(BillingChange.STRIPE));
		byte[] body = WebhookBody.read(request, this.settings.webhooks().maxBodySize());
		StripeSignature.verify(request.getHeader(StripeSignature.HEADER), body, secret, this.clock.instant(),
				this.settings.stripe().tolerance());
		StripeEvent event = StripeEvent.parse(this.json, body);
		Optional<BillingChange> change = StripeChanges.of(event);
		if (change.isEmpty()) {
			this.deliveries.ignored(BillingChange.STRIPE, event.type());
			return new Receipt(event.id(), event.type(), "ignored");
		}
		boolean applied = this.deliveries.accept(BillingChange.STRIPE, event.id(), event.type(), change.get());
		return new Receipt(event.id(), event.type(), applied ? "applied" : "replayed");
	}

}
