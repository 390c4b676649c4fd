package dev.subscriptions.customerservice.customer.web;

import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.customerservice.CustomerRequests;
import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.web.test.ManagementClient;

/**
 * The customers API over HTTP, against a real PostgreSQL, called with a token of one
 * organization that has every scope of customers.
 */
@CustomerServiceIntegrationTest
class CustomerApiIntegrationTests {

	@Autowired
	RestTestClient client;

	@LocalManagementPort
	int managementPort;

	private final UUID organization = UUID.randomUUID();

	private RestTestClient api;

	@BeforeEach
	void authorize() {
		this.api = CustomerRequests.as(this.client, this.organization);
	}

	@Test
	void createsACustomerAndAnswersWithItsLocation() {
		EntityExchangeResult<Map<String, Object>> created = create(this.organization, "ada@example.com", "Ada Lovelace",
				null);

		assertThat(created.getStatus().value()).isEqualTo(201);
		assertThat(created.getResponseHeaders().getLocation())
			.hasPath("/customers/" + created.getResponseBody().get("id"));
		this.api.get()
			.uri(created.getResponseHeaders().getLocation().getPath())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.email")
			.isEqualTo("ada@example.com")
			.jsonPath("$.name")
			.isEqualTo("Ada Lovelace")
			.jsonPath("$.organizationId")
			.isEqualTo(this.organization.toString())
			.jsonPath("$.deletedAt")
			.hasJsonPath()
			.jsonPath("$.deletedAt")
			.isEmpty();
	}

	@Test
	void reusesTheEmailOfADeletedCustomerInAnotherCase() {
		String first = id(create(this.organization, "grace@example.com", "Grace", null));

		this.api.delete().uri("/customers/{id}", first).exchange().expectStatus().isNoContent();
		EntityExchangeResult<Map<String, Object>> again = create(this.organization, "GRACE@Example.com", "Grace", null);

		assertThat(again.getStatus().value()).isEqualTo(201);
		assertThat(id(again)).isNotEqualTo(first);
	}

	@Test
	void findsACustomerWhoseExternalIdReadsLikeAnotherPath() {
		String id = id(create(this.organization, "deletion@example.com", "Del", "deletion"));

		this.api.get().uri("/customers/external/deletion").exchange().expectBody().jsonPath("$.id").isEqualTo(id);
	}

	@Test
	void reusesTheExternalIdOfADeletedCustomer() {
		String first = id(create(this.organization, "one@example.com", "One", "crm-7"));
		this.api.delete().uri("/customers/{id}", first).exchange().expectStatus().isNoContent();

		EntityExchangeResult<Map<String, Object>> again = create(this.organization, "two@example.com", "Two", "crm-7");

		assertThat(again.getStatus().value()).isEqualTo(201);
		this.api.get().uri("/customers/external/crm-7").exchange().expectBody().jsonPath("$.id").isEqualTo(id(again));
	}

	@Test
	void refusesASecondLiveCustomerWithTheSameEmailInAnyCaseNamingTheField() {
		create(this.organization, "dup@example.com", "First", null);

		EntityExchangeResult<Map<String, Object>> second = create(this.organization, "DUP@example.COM", "Second", null);

		assertThat(second.getStatus().value()).isEqualTo(409);
		assertThat(second.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(second.getResponseBody()).containsEntry("field", "email").containsEntry("status", 409);
	}

	@Test
	void refusesASecondLiveCustomerWithTheSameExternalIdNamingTheField() {
		create(this.organization, "a@example.com", "A", "crm-1");

		EntityExchangeResult<Map<String, Object>> second = create(this.organization, "b@example.com", "B", "crm-1");

		assertThat(second.getStatus().value()).isEqualTo(409);
		assertThat(second.getResponseBody()).containsEntry("field", "externalId");
	}

	@Test
	void letsTwoOrganizationsHaveACustomerWithTheSameEmail() {
		create(this.organization, "shared@example.com", "A", "crm-shared");

		assertThat(create(UUID.randomUUID(), "shared@example.com", "B", "crm-shared").getStatus().value())
			.isEqualTo(201);
	}

	@Test
	void answersFiftyConcurrentCreatesOfOneEmailWithOneCreatedAndFortyNineConflicts() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(50);
		List<Callable<Integer>> requests = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			int n = i;
			requests.add(() -> create(this.organization, (n % 2 == 0) ? "race@example.com" : "RACE@example.com",
					"Racer " + n, null)
				.getStatus()
				.value());
		}
		List<Integer> statuses = new ArrayList<>();
		for (Future<Integer> status : pool.invokeAll(requests)) {
			statuses.add(status.get());
		}
		pool.shutdown();

		assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
		assertThat(statuses).filteredOn(status -> status == 409).hasSize(49);
	}

	@Test
	void hidesADeletedCustomerUnlessAskedToIncludeIt() {
		String id = id(create(this.organization, "gone@example.com", "Gone", "crm-gone"));
		this.api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();

		this.api.get().uri("/customers/{id}", id).exchange().expectStatus().isNotFound();
		this.api.get()
			.uri("/customers/{id}?includeDeleted=true", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deletedAt")
			.isNotEmpty();
		this.api.get().uri("/customers/external/crm-gone").exchange().expectStatus().isNotFound();
		this.api.get().uri("/customers?email=gone@example.com").exchange().expectBody().jsonPath("$.content").isEmpty();
	}

	@Test
	void deletesIdempotentlyAndAnswersNotFoundForAnUnknownCustomer() {
		String id = id(create(this.organization, "twice@example.com", "Twice", null));

		this.api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();
		this.api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();
		this.api.delete()
			.uri("/customers/{id}", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Customer not found");
	}

	/**
	 * {@code POST /customers/deletions}: each customer named is deleted as {@code DELETE
	 * /customers/{id}} deletes it, with a receipt of its own; naming one that is not the
	 * organization's deletes none and names it.
	 */
	@Test
	void deletesCustomersTogetherOrNoneWhenOneIsNotFound() {
		String first = id(create(this.organization, "first-of-many@example.com", "First", null));
		String second = id(create(this.organization, "second-of-many@example.com", "Second", null));
		String unknown = UUID.randomUUID().toString();

		this.api.post()
			.uri("/customers/deletions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customerIds", List.of(first, second, unknown)))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Customers not found")
			.jsonPath("$.customerIds")
			.isEqualTo(List.of(unknown));
		this.api.get().uri("/customers/{id}", first).exchange().expectStatus().isOk();

		this.api.post()
			.uri("/customers/deletions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customerIds", List.of(first, second)))
			.exchange()
			.expectStatus()
			.isNoContent();
		for (String id : List.of(first, second)) {
			this.api.get().uri("/customers/{id}", id).exchange().expectStatus().isNotFound();
			this.api.get()
				.uri("/customers/{id}/deletion", id)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.customerId")
				.isEqualTo(id)
				.jsonPath("$.complete")
				.isEqualTo(false);
		}
		assertThat(create(this.organization, "first-of-many@example.com", "First again", null).getStatus().value())
			.isEqualTo(201);
	}

	@Test
	void refusesADeletionOfNoCustomerOrOfMoreThanAThousandNamingTheField() {
		for (List<String> ids : List.of(List.<String>of(),
				IntStream.range(0, 1001).mapToObj(i -> UUID.randomUUID().toString()).toList())) {
			this.api.post()
				.uri("/customers/deletions")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("customerIds", ids))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo("customerIds");
		}
	}

	@Test
	void findsLiveCustomersByEmailOrExternalIdInPages() {
		for (int i = 0; i < 5; i++) {
			create(this.organization, "page" + i + "@example.com", "Page " + i, "ext-" + i);
		}

		this.api.get()
			.uri("/customers?size=2&page=0")
			.exchange()
			.expectBody()
			.jsonPath("$.content.length()")
			.isEqualTo(2)
			.jsonPath("$.page.totalElements")
			.isEqualTo(5)
			.jsonPath("$.page.totalPages")
			.isEqualTo(3);
		this.api.get()
			.uri("/customers?email=PAGE3@example.com")
			.exchange()
			.expectBody()
			.jsonPath("$.content[*].email")
			.isEqualTo(List.of("page3@example.com"));
		this.api.get()
			.uri("/customers?externalId=ext-4")
			.exchange()
			.expectBody()
			.jsonPath("$.content[*].externalId")
			.isEqualTo(List.of("ext-4"));
	}

	@Test
	void updatesNameAndEmailUnderTheSameConflictRules() {
		String id = id(create(this.organization, "old@example.com", "Old", null));
		create(this.organization, "taken@example.com", "Taken", null);

		EntityExchangeResult<Map<String, Object>> renamed = patch(id,
				Map.of("name", "New", "email", "new@example.com"));
		EntityExchangeResult<Map<String, Object>> conflict = patch(id, Map.of("email", "Taken@example.com"));

		assertThat(renamed.getStatus().value()).isEqualTo(200);
		assertThat(renamed.getResponseBody()).containsEntry("name", "New").containsEntry("email", "new@example.com");
		assertThat(conflict.getStatus().value()).isEqualTo(409);
		assertThat(conflict.getResponseBody()).containsEntry("field", "email");
	}

	@Test
	void setsTheExternalIdOnceThenRefusesToChangeIt() {
		String id = id(create(this.organization, "ext@example.com", "Ext", null));

		assertThat(patch(id, Map.of("externalId", "crm-9")).getResponseBody()).containsEntry("externalId", "crm-9");
		EntityExchangeResult<Map<String, Object>> change = patch(id, Map.of("externalId", "crm-10"));

		assertThat(change.getStatus().value()).isEqualTo(409);
		assertThat(change.getResponseBody()).containsEntry("field", "externalId").containsEntry("externalId", "crm-9");
	}

	@Test
	void answersNotFoundWhenUpdatingADeletedCustomer() {
		String id = id(create(this.organization, "late@example.com", "Late", null));
		this.api.delete().uri("/customers/{id}", id).exchange().expectStatus().isNoContent();

		assertThat(patch(id, Map.of("name", "Zombie")).getStatus().value()).isEqualTo(404);
	}

	/**
	 * Each bad request, and the field its 400 names: a JSON path into the body, a
	 * parameter, or the body ({@code $}). An {@code organizationId} in the body is
	 * optional, but when given it must be a UUID.
	 */
	static Stream<Arguments> badRequests() {
		String id = UUID.randomUUID().toString();
		return Stream.of(Arguments.of("malformed JSON", HttpMethod.POST, "/customers", "{\"email\": }", "email"),
				Arguments.of("JSON that ends early", HttpMethod.POST, "/customers", "{\"organizationId\": ",
						"organizationId"),
				Arguments.of("wrong type", HttpMethod.POST, "/customers",
						"{\"organizationId\": [1], \"email\": \"a@example.com\", \"name\": \"A\"}", "organizationId"),
				Arguments.of("invalid organization UUID", HttpMethod.POST, "/customers",
						"{\"organizationId\": \"nope\", \"email\": \"a@example.com\", \"name\": \"A\"}",
						"organizationId"),
				Arguments.of("missing fields", HttpMethod.POST, "/customers", "{\"name\": \"A\"}", "email"),
				Arguments.of("blank email", HttpMethod.POST, "/customers", "{\"email\": \"  \", \"name\": \"A\"}",
						"email"),
				Arguments.of("invalid email", HttpMethod.POST, "/customers",
						"{\"email\": \"not-an-email\", \"name\": \"A\"}", "email"),
				Arguments.of("oversized name", HttpMethod.POST, "/customers",
						"{\"email\": \"a@example.com\", \"name\": \"" + "x".repeat(201) + "\"}", "name"),
				Arguments.of("oversized external id", HttpMethod.POST, "/customers",
						"{\"email\": \"a@example.com\", \"name\": \"A\", \"externalId\": \"" + "x".repeat(101) + "\"}",
						"externalId"),
				Arguments.of("blank name on update", HttpMethod.PATCH, "/customers/" + id, "{\"name\": \"  \"}",
						"name"),
				Arguments.of("no body", HttpMethod.POST, "/customers", "", "$"),
				Arguments.of("invalid UUID in path", HttpMethod.GET, "/customers/not-a-uuid", null, "id"),
				Arguments.of("includeDeleted neither true nor false", HttpMethod.GET,
						"/customers/" + id + "?includeDeleted=yes", null, "includeDeleted"),
				Arguments.of("page of the wrong type", HttpMethod.GET, "/customers?page=first", null, "page"),
				Arguments.of("page size too large", HttpMethod.GET, "/customers?size=1000", null, "size"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void answersBadInputWithABadRequestProblemNamingTheField(String description, HttpMethod method, String path,
			@Nullable String body, String field) {
		EntityExchangeResult<Map<String, Object>> response = call(this.api, method, path, (body != null) ? body : "");

		assertThat(response.getStatus().value()).as(description).isEqualTo(400);
		assertThat(response.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getResponseBody()).containsEntry("status", 400);
		assertThat(errors(response)).as(description)
			.anySatisfy(error -> assertThat(error).containsEntry("field", field).containsKey("message"));
	}

	/**
	 * What the database refuses as data is bad input too; no field can be named, the
	 * database does not say which.
	 */
	@Test
	void answersATextTheDatabaseCannotStoreWithABadRequestProblem() {
		this.api.post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"email\": \"nul@example.com\", \"name\": \"A\\u0000B\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Invalid value");
	}

	@Test
	void namesEachFieldAndWhyInTheProblemOfAnInvalidBody() {
		this.api.post()
			.uri("/customers")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("email", " ", "name", "x".repeat(201)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[?(@.field == 'email')].message")
			.value(messages -> assertThat(messages).asString().contains("must not be blank"))
			.jsonPath("$.errors[?(@.field == 'name')].message")
			.value(messages -> assertThat(messages).asString().contains("size must be between 0 and 200"));
	}

	/**
	 * The OpenAPI document and the probes are open on the public port; health and metrics
	 * answer on the management port, without a token.
	 */
	@Test
	void servesTheOpenApiDocumentAndProbesOpenlyAndHealthAndPrometheusMetricsOnTheManagementPort() {
		this.client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectBody(String.class)
			.value(openApi -> assertThat(openApi).contains("\"/customers/{id}\"",
					"\"/customers/external/{externalId}\""));
		this.client.get().uri("/livez").exchange().expectStatus().isOk();
		this.client.get().uri("/readyz").exchange().expectStatus().isOk();
		RestTestClient management = ManagementClient.of(this.managementPort);
		management.get().uri("/actuator/health").exchange().expectBody().jsonPath("$.status").isEqualTo("UP");
		management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.value(prometheus -> assertThat(prometheus).contains("outbox_pending", "outbox_oldest_age_seconds",
					"outbox_publish_latency"));
	}

	/**
	 * The public port shows nothing of the actuator, with a token or without: the
	 * security has no row for it, so it refuses with a problem; the management port
	 * answers the same path.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("actuatorPaths")
	void refusesTheActuatorOnThePublicPortAndAnswersItOnTheManagementPort(String path) {
		for (RestTestClient caller : List.of(this.client, this.api)) {
			EntityExchangeResult<String> answer = caller.get().uri(path).exchange().returnResult(String.class);

			assertThat(answer.getStatus().value()).as(path).isIn(401, 403);
			assertThat(answer.getResponseHeaders().getContentType()).as(path)
				.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(answer.getResponseBody()).as(path)
				.doesNotContain("outbox_pending", "jvm_memory", "\"status\":\"UP\"", "measuredAt", "\"names\"",
						"\"_links\"");
		}
		ManagementClient.of(this.managementPort).get().uri(path).exchange().expectStatus().isOk();
	}

	static Stream<String> actuatorPaths() {
		return Stream.of("/actuator/prometheus", "/actuator/health", "/actuator/outbox", "/actuator/kafkalag",
				"/actuator/metrics", "/actuator");
	}

	private EntityExchangeResult<Map<String, Object>> create(UUID organization, String email, String name,
			@Nullable String externalId) {
		return CustomerRequests.create(this.client, organization, email, name, externalId);
	}

	private EntityExchangeResult<Map<String, Object>> patch(String id, Map<String, Object> changes) {
		return call(this.api, HttpMethod.PATCH, "/customers/" + id, changes);
	}

	private static String id(EntityExchangeResult<Map<String, Object>> response) {
		return (String) response.getResponseBody().get("id");
	}

}
