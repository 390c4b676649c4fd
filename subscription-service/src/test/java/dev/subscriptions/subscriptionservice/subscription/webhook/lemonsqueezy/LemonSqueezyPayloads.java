package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Lemon Squeezy purchase (an order and the subscription it started) as its webhook
 * deliveries: each built from a documented payload under {@code webhooks/lemon-squeezy/},
 * its placeholders filled in (see the README there) with this purchase's ids, a new
 * {@code webhook_id}, and an {@code updated_at} one second after the previous delivery's.
 */
final class LemonSqueezyPayloads {

	/** How Lemon Squeezy writes a time: {@code 2025-05-01T10:00:00.000000Z}. */
	static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 90_000) * 100_000);

	private static final Pattern NUMBER = Pattern.compile("\"\\{\\{number:([a-z_]+)}}\"");

	private static final Pattern TEXT = Pattern.compile("\\{\\{([a-z_]+)}}");

	final UUID customerId;

	final UUID productId;

	final String subscriptionId = nextId();

	final String orderId = nextId();

	final String providerCustomerId = nextId();

	private final Instant createdAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

	private Instant updatedAt = this.createdAt;

	LemonSqueezyPayloads(UUID customerId, UUID productId) {
		this.customerId = customerId;
		this.productId = productId;
	}

	/** A Lemon Squeezy id no other test uses. */
	static String nextId() {
		return Long.toString(ids.incrementAndGet());
	}

	/** The delivery of payload {@code name}, its placeholders filled in. */
	Delivery delivery(String name) {
		return delivery(name, Map.of());
	}

	/**
	 * The delivery of payload {@code name}, with {@code values} for some placeholders.
	 */
	Delivery delivery(String name, Map<String, String> values) {
		this.updatedAt = this.updatedAt.plusSeconds(1);
		Map<String, String> filled = new HashMap<>();
		filled.put("webhook_id", UUID.randomUUID().toString());
		filled.put("customer_id", this.customerId.toString());
		filled.put("product_id", this.productId.toString());
		filled.put("subscription_id", this.subscriptionId);
		filled.put("order_id", this.orderId);
		filled.put("invoice_id", nextId());
		filled.put("license_key_id", nextId());
		filled.put("provider_customer_id", this.providerCustomerId);
		filled.put("created_at", TIME.format(this.createdAt));
		filled.put("updated_at", TIME.format(this.updatedAt));
		filled.put("renews_at", TIME.format(this.updatedAt.plus(30, ChronoUnit.DAYS)));
		filled.put("resumes_at", TIME.format(this.updatedAt.plus(7, ChronoUnit.DAYS)));
		filled.putAll(values);
		return new Delivery(name, fill(template(name), filled).getBytes(StandardCharsets.UTF_8), filled);
	}

	private static String template(String name) {
		String path = "/webhooks/lemon-squeezy/" + name + ".json";
		try (InputStream template = LemonSqueezyPayloads.class.getResourceAsStream(path)) {
			assertThat(template).as(path).isNotNull();
			return new String(template.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String fill(String template, Map<String, String> values) {
		String numbers = replace(NUMBER, template, values);
		String filled = replace(TEXT, numbers, values);
		assertThat(filled).doesNotContain("{{");
		return filled;
	}

	private static String replace(Pattern placeholder, String text, Map<String, String> values) {
		Matcher matcher = placeholder.matcher(text);
		StringBuilder filled = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			assertThat(value).as("a value for placeholder %s", matcher.group(1)).isNotNull();
			matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(filled);
		return filled.toString();
	}

	/**
	 * The lowercase hex HMAC-SHA256 of {@code body} with {@code secret}, as Lemon Squeezy
	 * signs.
	 */
	static String sign(byte[] body, String secret) {
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
	 * A delivery's body and the values of its placeholders.
	 *
	 * @param name the payload it is built from
	 * @param body the bytes sent
	 * @param values the placeholders' values
	 */
	record Delivery(String name, byte[] body, Map<String, String> values) {

		String webhookId() {
			return value("webhook_id");
		}

		String invoiceId() {
			return value("invoice_id");
		}

		Instant updatedAt() {
			return Instant.parse(value("updated_at"));
		}

		String value(String placeholder) {
			String value = this.values.get(placeholder);
			assertThat(value).as(placeholder).isNotNull();
			return value;
		}

		/**
		 * The same delivery with {@code target} replaced by {@code replacement} in its
		 * body.
		 */
		Delivery replacing(String target, String replacement) {
			String body = new String(this.body, StandardCharsets.UTF_8);
			assertThat(body).contains(target);
			return new Delivery(this.name, body.replace(target, replacement).getBytes(StandardCharsets.UTF_8),
					this.values);
		}

	}

}
