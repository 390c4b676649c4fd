package dev.subscriptions.customerservice.customer.web;

import static dev.subscriptions.web.test.ApiResponses.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.customerservice.CustomerRequests;
import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.TestTokens;

/**
 * Each organization sees only its own customers: the token names the organization,
 * another organization's customer is answered exactly like an unknown one (404), lists
 * leave it out, and a body cannot choose another organization. Deleted customers'
 * personal data needs {@code customers:read_deleted}; their deletion receipt does not.
 */
@CustomerServiceIntegrationTest
class OrganizationIsolationIntegrationTests {

	@Autowired
	RestTestClient client;

	private final UUID owner = UUID.randomUUID();

	private final UUID stranger = UUID.randomUUID();

	@Test
	void answersNotFoundForAnotherOrganizationsCustomerOnGetPatchDeleteAndDeletionReceipt() {
		String id = CustomerRequests.createdId(this.client, this.owner, "mine@example.com", "Mine");
		RestTestClient strangers = CustomerRequests.as(this.client, this.stranger);

		assertThat(status(strangers, HttpMethod.GET, "/customers/" + id, null)).isEqualTo(404);
		assertThat(status(strangers, HttpMethod.GET, "/customers/" + id + "?includeDeleted=true", null)).isEqualTo(404);
		assertThat(status(strangers, HttpMethod.PATCH, "/customers/" + id, Map.of("name", "Stolen"))).isEqualTo(404);
		assertThat(status(strangers, HttpMethod.DELETE, "/customers/" + id, null)).isEqualTo(404);
		assertThat(status(strangers, HttpMethod.GET, "/customers/" + id + "/deletion", null)).isEqualTo(404);
		assertThat(ApiResponses.body(call(strangers, HttpMethod.GET, "/customers/" + id, null))).containsEntry("title",
				"Customer not found");

		Map<String, Object> unchanged = ApiResponses
			.body(call(CustomerRequests.as(this.client, this.owner), HttpMethod.GET, "/customers/" + id, null));
		assertThat(unchanged).containsEntry("name", "Mine").containsEntry("deletedAt", null);
	}

	@Test
	void answersNotFoundForAnotherOrganizationsDeletedCustomerAndItsReceipt() {
		String id = CustomerRequests.createdAndDeletedId(this.client, this.owner, "deleted@example.com", "Deleted");
		RestTestClient strangers = CustomerRequests.as(this.client, this.stranger);
		RestTestClient owners = CustomerRequests.as(this.client, this.owner);

		assertThat(status(strangers, HttpMethod.GET, "/customers/" + id + "?includeDeleted=true", null)).isEqualTo(404);
		assertThat(status(strangers, HttpMethod.GET, "/customers/" + id + "/deletion", null)).isEqualTo(404);
		assertThat(status(strangers, HttpMethod.DELETE, "/customers/" + id, null)).isEqualTo(404);
		assertThat(status(owners, HttpMethod.GET, "/customers/" + id + "?includeDeleted=true", null)).isEqualTo(200);
		assertThat(status(owners, HttpMethod.GET, "/customers/" + id + "/deletion", null)).isEqualTo(200);
	}

	/**
	 * A list shows only the caller's customers, whatever the filter; an
	 * {@code organizationId} query parameter, which the API no longer has, changes
	 * nothing.
	 */
	@Test
	void leavesAnotherOrganizationsCustomersOutOfItsLists() {
		String id = (String) CustomerRequests
			.created(this.client, this.owner, "listed@example.com", "Listed", "crm-listed")
			.get("id");
		String own = CustomerRequests.createdId(this.client, this.stranger, "other@example.com", "Other");
		RestTestClient strangers = CustomerRequests.as(this.client, this.stranger);

		assertThat(ids(strangers, "/customers?size=100")).containsExactly(own);
		assertThat(ids(strangers, "/customers?organizationId=" + this.owner)).containsExactly(own);
		assertThat(ids(strangers, "/customers?email=listed@example.com")).isEmpty();
		assertThat(ids(strangers, "/customers?externalId=crm-listed")).isEmpty();
		assertThat(status(strangers, HttpMethod.GET, "/customers/external/crm-listed", null)).isEqualTo(404);
		assertThat(
				status(strangers, HttpMethod.GET, "/customers/external/crm-listed?organizationId=" + this.owner, null))
			.isEqualTo(404);
		assertThat(ids(CustomerRequests.as(this.client, this.owner), "/customers?email=listed@example.com"))
			.containsExactly(id);
	}

	@Test
	void refusesABodyThatNamesAnotherOrganizationAndCreatesNothing() {
		RestTestClient owners = TestTokens.authorized(this.client, this.owner, "customers:write");

		EntityExchangeResult<Map<String, Object>> refused = call(owners, HttpMethod.POST, "/customers",
				Map.of("organizationId", this.stranger.toString(), "email", "named@example.com", "name", "Named"));

		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody()).containsEntry("status", 403)
			.containsEntry("title", "Organization mismatch");
		assertThat(ids(owners, "/customers?email=named@example.com")).isEmpty();
		assertThat(ids(CustomerRequests.as(this.client, this.stranger), "/customers?email=named@example.com"))
			.isEmpty();
	}

	@Test
	void acceptsABodyThatNamesTheTokensOwnOrganization() {
		RestTestClient owners = TestTokens.authorized(this.client, this.owner, "customers:write");

		EntityExchangeResult<Map<String, Object>> created = call(owners, HttpMethod.POST, "/customers",
				Map.of("organizationId", this.owner.toString(), "email", "own@example.com", "name", "Own"));

		assertThat(created.getStatus().value()).isEqualTo(201);
		assertThat(created.getResponseBody()).containsEntry("organizationId", this.owner.toString());
	}

	@Test
	void refusesADeletedCustomersPersonalDataWithoutTheReadDeletedScope() {
		String id = CustomerRequests.createdAndDeletedId(this.client, this.owner, "private@example.com", "Private");

		for (String scope : List.of("customers:read", "customers:write")) {
			EntityExchangeResult<Map<String, Object>> refused = call(
					TestTokens.authorized(this.client, this.owner, scope), HttpMethod.GET,
					"/customers/" + id + "?includeDeleted=true", null);

			assertThat(refused.getStatus().value()).as(scope).isEqualTo(403);
			assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as(scope)
				.startsWith("Bearer")
				.contains("error=\"insufficient_scope\"", "scope=\"customers:read_deleted\"");
			assertThat(refused.getResponseBody()).as(scope)
				.containsEntry("scope", "customers:read_deleted")
				.doesNotContainValue("private@example.com");
		}
		EntityExchangeResult<Map<String, Object>> read = call(
				TestTokens.authorized(this.client, this.owner, "customers:read", "customers:read_deleted"),
				HttpMethod.GET, "/customers/" + id + "?includeDeleted=true", null);
		assertThat(read.getStatus().value()).isEqualTo(200);
		assertThat(read.getResponseBody()).containsEntry("email", "private@example.com")
			.containsEntry("id", id)
			.extractingByKey("deletedAt")
			.isNotNull();
	}

	/**
	 * Every spelling the API reads as {@code includeDeleted=true} needs the scope too, so
	 * none of them lets a token without it read a deleted customer.
	 */
	@ParameterizedTest(name = "includeDeleted={0}")
	@ValueSource(strings = { "TRUE", "True", "1", "yes", "on", "false&includeDeleted=true" })
	void refusesEveryWayOfAskingForADeletedCustomerWithoutTheReadDeletedScope(String value) {
		String id = CustomerRequests.createdAndDeletedId(this.client, this.owner, "spelled@example.com", "Spelled");

		EntityExchangeResult<Map<String, Object>> answer = call(
				TestTokens.authorized(this.client, this.owner, "customers:write"), HttpMethod.GET,
				"/customers/" + id + "?includeDeleted=" + value, null);

		assertThat(answer.getStatus().value()).isNotEqualTo(200);
		assertThat(answer.getResponseBody()).doesNotContainValue("spelled@example.com");
	}

	@Test
	void readsTheDeletionReceiptWithTheReadScopeAlone() {
		String id = CustomerRequests.createdAndDeletedId(this.client, this.owner, "receipt@example.com", "Receipt");

		EntityExchangeResult<Map<String, Object>> receipt = call(
				TestTokens.authorized(this.client, this.owner, "customers:read"), HttpMethod.GET,
				"/customers/" + id + "/deletion", null);

		assertThat(receipt.getStatus().value()).isEqualTo(200);
		assertThat(receipt.getResponseBody()).containsEntry("customerId", id).doesNotContainKey("email");
	}

	@Test
	void refusesChangesWithAReadOnlyTokenNamingTheWriteScope() {
		String id = CustomerRequests.createdId(this.client, this.owner, "readonly@example.com", "Read Only");
		RestTestClient reader = TestTokens.authorized(this.client, this.owner, "customers:read",
				"customers:read_deleted");

		for (EntityExchangeResult<Map<String, Object>> refused : List.of(
				call(reader, HttpMethod.POST, "/customers", Map.of("email", "new@example.com", "name", "New")),
				call(reader, HttpMethod.PATCH, "/customers/" + id, Map.of("name", "Changed")),
				call(reader, HttpMethod.DELETE, "/customers/" + id, null))) {
			assertThat(refused.getStatus().value()).isEqualTo(403);
			assertThat(refused.getResponseBody()).containsEntry("scope", "customers:write");
		}
		assertThat(ApiResponses.body(call(reader, HttpMethod.GET, "/customers/" + id, null)))
			.containsEntry("name", "Read Only")
			.containsEntry("deletedAt", null);
	}

	private static int status(RestTestClient client, HttpMethod method, String path, @Nullable Object body) {
		return call(client, method, path, body).getStatus().value();
	}

	@SuppressWarnings("unchecked")
	private static List<String> ids(RestTestClient client, String path) {
		EntityExchangeResult<Map<String, Object>> page = call(client, HttpMethod.GET, path, null);
		assertThat(page.getStatus().value()).as("status of %s", path).isEqualTo(200);
		return ((List<Map<String, Object>>) ApiResponses.body(page).get("content")).stream()
			.map(customer -> (String) customer.get("id"))
			.toList();
	}

}
