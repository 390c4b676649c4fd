package dev.subscriptions.customerservice.customer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import dev.subscriptions.infrastructure.EmbeddedInfrastructure;

/**
 * The customers API over HTTP, against a real PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(EmbeddedInfrastructure.class)
class CustomerApiIntegrationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	private final UUID organization = UUID.randomUUID();

	@Test
	void createsACustomerAndAnswersWithItsLocation() {
		ResponseEntity<Map<String, Object>> created = create(this.organization, "ada@example.com", "Ada Lovelace", null);

		assertThat(created.getStatusCode().value()).isEqualTo(201);
		assertThat(created.getHeaders().getLocation()).hasPath("/customers/" + created.getBody().get("id"));
		ResponseEntity<Map<String, Object>> read = call(HttpMethod.GET, created.getHeaders().getLocation().getPath(), null);
		assertThat(read.getBody()).containsEntry("email", "ada@example.com")
			.containsEntry("name", "Ada Lovelace")
			.containsEntry("organizationId", this.organization.toString())
			.containsEntry("deletedAt", null);
	}

	@Test
	void reusesTheEmailOfADeletedCustomerInAnotherCase() {
		String first = id(create(this.organization, "grace@example.com", "Grace", null));

		assertThat(call(HttpMethod.DELETE, "/customers/" + first, null).getStatusCode().value()).isEqualTo(204);
		ResponseEntity<Map<String, Object>> again = create(this.organization, "GRACE@Example.com", "Grace", null);

		assertThat(again.getStatusCode().value()).isEqualTo(201);
		assertThat(id(again)).isNotEqualTo(first);
	}

	@Test
	void reusesTheExternalIdOfADeletedCustomer() {
		String first = id(create(this.organization, "one@example.com", "One", "crm-7"));
		call(HttpMethod.DELETE, "/customers/" + first, null);

		ResponseEntity<Map<String, Object>> again = create(this.organization, "two@example.com", "Two", "crm-7");

		assertThat(again.getStatusCode().value()).isEqualTo(201);
		assertThat(call(HttpMethod.GET, "/customers/external/crm-7?organizationId=" + this.organization, null).getBody())
			.containsEntry("id", id(again));
	}

	@Test
	void refusesASecondLiveCustomerWithTheSameEmailInAnyCaseNamingTheField() {
		create(this.organization, "dup@example.com", "First", null);

		ResponseEntity<Map<String, Object>> second = create(this.organization, "DUP@example.COM", "Second", null);

		assertThat(second.getStatusCode().value()).isEqualTo(409);
		assertThat(second.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(second.getBody()).containsEntry("field", "email").containsEntry("status", 409);
	}

	@Test
	void refusesASecondLiveCustomerWithTheSameExternalIdNamingTheField() {
		create(this.organization, "a@example.com", "A", "crm-1");

		ResponseEntity<Map<String, Object>> second = create(this.organization, "b@example.com", "B", "crm-1");

		assertThat(second.getStatusCode().value()).isEqualTo(409);
		assertThat(second.getBody()).containsEntry("field", "externalId");
	}

	@Test
	void letsTwoOrganizationsHaveACustomerWithTheSameEmail() {
		create(this.organization, "shared@example.com", "A", "crm-shared");

		assertThat(create(UUID.randomUUID(), "shared@example.com", "B", "crm-shared").getStatusCode().value())
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
				.getStatusCode()
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
		call(HttpMethod.DELETE, "/customers/" + id, null);

		assertThat(call(HttpMethod.GET, "/customers/" + id, null).getStatusCode().value()).isEqualTo(404);
		ResponseEntity<Map<String, Object>> included = call(HttpMethod.GET, "/customers/" + id + "?includeDeleted=true",
				null);
		assertThat(included.getStatusCode().value()).isEqualTo(200);
		assertThat(included.getBody().get("deletedAt")).isNotNull();
		assertThat(call(HttpMethod.GET, "/customers/external/crm-gone?organizationId=" + this.organization, null)
			.getStatusCode()
			.value()).isEqualTo(404);
		assertThat(call(HttpMethod.GET, "/customers?organizationId=" + this.organization + "&email=gone@example.com",
				null)
			.getBody()).extractingByKey("content").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isEmpty();
	}

	@Test
	void deletesIdempotentlyAndAnswersNotFoundForAnUnknownCustomer() {
		String id = id(create(this.organization, "twice@example.com", "Twice", null));

		assertThat(call(HttpMethod.DELETE, "/customers/" + id, null).getStatusCode().value()).isEqualTo(204);
		assertThat(call(HttpMethod.DELETE, "/customers/" + id, null).getStatusCode().value()).isEqualTo(204);
		ResponseEntity<Map<String, Object>> unknown = call(HttpMethod.DELETE, "/customers/" + UUID.randomUUID(), null);
		assertThat(unknown.getStatusCode().value()).isEqualTo(404);
		assertThat(unknown.getBody()).containsEntry("title", "Customer not found");
	}

	@Test
	void findsLiveCustomersByEmailOrExternalIdInPages() {
		for (int i = 0; i < 5; i++) {
			create(this.organization, "page" + i + "@example.com", "Page " + i, "ext-" + i);
		}

		Map<String, Object> firstPage = call(HttpMethod.GET,
				"/customers?organizationId=" + this.organization + "&size=2&page=0", null)
			.getBody();
		Map<String, Object> byEmail = call(HttpMethod.GET,
				"/customers?organizationId=" + this.organization + "&email=PAGE3@example.com", null)
			.getBody();
		Map<String, Object> byExternalId = call(HttpMethod.GET,
				"/customers?organizationId=" + this.organization + "&externalId=ext-4", null)
			.getBody();

		assertThat((List<?>) firstPage.get("content")).hasSize(2);
		assertThat(firstPage.get("page")).asString().contains("totalElements=5", "totalPages=3");
		assertThat((List<?>) byEmail.get("content")).singleElement().asString().contains("page3@example.com");
		assertThat((List<?>) byExternalId.get("content")).singleElement().asString().contains("ext-4");
	}

	@Test
	void updatesNameAndEmailUnderTheSameConflictRules() {
		String id = id(create(this.organization, "old@example.com", "Old", null));
		create(this.organization, "taken@example.com", "Taken", null);

		ResponseEntity<Map<String, Object>> renamed = call(HttpMethod.PATCH, "/customers/" + id,
				Map.of("name", "New", "email", "new@example.com"));
		ResponseEntity<Map<String, Object>> conflict = call(HttpMethod.PATCH, "/customers/" + id,
				Map.of("email", "Taken@example.com"));

		assertThat(renamed.getStatusCode().value()).isEqualTo(200);
		assertThat(renamed.getBody()).containsEntry("name", "New").containsEntry("email", "new@example.com");
		assertThat(conflict.getStatusCode().value()).isEqualTo(409);
		assertThat(conflict.getBody()).containsEntry("field", "email");
	}

	@Test
	void setsTheExternalIdOnceThenRefusesToChangeIt() {
		String id = id(create(this.organization, "ext@example.com", "Ext", null));

		assertThat(call(HttpMethod.PATCH, "/customers/" + id, Map.of("externalId", "crm-9")).getBody())
			.containsEntry("externalId", "crm-9");
		ResponseEntity<Map<String, Object>> change = call(HttpMethod.PATCH, "/customers/" + id,
				Map.of("externalId", "crm-10"));

		assertThat(change.getStatusCode().value()).isEqualTo(409);
		assertThat(change.getBody()).containsEntry("field", "externalId").containsEntry("externalId", "crm-9");
	}

	@Test
	void answersNotFoundWhenUpdatingADeletedCustomer() {
		String id = id(create(this.organization, "late@example.com", "Late", null));
		call(HttpMethod.DELETE, "/customers/" + id, null);

		assertThat(call(HttpMethod.PATCH, "/customers/" + id, Map.of("name", "Zombie")).getStatusCode().value())
			.isEqualTo(404);
	}

	static Stream<Arguments> badRequests() {
		String org = UUID.randomUUID().toString();
		return Stream.of(Arguments.of("malformed JSON", HttpMethod.POST, "/customers", "{\"organizationId\": "),
				Arguments.of("wrong type", HttpMethod.POST, "/customers",
						"{\"organizationId\": [1], \"email\": \"a@example.com\", \"name\": \"A\"}"),
				Arguments.of("invalid organization UUID", HttpMethod.POST, "/customers",
						"{\"organizationId\": \"nope\", \"email\": \"a@example.com\", \"name\": \"A\"}"),
				Arguments.of("missing fields", HttpMethod.POST, "/customers", "{\"organizationId\": \"" + org + "\"}"),
				Arguments.of("invalid email", HttpMethod.POST, "/customers",
						"{\"organizationId\": \"" + org + "\", \"email\": \"not-an-email\", \"name\": \"A\"}"),
				Arguments.of("oversized name", HttpMethod.POST, "/customers", "{\"organizationId\": \"" + org
						+ "\", \"email\": \"a@example.com\", \"name\": \"" + "x".repeat(201) + "\"}"),
				Arguments.of("oversized external id", HttpMethod.POST, "/customers",
						"{\"organizationId\": \"" + org + "\", \"email\": \"a@example.com\", \"name\": \"A\", "
								+ "\"externalId\": \"" + "x".repeat(101) + "\"}"),
				Arguments.of("blank name on update", HttpMethod.PATCH, "/customers/" + org, "{\"name\": \"  \"}"),
				Arguments.of("no body", HttpMethod.POST, "/customers", ""),
				Arguments.of("invalid UUID in path", HttpMethod.GET, "/customers/not-a-uuid", null),
				Arguments.of("missing organizationId", HttpMethod.GET, "/customers", null),
				Arguments.of("invalid organizationId", HttpMethod.GET, "/customers?organizationId=42", null),
				Arguments.of("page size too large", HttpMethod.GET, "/customers?organizationId=" + org + "&size=1000",
						null),
				Arguments.of("NUL character in the name", HttpMethod.POST, "/customers", "{\"organizationId\": \""
						+ org + "\", \"email\": \"nul@example.com\", \"name\": \"A\\u0000B\"}"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void answersBadInputWithBadRequestProblem(String description, HttpMethod method, String path, String body) {
		ResponseEntity<Map<String, Object>> response = this.client()
			.method(method)
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body((body != null) ? body : "")
			.retrieve()
			.onStatus(status -> true, (request, ignored) -> {
			})
			.toEntity(JSON);

		assertThat(response.getStatusCode().value()).as(description).isEqualTo(400);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody()).containsEntry("status", 400);
	}

	@Test
	void servesTheOpenApiDocumentHealthAndPrometheusMetrics() {
		String openApi = client().get().uri("/v3/api-docs").retrieve().body(String.class);
		String prometheus = client().get().uri("/actuator/prometheus").retrieve().body(String.class);

		assertThat(openApi).contains("\"/customers/{id}\"", "\"/customers/external/{externalId}\"");
		assertThat(call(HttpMethod.GET, "/actuator/health", null).getBody()).containsEntry("status", "UP");
		assertThat(prometheus).contains("outbox_pending", "outbox_oldest_age_seconds", "outbox_publish_latency");
	}

	private ResponseEntity<Map<String, Object>> create(UUID organization, String email, String name,
			String externalId) {
		Map<String, Object> body = new java.util.HashMap<>(
				Map.of("organizationId", organization.toString(), "email", email, "name", name));
		if (externalId != null) {
			body.put("externalId", externalId);
		}
		return call(HttpMethod.POST, "/customers", body);
	}

	private ResponseEntity<Map<String, Object>> call(HttpMethod method, String path, Object body) {
		RestClient.RequestBodySpec request = client().method(method).uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.retrieve().onStatus(status -> true, (req, res) -> {
		}).toEntity(JSON);
	}

	private RestClient client() {
		return RestClient.create("http://localhost:" + this.port);
	}

	private static String id(ResponseEntity<Map<String, Object>> response) {
		return (String) response.getBody().get("id");
	}

}
