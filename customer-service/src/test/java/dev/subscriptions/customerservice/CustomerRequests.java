package dev.subscriptions.customerservice;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.test.ApiResponses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customers API as this module's tests call it, on top of {@link ApiResponses}.
 */
public final class CustomerRequests {

	private CustomerRequests() {
	}

	/** {@code POST /customers}, whatever the answer. */
	public static EntityExchangeResult<Map<String, Object>> create(RestTestClient client, UUID organization,
			String email, String name, @Nullable String externalId) {
		Map<String, Object> body = new HashMap<>(
				Map.of("organizationId", organization.toString(), "email", email, "name", name));
		if (externalId != null) {
			body.put("externalId", externalId);
		}
		return ApiResponses.call(client, HttpMethod.POST, "/customers", body);
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

}
