package dev.subscriptions.faults;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.subscriptions.localstack.auth.LocalTokens;

/**
 * The three services' REST APIs as a patient client of one organization calls them during
 * faults: a refused connection, a timeout or a 5xx is tried again until the call is
 * answered or {@link #PATIENCE} has passed; a call still unanswered then is a
 * {@link WorkloadStuck}. Repeating a call is safe: deletes are idempotent, a creation
 * answered 409 is looked up, and a refused transition whose current state is the wanted
 * one counts as done.
 * <p>
 * Every call carries a bearer token of the local authorization server for the
 * organization, with the one scope the operation needs; the token decides the
 * organization, so no body or query names it. {@link LocalTokens} keeps each token until
 * a minute before it expires and then asks for a new one, so a run may outlast a token; a
 * token request that fails is tried again like the call.
 */
final class Rest {

	static final Duration PATIENCE = Duration.ofMinutes(4);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.executor(Executors.newCachedThreadPool(runnable -> {
			Thread thread = new Thread(runnable, "http");
			thread.setDaemon(true);
			return thread;
		}))
		.build();

	private final String customers;

	private final String subscriptions;

	private final String benefits;

	private final LocalTokens tokens;

	private final UUID organization;

	Rest(Stack stack, UUID organization) {
		this.customers = stack.url("customer-service");
		this.subscriptions = stack.url("subscription-service");
		this.benefits = stack.url("benefit-service");
		this.tokens = stack.tokens();
		this.organization = organization;
	}

	/** The organization whose token every call carries. */
	UUID organization() {
		return this.organization;
	}

	/** An answer: its status and its JSON body (null when empty or not JSON). */
	record Answer(int status, JsonNode body) {

		String id() {
			return this.body.get("id").asText();
		}

		String currentStatus() {
			return (this.body != null && this.body.hasNonNull("currentStatus"))
					? this.body.get("currentStatus").asText() : "";
		}

	}

	String createCustomer(String email) {
		Answer answer = call("POST", this.customers + "/customers", "customers:write",
				Map.of("email", email, "name", "Fault " + email), a -> a.status() == 201 || a.status() == 409);
		if (answer.status() == 201) {
			return answer.id();
		}
		Answer found = call("GET",
				this.customers + "/customers?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8),
				"customers:read", null, a -> a.status() == 200);
		JsonNode content = found.body().get("content");
		if (content == null || content.isEmpty()) {
			throw new WorkloadStuck("POST /customers answered 409 for " + email + " but no live customer has it");
		}
		return content.get(0).get("id").asText();
	}

	void deleteCustomer(String customer) {
		call("DELETE", this.customers + "/customers/" + customer, "customers:write", null, a -> a.status() == 204);
	}

	JsonNode receipt(String customer) {
		return call("GET", this.customers + "/customers/" + customer + "/deletion", "customers:read", null,
				a -> a.status() == 200)
			.body();
	}

	String createBenefit(String key) {
		return call("POST", this.benefits + "/benefits", "benefits:write", Map.of("type", "feature_flag", "key", key),
				a -> a.status() == 201)
			.id();
	}

	void mapProduct(String product, List<String> benefitIds) {
		call("PUT", this.benefits + "/products/" + product + "/benefits", "benefits:write",
				Map.of("benefitIds", benefitIds), a -> a.status() == 200);
	}

	int entitlementCount(String customer) {
		return call("GET", this.benefits + "/customers/" + customer + "/entitlements", "benefits:read", null,
				a -> a.status() == 200)
			.body()
			.size();
	}

	/**
	 * Subscribes, waiting while subscription-service has not learnt of the customer yet
	 * (422).
	 */
	String subscribe(String customer, String product) {
		return call("POST", this.subscriptions + "/subscriptions", "subscriptions:write",
				Map.of("customerId", customer, "productId", product, "amount", 1999, "currency", "EUR"),
				a -> a.status() == 201)
			.id();
	}

	/** What a payment provider's failure does: an administrative action. */
	void paymentFailed(String subscription) {
		transition(subscription, "payment-failed", "subscriptions:admin", null, "past_due");
	}

	void pause(String subscription) {
		transition(subscription, "pause", "subscriptions:write", Map.of("mode", "void"), "paused");
	}

	void resume(String subscription) {
		transition(subscription, "resume", "subscriptions:write", null, "active");
	}

	private void transition(String subscription, String action, String scope, Object body, String wanted) {
		call("POST", this.subscriptions + "/subscriptions/" + subscription + "/" + action, scope, body,
				a -> a.status() == 200 || (a.status() == 409 && a.currentStatus().equals(wanted)));
	}

	private Answer call(String method, String url, String scope, Object body, Predicate<Answer> done) {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		Answer last = null;
		Exception failure = null;
		while (System.nanoTime() < deadline) {
			try {
				last = send(method, url, this.tokens.mint(this.organization, scope), body);
				if (done.test(last)) {
					return last;
				}
				if (last.status() < 500 && last.status() != 422 && last.status() != 404) {
					throw new WorkloadStuck(method + " " + url + " answered " + last.status() + ": " + last.body());
				}
			}
			catch (IOException ex) {
				failure = ex;
			}
			catch (IllegalStateException ex) {
				failure = ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WorkloadStuck(method + " " + url + " interrupted");
			}
			pause(Duration.ofMillis(200));
		}
		throw new WorkloadStuck(method + " " + url + " not answered within " + PATIENCE + "; last answer " + last
				+ ((failure != null) ? ", last failure " + failure : ""));
	}

	private Answer send(String method, String url, String token, Object body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + token);
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<byte[]> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		JsonNode json = null;
		if (response.body().length > 0) {
			try {
				json = JSON.readTree(response.body());
			}
			catch (IOException ex) {
				json = null;
			}
		}
		return new Answer(response.statusCode(), json);
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WorkloadStuck("interrupted");
		}
	}

}
