package dev.subscriptions.subscriptionservice.subscription.webhook;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * A webhook delivery refused before anything of it is stored: its status and a title say
 * why, the detail says what (never the secret or the expected signature).
 */
public class WebhookRefused extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private WebhookRefused(HttpStatus status, String title, String detail) {
		super(detail);
		this.status = status;
		this.title = title;
	}

	/** 401: the signature is missing, malformed or wrong, or its time is out of range. */
	public static WebhookRefused signatureInvalid(String provider, String why) {
		return new WebhookRefused(HttpStatus.UNAUTHORIZED, "Invalid webhook signature",
				provider + " webhook refused: " + why);
	}

	/** 404: no secret is configured, so the endpoint does not exist. */
	public static WebhookRefused notConfigured(String provider) {
		return new WebhookRefused(HttpStatus.NOT_FOUND, "Webhook not configured",
				"No " + provider + " webhook secret is configured here");
	}

	/** 400: correctly signed, but not the provider's JSON. */
	public static WebhookRefused malformed(String provider, String why) {
		return new WebhookRefused(HttpStatus.BAD_REQUEST, "Malformed webhook payload",
				provider + " webhook payload is malformed: " + why);
	}

	/** 413: the body is larger than a webhook reads. */
	public static WebhookRefused tooLarge(DataSize max) {
		return new WebhookRefused(HttpStatus.CONTENT_TOO_LARGE, "Webhook payload too large",
				"A webhook body may have at most " + max.toBytes() + " bytes");
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

}
