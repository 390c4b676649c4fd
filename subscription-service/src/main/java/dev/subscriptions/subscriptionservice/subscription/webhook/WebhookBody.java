package dev.subscriptions.subscriptionservice.subscription.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.unit.DataSize;

/**
 * Reads a webhook's raw request body, the bytes its signature is over, up to a limit:
 * nothing re-serializes it, and a body over the limit is refused without being read
 * whole.
 */
public final class WebhookBody {

	private WebhookBody() {
	}

	/**
	 * The request's body, exactly as sent.
	 * @throws WebhookRefused (413) when it is longer than {@code max}
	 */
	public static byte[] read(HttpServletRequest request, DataSize max) {
		long limit = max.toBytes();
		if (request.getContentLengthLong() > limit) {
			throw WebhookRefused.tooLarge(max);
		}
		try (InputStream body = request.getInputStream()) {
			byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
			if (bytes.length > limit) {
				throw WebhookRefused.tooLarge(max);
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the webhook's body", ex);
		}
	}

}
