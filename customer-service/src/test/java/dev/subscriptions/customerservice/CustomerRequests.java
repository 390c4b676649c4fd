package dev.subscriptions.customerservice;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customers API as this module's tests call it, on top of {@link ApiResponses}, with
 * tokens of {@link TestTokens}.
 */
public final class CustomerRequests {

	/**
	 * Every scope of customers: {@code customers:write} (which also allows reading) and
	 * {@code customers:read_deleted}.
	 */
	public static final String[] ALL_CUSTOMER_SCOPES = { "customers:write", "customers:read_deleted" };

	private CustomerRequests() {
	}

	/**
	 * The client acting for the organization with every scope of customers, on every
	 * request.
	 */
	public static RestTestClient as(RestTestClient client, UUID organization) {
		return TestTokens.authorized(client, organization, ALL_CUSTOMER_SCOPES);
	}

	/**
	 * {@code POST /customers} for the organization (its token, no {@code organizationId}
	 * in the body), whatever the answer.
	 */
	public static EntityExchangeResult<Map<String, Object>> create(RestTestClient client, UUID organization,
			String email, String name, @Nullable String externalId) {
		Map<String, Object> body = new HashMap<>(Map.of("email", email, "name", name));
		if (externalId != null) {
			body.put("externalId", externalId);
		}
		return ApiResponses.call(TestTokens.authorized(client, organization, "customers:write"), HttpMethod.POST,
				"/customers", body);
	}

	/**
	 * Creates a customer, which must be answered with 201, and returns what it answered.
	 */
	public static Map<String, Object> created(RestTestClient client, UUID organization, String email, String name,
			@Nullable String externalId) {
		EntityExchangeResult<Map<String, Object>> created = create(client, organization, email, name, externalId);
		assertThat(created.getStatus().value()).as("status of %s", created.getResponseBody()).isEqualTo(201);
		return ApiResponses.body(created);
	}

	/** Creates a customer, which must be answered with 201, and returns its id. */
	public static String createdId(RestTestClient client, UUID organization, String email, String name) {
		return (String) created(client, organization, email, name, null).get("id");
	}

	/**
	 * Creates a customer of the organization and deletes it, both answered as they must
	 * be, and returns its id.
	 */
	public static String createdAndDeletedId(RestTestClient client, UUID organization, String email, String name) {
		String id = createdId(client, organization, email, name);
		as(client, organization).delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();
		return id;
	}

	/**
	 * {@code GET /customers/{id}/deletion} through a client with a token, which must be
	 * answered with 200, and returns the receipt.
	 */
	public static Map<String, Object> receipt(RestTestClient authorized, String id) {
		return authorized.get()
			.uri("/customers/{id}/deletion", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ApiResponses.JSON)
			.returnResult()
			.getResponseBody();
	}

}
