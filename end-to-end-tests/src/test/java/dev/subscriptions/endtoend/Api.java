package dev.subscriptions.endtoend;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * The platform as an API client sees it: REST calls to the three services, nothing else.
 */
final class Api {

	private static final ParameterizedTypeReference<Map<String, Object>> OBJECT = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
	};

	private final RestClient customers = RestClient.create(Platform.customers.baseUrl());

	private final RestClient subscriptions = RestClient.create(Platform.subscriptions.baseUrl());

	private final RestClient benefits = RestClient.create(Platform.benefits.baseUrl());

	String createCustomer(UUID organization, String email) {
		return id(call(this.customers, HttpMethod.POST, "/customers",
				Map.of("organizationId", organization.toString(), "email", email, "name", "Customer " + email)), 201);
	}

	void deleteCustomer(String customer) {
		int status = call(this.customers, HttpMethod.DELETE, "/customers/" + customer, null).getStatusCode().value();
		if (status != 204) {
			throw new IllegalStateException("DELETE answered " + status);
		}
	}

	Map<String, Object> receipt(String customer) {
		return call(this.customers, HttpMethod.GET, "/customers/" + customer + "/deletion", null).getBody();
	}

	String createBenefit(UUID organization, String key) {
		return id(call(this.benefits, HttpMethod.POST, "/benefits",
				Map.of("organizationId", organization.toString(), "type", "feature_flag", "key", key)), 201);
	}

	void mapProduct(UUID product, List<String> benefitIds) {
		this.benefits.put()
			.uri("/products/" + product + "/benefits")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("benefitIds", benefitIds))
			.retrieve()
			.toBodilessEntity();
	}

	/** Subscribes once subscription-service knows the customer (it learns it from customer.events). */
	String subscribe(String customer, UUID product) {
		Map<String, Object> body = Map.of("customerId", customer, "productId", product.toString(), "amount", 1999,
				"currency", "EUR");
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
			ResponseEntity<Map<String, Object>> response = call(this.subscriptions, HttpMethod.POST, "/subscriptions",
					body);
			return (response.getStatusCode().value() == 201) ? (String) response.getBody().get("id") : null;
		}, id -> id != null);
	}

	ResponseEntity<Map<String, Object>> subscriptionAction(String subscription, String action, Object body) {
		return call(this.subscriptions, HttpMethod.POST, "/subscriptions/" + subscription + "/" + action, body);
	}

	List<Map<String, Object>> subscriptionsOf(String customer) {
		return this.subscriptions.get().uri("/subscriptions?customerId=" + customer).retrieve().body(LIST);
	}

	List<Map<String, Object>> invoicesOf(String subscription) {
		return this.subscriptions.get().uri("/subscriptions/" + subscription + "/invoices").retrieve().body(LIST);
	}

	List<String> entitlementKeys(String customer) {
		List<String> keys = new ArrayList<>();
		this.benefits.get()
			.uri("/customers/" + customer + "/entitlements")
			.retrieve()
			.body(LIST)
			.forEach(entitlement -> keys.add((String) entitlement.get("key")));
		keys.sort(null);
		return keys;
	}

	List<Map<String, Object>> grantsOf(String customer) {
		return this.benefits.get().uri("/grants?customerId=" + customer).retrieve().body(LIST);
	}

	/** customer-service's actuator endpoint of parked outbox rows: {@code GET}, {@code POST} (requeue), {@code DELETE}. */
	ResponseEntity<Map<String, Object>> parkedOutbox(HttpMethod method, String query, Object body) {
		return call(this.customers, method, "/actuator/outbox" + query, body);
	}

	private static ResponseEntity<Map<String, Object>> call(RestClient client, HttpMethod method, String path,
			Object body) {
		RestClient.RequestBodySpec request = client.method(method).uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.retrieve().onStatus(status -> true, (req, res) -> {
		}).toEntity(OBJECT);
	}

	private static String id(ResponseEntity<Map<String, Object>> response, int expected) {
		if (response.getStatusCode().value() != expected) {
			throw new IllegalStateException("Expected " + expected + " but got " + response.getStatusCode() + ": "
					+ response.getBody());
		}
		return (String) response.getBody().get("id");
	}

}
