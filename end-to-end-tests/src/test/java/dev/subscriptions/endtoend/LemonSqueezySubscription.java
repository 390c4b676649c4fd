package dev.subscriptions.endtoend;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * One Lemon Squeezy subscription, as Lemon Squeezy's webhooks describe it: each method is
 * the next webhook about it, shaped like the documented ones (a {@code subscriptions}
 * object in {@code data}, the event in {@code meta.event_name}, the checkout's custom
 * data in {@code meta.custom_data}, a {@code meta.webhook_id} per delivery) and signed as
 * Lemon Squeezy signs them: {@code X-Signature} is the lowercase hex HMAC-SHA256 of the
 * body's bytes with the signing secret. Each webhook's {@code updated_at} is a second
 * after the one before.
 */
final class LemonSqueezySubscription {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final String SUBSCRIPTION = """
			{
			  "meta": {
			    "test_mode": false,
			    "event_name": "%1$s",
			    "webhook_id": "%2$s",
			    "custom_data": {
			      "customer_id": "%3$s",
			      "product_id": "%4$s"
			    }
			  },
			  "data": {
			    "type": "subscriptions",
			    "id": "%5$s",
			    "attributes": {
			      "store_id": 4117,
			      "customer_id": %6$d,
			      "order_id": %7$d,
			      "order_item_id": %8$d,
			      "product_id": 21907,
			      "variant_id": 27510,
			      "product_name": "Premium",
			      "variant_name": "Monthly",
			      "user_name": "Ada Lovelace",
			      "user_email": "ada@example.com",
			      "status": "%9$s",
			      "status_formatted": "%10$s",
			      "card_brand": "visa",
			      "card_last_four": "4242",
			      "pause": %11$s,
			      "cancelled": false,
			      "trial_ends_at": null,
			      "billing_anchor": 1,
			      "first_subscription_item": {
			        "id": %8$d,
			        "subscription_id": %5$s,
			        "price_id": 30412,
			        "quantity": 1,
			        "created_at": "%12$s",
			        "updated_at": "%12$s"
			      },
			      "urls": {
			        "update_payment_method": "https://example.lemonsqueezy.com/subscription/%5$s/payment-details",
			        "customer_portal": "https://example.lemonsqueezy.com/billing"
			      },
			      "renews_at": "%13$s",
			      "ends_at": null,
			      "created_at": "%12$s",
			      "updated_at": "%14$s",
			      "test_mode": false
			    },
			    "relationships": {
			      "order": {
			        "links": {
			          "related": "https://api.lemonsqueezy.com/v1/subscriptions/%5$s/order",
			          "self": "https://api.lemonsqueezy.com/v1/subscriptions/%5$s/relationships/order"
			        }
			      }
			    },
			    "links": {
			      "self": "https://api.lemonsqueezy.com/v1/subscriptions/%5$s"
			    }
			  }
			}
			""";

	/** Lemon Squeezy's id of the subscription ({@code data.id}). */
	private final String id = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000));

	private final long providerCustomerId = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);

	private final long orderId = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);

	private final String customerId;

	private final String productId;

	private final String secret;

	private final Instant createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private Instant updatedAt = this.createdAt;

	/**
	 * @param customerId our customer (the checkout's custom data)
	 * @param productId our product (the checkout's custom data)
	 * @param secret the webhook's signing secret
	 */
	LemonSqueezySubscription(String customerId, UUID productId, String secret) {
		this.customerId = customerId;
		this.productId = productId.toString();
		this.secret = secret;
	}

	/** Lemon Squeezy's id of the subscription. */
	String id() {
		return this.id;
	}

	/** Our customer's id, which the checkout's custom data carries. */
	String customerId() {
		return this.customerId;
	}

	/** {@code subscription_created}: active. */
	Webhook created() {
		return webhook("subscription_created", "active", null);
	}

	/** {@code subscription_paused}, with this {@code pause.mode}. */
	Webhook paused(String mode) {
		return webhook("subscription_paused", "paused", mode);
	}

	/** {@code subscription_unpaused}: active again, {@code pause} null. */
	Webhook unpaused() {
		return webhook("subscription_unpaused", "active", null);
	}

	/**
	 * {@code subscription_updated}, which Lemon Squeezy sends on any change of the
	 * subscription, with its status and pause mode (null: not paused).
	 */
	Webhook updated(String status, @Nullable String pauseMode) {
		return webhook("subscription_updated", status, pauseMode);
	}

	private Webhook webhook(String eventName, String status, @Nullable String pauseMode) {
		this.updatedAt = this.updatedAt.plusSeconds(1);
		String pause = (pauseMode != null) ? "{\"mode\": \"" + pauseMode + "\", \"resumes_at\": null}" : "null";
		String json = SUBSCRIPTION.formatted(eventName, UUID.randomUUID(), this.customerId, this.productId, this.id,
				this.providerCustomerId, this.orderId, this.orderId + 1, status,
				Character.toUpperCase(status.charAt(0)) + status.substring(1), pause, TIME.format(this.createdAt),
				TIME.format(this.createdAt.plus(Duration.ofDays(30))), TIME.format(this.updatedAt));
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		return new Webhook(eventName, body, signature(this.secret, body));
	}

	/** Lemon Squeezy's {@code X-Signature}: lowercase hex HMAC-SHA256 of the body. */
	static String signature(String secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One delivery: the event's name, the body's bytes and their signature.
	 *
	 * @param eventName {@code meta.event_name}, also sent as {@code X-Event-Name}
	 * @param body the request body, as signed
	 * @param signature {@code X-Signature}
	 */
	record Webhook(String eventName, byte[] body, String signature) {

	}

}
