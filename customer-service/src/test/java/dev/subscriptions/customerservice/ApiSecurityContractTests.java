package dev.subscriptions.customerservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.OpenApiSecurityContract;
import dev.subscriptions.web.test.OpenApiSecurityContract.Fixture;
import dev.subscriptions.web.test.TestTokens;

/**
 * The security contract of every operation of customer-service's OpenAPI document
 * ({@link OpenApiSecurityContract}: an operation without a fixture here fails the test),
 * and of the one conditional row of its {@code ApiScopes}: {@code includeDeleted=true}
 * needs {@code customers:read_deleted}. The owner's records are made through the API
 * first; destructive operations get records of their own.
 */
@CustomerServiceIntegrationTest
class ApiSecurityContractTests {

	@Autowired
	RestTestClient client;

	private final UUID owner = UUID.randomUUID();

	private final UUID stranger = UUID.randomUUID();

	@TestFactory
	Stream<DynamicNode> everyOperationIsGuarded(TestReporter reporter) {
		String suffix = UUID.randomUUID().toString();
		String email = "contract-" + suffix + "@example.com";
		String externalId = "crm-" + suffix;
		String customer = (String) CustomerRequests.created(this.client, this.owner, email, "Contract", externalId)
			.get("id");
		String patched = CustomerRequests.createdId(this.client, this.owner, "patched-" + suffix + "@example.com",
				"Patched");
		String deletedByTest = CustomerRequests.createdId(this.client, this.owner, "delete-" + suffix + "@example.com",
				"Delete");
		String deletedTogetherByTest = CustomerRequests.createdId(this.client, this.owner,
				"delete-together-" + suffix + "@example.com", "Delete together");
		String deleted = CustomerRequests.createdAndDeletedId(this.client, this.owner,
				"deleted-" + suffix + "@example.com", "Deleted");

		OpenApiSecurityContract contract = OpenApiSecurityContract.of(this.client)
			.fixture("POST /customers",
					Fixture.none()
						.body(Map.of("email", "created-" + suffix + "@example.com", "name", "Created"))
						.foreignAnswers(201))
			.fixture("GET /customers", Fixture.none().query("email", email).foreignListWithout(customer))
			.fixture("GET /customers/{id}", Fixture.of(Map.of("id", customer)))
			.fixture("GET /customers/external/{externalId}", Fixture.of(Map.of("externalId", externalId)))
			.fixture("PATCH /customers/{id}", Fixture.of(Map.of("id", patched)).body(Map.of("name", "Renamed")))
			.fixture("DELETE /customers/{id}", Fixture.of(Map.of("id", deletedByTest)))
			.fixture("POST /customers/deletions",
					Fixture.none().body(Map.of("customerIds", List.of(deletedTogetherByTest))))
			.fixture("GET /customers/{id}/deletion", Fixture.of(Map.of("id", deleted)));
		List<DynamicNode> operations = new ArrayList<>();
		long count = 0;
		for (DynamicNode operation : contract.tests(this.owner, this.stranger).toList()) {
			List<? extends DynamicNode> cases = ((DynamicContainer) operation).getChildren().toList();
			count += cases.size();
			operations.add(DynamicContainer.dynamicContainer(operation.getDisplayName(), cases.stream()));
		}
		List<DynamicTest> includeDeleted = includeDeleted(deleted);
		count += includeDeleted.size();
		operations
			.add(DynamicContainer.dynamicContainer("GET /customers/{id}?includeDeleted=true", includeDeleted.stream()));
		reporter.publishEntry("operations", String.valueOf(operations.size()));
		reporter.publishEntry("dynamic tests", String.valueOf(count));
		return operations.stream();
	}

	/**
	 * {@code GET /customers/{id}?includeDeleted=true}, the conditional row the document
	 * describes in its text only: the same cases, with {@code customers:read_deleted} as
	 * the scope needed, on a deleted customer of the owner.
	 */
	private List<DynamicTest> includeDeleted(String deleted) {
		String path = "/customers/" + deleted + "?includeDeleted=true";
		String scope = ApiScopes.CUSTOMERS_READ_DELETED;
		List<String> allButReadDeleted = ApiScopes.ALL_SCOPES.stream().filter(other -> !other.equals(scope)).toList();
		return List.of(DynamicTest.dynamicTest("no token → 401", () -> {
			EntityExchangeResult<String> answer = get(path, null);
			assertThat(answer.getStatus().value()).isEqualTo(401);
			assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		}), DynamicTest.dynamicTest("token without " + scope + " → 403", () -> {
			EntityExchangeResult<String> answer = get(path,
					TestTokens.bearer(this.owner, allButReadDeleted.toArray(String[]::new)));
			assertThat(answer.getStatus().value()).isEqualTo(403);
			assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
				.contains("error=\"insufficient_scope\"", "scope=\"" + scope + "\"");
		}), DynamicTest.dynamicTest("another organization's token → 404", () -> {
			EntityExchangeResult<String> answer = get(path,
					TestTokens.bearer(this.stranger, ApiScopes.CUSTOMERS_READ, scope));
			assertThat(answer.getStatus().value()).isEqualTo(404);
		}), DynamicTest.dynamicTest("owner's token with " + scope + " → 200", () -> {
			EntityExchangeResult<String> answer = get(path,
					TestTokens.bearer(this.owner, ApiScopes.CUSTOMERS_READ, scope));
			assertThat(answer.getStatus().value()).isEqualTo(200);
			assertThat(answer.getResponseBody()).contains(deleted, "\"deletedAt\"");
		}));
	}

	private EntityExchangeResult<String> get(String path, @Nullable String bearer) {
		RestTestClient.RequestHeadersSpec<?> request = this.client.get().uri(path);
		if (bearer != null) {
			request.header(HttpHeaders.AUTHORIZATION, bearer);
		}
		return request.exchange().returnResult(String.class);
	}

}
