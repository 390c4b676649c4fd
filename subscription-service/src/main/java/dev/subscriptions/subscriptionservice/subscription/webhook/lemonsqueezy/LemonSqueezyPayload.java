package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.ProviderInvoice;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.Status;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.webhook.Signatures;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * The JSON of one verified Lemon Squeezy delivery: {@code meta} (event name, test mode,
 * webhook id, the checkout's custom data) and {@code data}, a JSON:API resource object,
 * read by its {@code type}:
 * <ul>
 * <li>{@code subscriptions}: {@code data.id} is the subscription; its attributes are a
 * snapshot of it.</li>
 * <li>{@code subscription-invoices}: {@code data.id} is the invoice,
 * {@code attributes.subscription_id} the subscription.</li>
 * <li>{@code orders}: {@code data.id} is the order; it names no subscription.</li>
 * </ul>
 * Our ids come from {@code meta.custom_data.customer_id} and {@code product_id}, the
 * change's time from {@code attributes.updated_at}. A field that is missing or not what
 * Lemon Squeezy documents is refused as malformed (400), naming the field.
 */
final class LemonSqueezyPayload {

	static final String PROVIDER = "Lemon Squeezy";

	private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

	private final JsonNode root;

	private LemonSqueezyPayload(JsonNode root) {
		this.root = root;
	}

	/**
	 * Parses a verified body.
	 * @throws WebhookRefused (400) when it is not JSON, or has no {@code meta.event_name}
	 * or no {@code data} object
	 */
	static LemonSqueezyPayload parse(ObjectMapper json, byte[] body) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw malformed("the body is not JSON (" + ex.getOriginalMessage() + ")");
		}
		if (root == null || !root.isObject()) {
			throw malformed("the body is not a JSON object");
		}
		LemonSqueezyPayload payload = new LemonSqueezyPayload(root);
		payload.object("meta");
		payload.object("data");
		payload.text("meta.event_name");
		return payload;
	}

	/** {@code meta.event_name}. */
	String eventName() {
		return text("meta.event_name");
	}

	/**
	 * {@code meta.test_mode}: whether the store's test mode sent it (false if absent).
	 */
	boolean testMode() {
		JsonNode testMode = at("meta.test_mode");
		if (absent(testMode)) {
			return false;
		}
		if (!testMode.isBoolean()) {
			throw malformed("meta.test_mode must be true or false");
		}
		return testMode.booleanValue();
	}

	/**
	 * The delivery's id, which Lemon Squeezy's retries of it share:
	 * {@code meta.webhook_id}, or the SHA-256 of the raw body when it has none.
	 */
	String deliveryId(byte[] body) {
		String webhookId = optionalText("meta.webhook_id");
		return (webhookId != null && !webhookId.isBlank()) ? webhookId : Signatures.sha256Hex(body);
	}

	/**
	 * This payload, once its {@code data.type} is found to be the object its event
	 * carries.
	 * @throws WebhookRefused (400) when it is another
	 */
	LemonSqueezyPayload requireData(LemonSqueezyEvent.ObjectType expected) {
		String type = text("data.type");
		if (!expected.type().equals(type)) {
			throw malformed("data.type is " + type + ", but " + eventName() + " carries " + expected.type());
		}
		return this;
	}

	/**
	 * A {@code subscriptions} object as a snapshot of the subscription. Lemon Squeezy's
	 * {@code cancelled} is canceled at period end (still entitled until {@code ends_at});
	 * its {@code expired} is ended.
	 */
	BillingChange subscription(UUID eventId) {
		String status = text("data.attributes.status");
		Instant updatedAt = instant("data.attributes.updated_at");
		Instant renewsAt = optionalInstant("data.attributes.renews_at");
		Instant endsAt = optionalInstant("data.attributes.ends_at");
		PauseMode pauseMode = null;
		Instant resumesAt = null;
		boolean cancelAtPeriodEnd = false;
		Status snapshot;
		switch (status) {
			case "on_trial" -> snapshot = Status.TRIALING;
			case "active" -> snapshot = Status.ACTIVE;
			case "past_due" -> snapshot = Status.PAST_DUE;
			case "unpaid" -> snapshot = Status.UNPAID;
			case "paused" -> {
				snapshot = Status.PAUSED;
				pauseMode = pauseMode();
				resumesAt = optionalInstant("data.attributes.pause.resumes_at");
			}
			case "cancelled" -> {
				Instant trialEndsAt = optionalInstant("data.attributes.trial_ends_at");
				snapshot = (trialEndsAt != null && trialEndsAt.isAfter(updatedAt)) ? Status.TRIALING : Status.ACTIVE;
				cancelAtPeriodEnd = true;
				endsAt = (endsAt != null) ? endsAt : renewsAt;
				if (endsAt == null) {
					throw malformed("data.attributes.ends_at is missing for a cancelled subscription");
				}
			}
			case "expired" -> {
				snapshot = Status.EXPIRED;
				endsAt = (endsAt != null) ? endsAt : updatedAt;
			}
			default -> throw malformed("data.attributes.status " + status
					+ " is none of on_trial, active, paused, past_due, unpaid, cancelled, expired");
		}
		return new BillingChange(eventId, updatedAt, BillingChange.LEMON_SQUEEZY, id("data.id"),
				ourId("meta.custom_data.customer_id"), ourId("meta.custom_data.product_id"), snapshot,
				cancelAtPeriodEnd, pauseMode, resumesAt, renewsAt, endsAt, null);
	}

	/**
	 * A {@code subscription-invoices} object as a change of its invoice only (no
	 * snapshot: Lemon Squeezy sends the subscription's new state in its own event). The
	 * subscription is {@code attributes.subscription_id}, never {@code data.id} (the
	 * invoice's).
	 */
	BillingChange invoice(UUID eventId) {
		String status = text("data.attributes.status");
		Invoice.Status invoiceStatus = switch (status) {
			case "pending" -> Invoice.Status.OPEN;
			case "paid", "partial_refund" -> Invoice.Status.PAID;
			case "void" -> Invoice.Status.VOID;
			case "refunded" -> Invoice.Status.REFUNDED;
			default -> throw malformed(
					"data.attributes.status " + status + " is none of pending, paid, void, refunded, partial_refund");
		};
		ProviderInvoice invoice = new ProviderInvoice(id("data.id"), invoiceStatus, amount("data.attributes.total"),
				currency("data.attributes.currency"));
		return new BillingChange(eventId, instant("data.attributes.updated_at"), BillingChange.LEMON_SQUEEZY,
				id("data.attributes.subscription_id"), ourId("meta.custom_data.customer_id"),
				ourId("meta.custom_data.product_id"), null, false, null, null, null, null, invoice);
	}

	/** An {@code orders} object: {@code data.id} is the order's id. */
	ProviderOrder order() {
		return new ProviderOrder(BillingChange.LEMON_SQUEEZY, id("data.id"), ourId("meta.custom_data.customer_id"),
				ourId("meta.custom_data.product_id"), optionalId("data.attributes.customer_id"),
				text("data.attributes.status"), amount("data.attributes.total"), currency("data.attributes.currency"),
				instant("data.attributes.updated_at"));
	}

	private PauseMode pauseMode() {
		JsonNode mode = at("data.attributes.pause.mode");
		if (!mode.isString()) {
			throw malformed("data.attributes.pause.mode must be void or free for a paused subscription");
		}
		return switch (mode.stringValue()) {
			case "void" -> PauseMode.VOID;
			case "free" -> PauseMode.FREE;
			default ->
				throw malformed("data.attributes.pause.mode " + mode.stringValue() + " is neither void nor free");
		};
	}

	private JsonNode at(String path) {
		return this.root.at("/" + path.replace('.', '/'));
	}

	private void object(String path) {
		if (!at(path).isObject()) {
			throw malformed(path + " must be an object");
		}
	}

	private String text(String path) {
		String text = optionalText(path);
		if (text == null || text.isBlank()) {
			throw malformed(path + " is missing");
		}
		return text;
	}

	private @Nullable String optionalText(String path) {
		JsonNode node = at(path);
		if (absent(node)) {
			return null;
		}
		if (!node.isString()) {
			throw malformed(path + " must be a string");
		}
		return node.stringValue();
	}

	/**
	 * An id of Lemon Squeezy's: {@code data.id} is a string, attributes hold integers.
	 */
	private String id(String path) {
		String id = optionalId(path);
		if (id == null) {
			throw malformed(path + " is missing");
		}
		return id;
	}

	private @Nullable String optionalId(String path) {
		JsonNode node = at(path);
		if (absent(node)) {
			return null;
		}
		if (node.isIntegralNumber()) {
			return node.asString();
		}
		if (node.isString() && !node.stringValue().isBlank()) {
			return node.stringValue();
		}
		throw malformed(path + " must be an id (a string or an integer)");
	}

	/** One of our ids, from the checkout's custom data. */
	private @Nullable UUID ourId(String path) {
		String id = optionalText(path);
		if (id == null) {
			return null;
		}
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw malformed(path + " must be a UUID, not " + id);
		}
	}

	private Instant instant(String path) {
		Instant instant = optionalInstant(path);
		if (instant == null) {
			throw malformed(path + " is missing");
		}
		return instant;
	}

	private @Nullable Instant optionalInstant(String path) {
		String text = optionalText(path);
		if (text == null) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw malformed(path + " must be an ISO 8601 date-time, not " + text);
		}
	}

	private long amount(String path) {
		JsonNode node = at(path);
		if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
			throw malformed(path + " must be a non-negative integer (cents)");
		}
		return node.longValue();
	}

	private String currency(String path) {
		String currency = text(path).toUpperCase(Locale.ROOT);
		if (!CURRENCY.matcher(currency).matches()) {
			throw malformed(path + " must be an ISO 4217 code, not " + currency);
		}
		return currency;
	}

	private static boolean absent(JsonNode node) {
		return node.isMissingNode() || node.isNull();
	}

	private static WebhookRefused malformed(String why) {
		return WebhookRefused.malformed(PROVIDER, why);
	}

}
