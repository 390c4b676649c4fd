package dev.subscriptions.web;

import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.RequestHeadersSpec;

import dev.subscriptions.web.test.WithTestIdentityProvider;

/**
 * The shared advice over HTTP, in a service of its own against a real PostgreSQL, so that
 * every SQLSTATE is the server's.
 */
@WithTestIdentityProvider
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SharedProblemsIntegrationTests {

	@LocalServerPort
	int port;

	private RestTestClient client;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		WebTestDatabase.register(properties);
	}

	@BeforeEach
	void connect() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void namesEveryFieldThatFailsBeanValidation() {
		Map<String, Object> problem = problem(400,
				this.client.post()
					.uri("/orders")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"name\": \" \", \"mode\": \"FAST\", \"items\": [{\"id\": \"" + UUID.randomUUID()
							+ "\", \"quantity\": 1}, {\"quantity\": 0}]}"));

		assertThat(errors(problem)).containsExactlyInAnyOrder(error("name", "must not be blank"),
				error("items[1].id", "must not be null"), error("items[1].quantity", "must be greater than 0"));
	}

	@Test
	void namesTheQueryParameterThatFailsMethodValidation() {
		Map<String, Object> problem = problem(400, this.client.get().uri("/orders?mode=FAST&size=1000"));

		assertThat(errors(problem)).containsExactly(error("size", "must be less than or equal to 100"));
	}

	@Test
	void namesThePathVariableOfTheWrongType() {
		Map<String, Object> problem = problem(400, this.client.get().uri("/orders/42"));

		assertThat(errors(problem)).containsExactly(error("id", "must be a UUID"));
	}

	@Test
	void namesTheQueryParameterWithAValueOutsideItsEnumAndTheValuesItTakes() {
		Map<String, Object> problem = problem(400, this.client.get().uri("/orders?mode=slow&size=10"));

		assertThat(errors(problem)).containsExactly(error("mode", "must be one of [FAST, CAREFUL]"));
	}

	@Test
	void namesAMissingQueryParameterAndAMissingHeader() {
		assertThat(errors(problem(400, this.client.get().uri("/orders?mode=FAST"))))
			.containsExactly(error("size", "is required"));
		assertThat(errors(problem(400, this.client.get().uri("/tenant"))))
			.containsExactly(error("X-Tenant", "is required"));
	}

	@Test
	void namesTheJsonPathOfABodyValueOutsideItsEnum() {
		Map<String, Object> problem = problem(400,
				this.client.post()
					.uri("/orders")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"name\": \"n\", \"mode\": \"slow\", \"items\": []}"));

		assertThat(errors(problem)).containsExactly(error("mode", "must be one of [CAREFUL, FAST]"));
	}

	@Test
	void namesTheJsonPathOfANestedBodyValueOfTheWrongType() {
		Map<String, Object> problem = problem(400, this.client.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"n\", \"mode\": \"FAST\", \"items\": [{\"id\": \"not-a-uuid\", \"quantity\": 1}]}"));

		assertThat(errors(problem)).extracting(error -> error.get("field")).containsExactly("items[0].id");
	}

	@Test
	void namesTheElementWhereMalformedJsonStops() {
		Map<String, Object> problem = problem(400,
				this.client.post()
					.uri("/orders")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"name\": \"n\", \"items\": [{\"quantity\": }]}"));

		assertThat(errors(problem)).singleElement().satisfies(error -> {
			assertThat(error.get("field")).isEqualTo("items[0]");
			assertThat((String) error.get("message")).contains("line 1, column");
		});
	}

	@Test
	void saysThatAMissingBodyIsRequired() {
		Map<String, Object> problem = problem(400,
				this.client.post().uri("/orders").contentType(MediaType.APPLICATION_JSON));

		assertThat(errors(problem)).containsExactly(error("$", "is required"));
	}

	@Test
	void answersAValueTheDatabaseRefusesAsDataWithBadRequest() {
		Map<String, Object> problem = problem(400, createNote(UUID.randomUUID().toString(), "NUL\\u0000inside"));

		assertThat(problem).containsEntry("title", "Invalid value");
		assertThat((String) problem.get("detail")).contains("SQLSTATE 22021");
	}

	@Test
	void answersADeclaredUniqueViolationWithConflictNamingItsField() {
		String key = UUID.randomUUID().toString();
		problem(200, createNote(key, "first"), false);

		Map<String, Object> problem = problem(409, createNote(key, "second"));

		assertThat(problem).containsEntry("title", "Note already exists")
			.containsEntry("detail", "A note with this key exists already")
			.containsEntry("field", "key");
	}

	@Test
	void answersAnUndeclaredUniqueViolationWithAGenericConflict() {
		String slug = UUID.randomUUID().toString();
		this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("key", UUID.randomUUID().toString(), "slug", slug, "text", "first"))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();

		Map<String, Object> problem = problem(409,
				this.client.post()
					.uri("/notes")
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("key", UUID.randomUUID().toString(), "slug", slug, "text", "second")));

		assertThat(problem).containsEntry("title", "Already exists").doesNotContainKey("field");
	}

	@Test
	void answersAConcurrentChangeWithConflict() {
		String key = UUID.randomUUID().toString();
		this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("key", key, "slug", key, "text", "first"))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		this.client.put()
			.uri("/notes/{key}?version=0", key)
			.contentType(MediaType.TEXT_PLAIN)
			.body("second")
			.exchange()
			.expectStatus()
			.is2xxSuccessful();

		Map<String, Object> problem = problem(409,
				this.client.put().uri("/notes/{key}?version=0", key).contentType(MediaType.TEXT_PLAIN).body("third"));

		assertThat(problem).containsEntry("title", "Concurrent change");
	}

	@Test
	void answersAStatementTheDatabaseCanceledWithServiceUnavailable() {
		assertThat(problem(503, this.client.get().uri("/slow"))).containsEntry("title", "Database unavailable");
	}

	@Test
	void answersAnUnreachableDatabaseWithServiceUnavailable() {
		assertThat(problem(503, this.client.get().uri("/unreachable"))).containsEntry("title", "Database unavailable");
		assertThat(problem(503, this.client.get().uri("/unreachable-transaction"))).containsEntry("title",
				"Database unavailable");
	}

	@Test
	void answersAnyOtherDatabaseFailureWithInternalErrorAndLogsIt(CapturedOutput output) {
		assertThat(problem(500, this.client.get().uri("/broken"))).containsEntry("title", "Internal error");
		assertThat(output).contains("Database failure", "no_such_table");
	}

	private RequestHeadersSpec<?> createNote(String key, String text) {
		return this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"key\": \"" + key + "\", \"slug\": \"" + UUID.randomUUID() + "\", \"text\": \"" + text + "\"}");
	}

	private Map<String, Object> problem(int status, RequestHeadersSpec<?> request) {
		return problem(status, request, true);
	}

	private Map<String, Object> problem(int status, RequestHeadersSpec<?> request, boolean isProblem) {
		EntityExchangeResult<Map<String, Object>> result = call(request);
		assertThat(result.getStatus().value()).as(String.valueOf(result.getResponseBody())).isEqualTo(status);
		if (isProblem) {
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(result.getResponseBody()).containsEntry("status", status);
		}
		return result.getResponseBody();
	}

	private static Map<String, Object> error(String field, String message) {
		return Map.of("field", field, "message", message);
	}

}
