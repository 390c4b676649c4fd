package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Stripe webhook delivery's body, from the documented payloads under
 * {@code src/test/resources/webhooks/stripe/} (the Event object around a Subscription or
 * Invoice object, as Stripe renders them in the event's {@code api_version}), with the
 * ids of one test put in place of the file's, and signed as Stripe signs it.
 * <p>
 * Every file is about the subscription {@link #SUBSCRIPTION} of our customer
 * {@link #CUSTOMER} and product {@link #PRODUCT} (its {@code metadata}).
 */
final class StripePayload {

	static final String SUBSCRIPTION = "sub_1RKbT8Hk2xV9wQpLr7mYc3Ef";

	static final String CUSTOMER = "6f1d2c3b-8a4e-4f5a-9b6c-7d8e9f0a1b2c";

	static final String PRODUCT = "0b7e6d5c-4f3a-4e2b-8c1d-9a0f1e2d3c4b";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final String json;

	private StripePayload(String json) {
		this.json = json;
	}

	/** The payload of {@code webhooks/stripe/<file>}, as it is. */
	static StripePayload of(String file) {
		String resource = "/webhooks/stripe/" + file;
		try (InputStream in = StripePayload.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalArgumentException("No test payload " + resource);
			}
			return new StripePayload(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A payload of {@code event}, written as Stripe writes its payloads (indented). */
	static StripePayload parsed(JsonNode event) {
		return new StripePayload(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event));
	}

	/** A fresh Stripe-like id with {@code prefix} ({@code sub_…}). */
	static String newId(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
	}

	/** The same payload about another subscription, customer and product. */
	StripePayload about(String subscription, UUID customer, UUID product) {
		return replacing(SUBSCRIPTION, subscription).replacing(CUSTOMER, customer.toString())
			.replacing(PRODUCT, product.toString());
	}

	/** The same payload as another event: {@code id} in place of the event's id. */
	StripePayload withEventId(String id) {
		return replacing(eventId(), id);
	}

	/** The same payload as a new event (a new event id). */
	StripePayload asNewEvent() {
		return withEventId(newId("evt_"));
	}

	/** The same payload with {@code id} in place of its object's id (an invoice's). */
	StripePayload withObjectId(String id) {
		return replacing(objectId(), id);
	}

	/** Every occurrence of the string value {@code from} replaced by {@code to}. */
	StripePayload replacing(String from, String to) {
		return new StripePayload(this.json.replace("\"" + from + "\"", "\"" + to + "\""));
	}

	String eventId() {
		return tree().path("id").stringValue();
	}

	String type() {
		return tree().path("type").stringValue();
	}

	long created() {
		return tree().path("created").longValue();
	}

	/** {@code data.object.id}. */
	String objectId() {
		return tree().path("data").path("object").path("id").stringValue();
	}

	JsonNode tree() {
		return JSON.readTree(this.json);
	}

	byte[] bytes() {
		return this.json.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The {@code Stripe-Signature} header Stripe sends with {@code body}, signed at
	 * {@code timestamp} (Unix seconds) with {@code secret}: computed here on its own, as
	 * Stripe documents it, not with the code under test.
	 */
	static String signature(String secret, long timestamp, byte[] body) {
		return "t=" + timestamp + ",v1=" + v1(secret, timestamp, body);
	}

	/** The hex HMAC-SHA256 of {@code "<timestamp>." + body} with {@code secret}. */
	static String v1(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
