package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import java.time.Instant;
import java.util.Currency;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * A Stripe Event object as a webhook delivers it (and the reading of its fields): its
 * {@code id} (the dedupe key), {@code type}, {@code created} (when Stripe changed the
 * object) and {@code data.object}, the API resource as it is after the change, rendered
 * in the event's {@code api_version}.
 *
 * @param id Stripe's event id ({@code evt_…}), the same in every retry of the delivery
 * @param type the event type ({@code customer.subscription.updated})
 * @param created when the event happened
 * @param object {@code data.object}
 */
record StripeEvent(String id, String type, Instant created, JsonNode object) {

	/** Longest event id and type the delivery record stores. */
	private static final int MAX_ID_LENGTH = 255;

	private static final int MAX_TYPE_LENGTH = 128;

	private static final Pattern UUID_TEXT = Pattern
		.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

	/**
	 * The event {@code body} holds; only ever called on a verified body.
	 * @throws WebhookRefused (400) when it is not JSON, or not an event
	 */
	static StripeEvent parse(JsonMapper json, byte[] body) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw malformed("not JSON (" + ex.getOriginalMessage() + ")");
		}
		if (root == null || !root.isObject()) {
			throw malformed("not a JSON object");
		}
		String id = requiredText(root, "id");
		String type = requiredText(root, "type");
		if (id.length() > MAX_ID_LENGTH || type.length() > MAX_TYPE_LENGTH) {
			throw malformed("id or type is longer than a Stripe event's");
		}
		Instant created = timestamp(root, "created");
		JsonNode object = root.path("data").path("object");
		if (created == null || !object.isObject()) {
			throw malformed("event " + id + " has no created time or no data.object");
		}
		return new StripeEvent(id, type, created, object);
	}

	/**
	 * {@code data.object}, which must be of the type Stripe names {@code type}
	 * ({@code subscription}, {@code invoice}).
	 */
	JsonNode object(String type) {
		if (!type.equals(this.object.path("object").asString(""))) {
			throw malformed("data.object of " + this.type + " event " + this.id + " is not a " + type);
		}
		return this.object;
	}

	static String requiredText(JsonNode node, String field) {
		String text = text(node, field);
		if (text == null) {
			throw malformed(field + " is missing or not a string");
		}
		return text;
	}

	/** The non-blank string {@code field} of {@code node}, if it has one. */
	static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return (value.isString() && !value.stringValue().isBlank()) ? value.stringValue() : null;
	}

	/**
	 * An id field that Stripe may also expand into its object ({@code subscription}): the
	 * string, or the expanded object's {@code id}.
	 */
	static @Nullable String reference(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isObject() ? text(value, "id") : text(node, field);
	}

	/** A Stripe timestamp (Unix seconds), null when absent or null. */
	static @Nullable Instant timestamp(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return null;
		}
		if (!value.isIntegralNumber()) {
			throw malformed(field + " is not a Unix timestamp");
		}
		return Instant.ofEpochSecond(value.longValue());
	}

	static long amount(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (!value.isIntegralNumber() || value.longValue() < 0) {
			throw malformed(field + " is not an amount in minor units");
		}
		return value.longValue();
	}

	/** Stripe's lower-case ISO 4217 code, upper-case. */
	static String currency(JsonNode node, String field) {
		String currency = requiredText(node, field).toUpperCase(Locale.ROOT);
		try {
			return Currency.getInstance(currency).getCurrencyCode();
		}
		catch (IllegalArgumentException ex) {
			throw malformed(field + " " + currency + " is no ISO 4217 currency");
		}
	}

	/** Our id under {@code key} of a Stripe {@code metadata} object, if it has one. */
	static @Nullable UUID ourId(JsonNode metadata, String key) {
		String value = text(metadata, key);
		if (value == null) {
			return null;
		}
		if (!UUID_TEXT.matcher(value).matches()) {
			throw malformed("metadata." + key + " " + value + " is not a UUID");
		}
		return UUID.fromString(value);
	}

	static WebhookRefused malformed(String why) {
		return WebhookRefused.malformed(BillingChange.STRIPE, why);
	}

}
