package dev.subscriptions.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.subscriptions.localstack.auth.LocalTokens;

/**
 * The three services' REST APIs, as an API client calls them: JSON over HTTP/1.1 with
 * kept-alive connections, each call with a bearer token of the local authorization server
 * for the organization it acts for and the one scope the operation needs (the token
 * decides the organization, so no body names it). {@link LocalTokens} keeps each token
 * until a minute before it expires, so asking it on every call costs a map look-up, and a
 * run longer than a token's life gets a new one.
 */
final class Rest {

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

	Rest(String customers, String subscriptions, String benefits, LocalTokens tokens) {
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.benefits = benefits;
		this.tokens = tokens;
	}

	/** An answer: its status and its JSON body (null when empty). */
	record Answer(int status, JsonNode body) {

		Answer expect(int expected) {
			if (this.status != expected) {
				throw new IllegalStateException(
						"Expected HTTP " + expected + " but got " + this.status + ": " + this.body);
			}
			return this;
		}

		String id() {
			return this.body.get("id").asText();
		}

	}

	String createCustomer(String organization, String email) {
		return send(organization, "customers:write", "POST", this.customers + "/customers",
				Map.of("email", email, "name", "Benchmark " + email))
			.expect(201)
			.id();
	}

	void deleteCustomer(String organization, String customer) {
		send(organization, "customers:write", "DELETE", this.customers + "/customers/" + customer, null).expect(204);
	}

	/** {@code POST /customers/deletions}: the customers deleted together. */
	void deleteCustomers(String organization, List<String> customers) {
		send(organization, "customers:write", "POST", this.customers + "/customers/deletions",
				Map.of("customerIds", customers))
			.expect(204);
	}

	boolean deletionComplete(String organization, String customer) {
		Answer receipt = send(organization, "customers:read", "GET",
				this.customers + "/customers/" + customer + "/deletion", null)
			.expect(200);
		return receipt.body().get("complete").asBoolean();
	}

	String createBenefit(String organization, String key) {
		return send(organization, "benefits:write", "POST", this.benefits + "/benefits",
				Map.of("type", "feature_flag", "key", key))
			.expect(201)
			.id();
	}

	void mapProduct(String organization, String product, List<String> benefitIds) {
		send(organization, "benefits:write", "PUT", this.benefits + "/products/" + product + "/benefits",
				Map.of("benefitIds", benefitIds))
			.expect(200);
	}

	int entitlementCount(String organization, String customer) {
		return send(organization, "benefits:read", "GET", this.benefits + "/customers/" + customer + "/entitlements",
				null)
			.expect(200)
			.body()
			.size();
	}

	/**
	 * Subscribes the customer to the product, waiting until subscription-service has
	 * learnt of the customer from {@code customer.events} (it answers 422 until then).
	 */
	String subscribe(String organization, String customer, String product) throws InterruptedException {
		Map<String, Object> body = Map.of("customerId", customer, "productId", product, "amount", 1999, "currency",
				"EUR");
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			Answer answer = send(organization, "subscriptions:write", "POST", this.subscriptions + "/subscriptions",
					body);
			if (answer.status() == 201) {
				return answer.id();
			}
			if (answer.status() != 422 || System.nanoTime() > deadline) {
				throw new IllegalStateException("Could not subscribe " + customer + ": " + answer);
			}
			Thread.sleep(20);
		}
	}

	private Answer send(String organization, String scope, String method, String url, Object body) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(30))
				.header("Authorization", "Bearer " + this.tokens.mint(UUID.fromString(organization), scope));
			if (body != null) {
				request.header("Content-Type", "application/json")
					.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
			}
			else {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			HttpResponse<byte[]> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			JsonNode json = (response.body().length > 0) ? JSON.readTree(response.body()) : null;
			return new Answer(response.statusCode(), json);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + url + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
