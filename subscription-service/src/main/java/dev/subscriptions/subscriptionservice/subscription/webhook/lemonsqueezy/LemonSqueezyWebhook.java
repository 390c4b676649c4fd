package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.subscriptions.subscriptionservice.SubscriptionServiceSettings;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.webhook.Signatures;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookBody;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * {@code POST /webhooks/lemon-squeezy}, the store's webhook. In this order:
 * <ol>
 * <li>no signing secret configured: 404;</li>
 * <li>a body over the limit (1 MB): 413;</li>
 * <li>{@code X-Signature} missing, not hex, or not the lowercase hex HMAC-SHA256 of the
 * raw body with the secret (compared in constant time, before anything is parsed): 401,
 * nothing stored;</li>
 * <li>not JSON, or not shaped as Lemon Squeezy documents: 400;</li>
 * <li>{@code meta.test_mode} other than the configured mode, or an event name not
 * handled: 200, counted, nothing stored;</li>
 * <li>otherwise the delivery is recorded once (by {@code meta.webhook_id}, or the body's
 * SHA-256) with what it says written to {@code billing.events} in the same transaction,
 * and answered 200 — also for a replay, which stores nothing more, so that Lemon
 * Squeezy's retries stop.</li>
 * </ol>
 */
@RestController
class LemonSqueezyWebhook {

	/** The header that carries the signature. */
	static final String SIGNATURE = "X-Signature";

	private static final Logger logger = LoggerFactory.getLogger(LemonSqueezyWebhook.class);

	private final SubscriptionServiceSettings settings;

	private final ObjectMapper json;

	private final LemonSqueezyDeliveries deliveries;

	LemonSqueezyWebhook(SubscriptionServiceSettings settings, ObjectMapper json, LemonSqueezyDeliveries deliveries) {
		this.settings = settings;
		this.json = json;
		this.deliveries = deliveries;
	}

	@PostMapping("/webhooks/lemon-squeezy")
	ResponseEntity<Void> receive(HttpServletRequest request) {
		String secret = this.settings.lemonSqueezy()
			.secret()
			.orElseThrow(() -> WebhookRefused.notConfigured(LemonSqueezyPayload.PROVIDER));
		byte[] body = WebhookBody.read(request, this.settings.webhooks().maxBodySize());
		verify(body, request.getHeader(SIGNATURE), secret);
		LemonSqueezyPayload payload = LemonSqueezyPayload.parse(this.json, body);
		String eventName = payload.eventName();
		if (payload.testMode() != Boolean.TRUE.equals(this.settings.lemonSqueezy().testMode())) {
			logger.info("Ignored Lemon Squeezy {} of {} mode", eventName, payload.testMode() ? "test" : "live");
			this.deliveries.ignored(eventName);
			return ResponseEntity.ok().build();
		}
		Optional<LemonSqueezyEvent> handled = LemonSqueezyEvent.named(eventName);
		if (handled.isEmpty()) {
			logger.debug("Ignored Lemon Squeezy {}: not handled", eventName);
			this.deliveries.ignored(eventName);
			return ResponseEntity.ok().build();
		}
		LemonSqueezyEvent event = handled.get();
		String deliveryId = payload.requireData(event.data()).deliveryId(body);
		BillingChange change = switch (event.data()) {
			case SUBSCRIPTION -> payload.subscription(eventId(deliveryId));
			case SUBSCRIPTION_INVOICE -> payload.invoice(eventId(deliveryId));
			case ORDER -> null;
		};
		ProviderOrder order = (event.data() == LemonSqueezyEvent.ObjectType.ORDER) ? payload.order() : null;
		this.deliveries.apply(deliveryId, eventName, change, order);
		return ResponseEntity.ok().build();
	}

	private static void verify(byte[] body, @Nullable String signature, String secret) {
		if (signature == null || signature.isBlank()) {
			throw WebhookRefused.signatureInvalid(LemonSqueezyPayload.PROVIDER, SIGNATURE + " header is missing");
		}
		byte[] expected = Signatures.hmacSha256(secret, body);
		if (!Signatures.matches(expected, signature)) {
			throw WebhookRefused.signatureInvalid(LemonSqueezyPayload.PROVIDER,
					SIGNATURE + " is not the HMAC-SHA256 of the body with the signing secret");
		}
	}

	private static UUID eventId(String deliveryId) {
		return WebhookDeliveries.eventId(BillingChange.LEMON_SQUEEZY, deliveryId);
	}

}
