package dev.subscriptions.web.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.subscriptions.web.security.ApiScopes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security contract of a service, generated from its OpenAPI document, so that no
 * endpoint can skip it: for every operation of {@code /v3/api-docs} (each must have a
 * {@link Fixture}, and each must declare the bearer scheme with one scope, or be one of
 * the {@link #open open} operations the test names):
 * <ol>
 * <li>no token → 401 with a bearer challenge and a problem;</li>
 * <li>a token of the owner with every scope but the one needed (and the {@code :write}
 * scope implying it) → 403 naming the scope;</li>
 * <li>a token of another organization with the scope, on the owner's record → the
 * fixture's foreign answer (404, or a list without the owner's ids, ...);</li>
 * <li>a token of the owner with the scope → neither 401 nor 403;</li>
 * <li>if the request body has an {@code organizationId}: the owner's token with the other
 * organization in the body → 403.</li>
 * </ol>
 * An open operation is called without a token and must not answer with a bearer
 * challenge.
 */
public final class OpenApiSecurityContract {

	private final RestTestClient client;

	private final Map<String, Object> document;

	private final Map<String, Fixture> fixtures = new LinkedHashMap<>();

	private final Set<String> open = new TreeSet<>();

	private OpenApiSecurityContract(RestTestClient client, Map<String, Object> document) {
		this.client = client;
		this.document = document;
	}

	/**
	 * The contract of the service {@code client} calls, from its {@code /v3/api-docs}.
	 */
	public static OpenApiSecurityContract of(RestTestClient client) {
		EntityExchangeResult<Map<String, Object>> document = ApiResponses.call(client.get().uri("/v3/api-docs"));
		assertThat(document.getStatus().value()).as("GET /v3/api-docs without a token").isEqualTo(200);
		return new OpenApiSecurityContract(client, ApiResponses.body(document));
	}

	/**
	 * How to call an operation ({@code "GET /customers/{id}"}, as in the document) on the
	 * owner's records.
	 */
	public OpenApiSecurityContract fixture(String operation, Fixture fixture) {
		this.fixtures.put(operation, fixture);
		return this;
	}

	/**
	 * An operation that must be open (no token), e.g. a webhook with its own signature.
	 */
	public OpenApiSecurityContract open(String operation) {
		this.open.add(operation);
		return this;
	}

	/** The operations of the document, {@code "METHOD /path"}, in its order. */
	public List<String> operations() {
		List<String> operations = new ArrayList<>();
		paths().forEach((path, item) -> operationsOf(item).keySet()
			.forEach((method) -> operations.add(method.toUpperCase() + " " + path)));
		return operations;
	}

	/**
	 * The tests, one container per operation; fails at once if an operation has no
	 * fixture, a fixture names no operation, or the open operations differ from those
	 * named.
	 * @param owner the organization whose records the fixtures name
	 * @param stranger another organization
	 */
	public Stream<DynamicNode> tests(UUID owner, UUID stranger) {
		List<String> operations = operations();
		assertThat(this.fixtures.keySet()).as("operations with a fixture; every operation of /v3/api-docs needs one")
			.containsExactlyInAnyOrderElementsOf(operations);
		Set<String> documentedOpen = new TreeSet<>();
		List<DynamicNode> containers = new ArrayList<>();
		paths().forEach((path, item) -> operationsOf(item).forEach((method, operation) -> {
			String name = method.toUpperCase() + " " + path;
			@Nullable String scope = scope(name, operation);
			if (scope == null) {
				documentedOpen.add(name);
			}
			containers.add(DynamicContainer.dynamicContainer(name,
					cases(HttpMethod.valueOf(method.toUpperCase()), path, operation, scope, owner, stranger)));
		}));
		assertThat(documentedOpen).as("operations open without a token").isEqualTo(this.open);
		return containers.stream();
	}

	private List<DynamicTest> cases(HttpMethod method, String path, Map<String, Object> operation,
			@Nullable String scope, UUID owner, UUID stranger) {
		String name = method.name() + " " + path;
		Fixture fixture = this.fixtures.get(name);
		if (scope == null) {
			return List.of(DynamicTest.dynamicTest("no token → no bearer challenge (open)", () -> {
				Answer answer = call(method, path, fixture, fixture.body(), null);
				String challenge = answer.challenge();
				assertThat(challenge == null || !challenge.startsWith("Bearer"))
					.as("%s answered without a bearer challenge: %s", name, challenge)
					.isTrue();
			}));
		}
		List<DynamicTest> cases = new ArrayList<>();
		cases.add(DynamicTest.dynamicTest("no token → 401", () -> {
			Answer answer = call(method, path, fixture, fixture.body(), null);
			assertThat(answer.status()).as("status of %s: %s", name, answer.body()).isEqualTo(401);
			assertThat(answer.challenge()).startsWith("Bearer");
			assertThat(answer.contentType()).isNotNull();
			assertThat(MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(answer.contentType())).isTrue();
		}));
		cases.add(DynamicTest.dynamicTest("token without " + scope + " → 403", () -> {
			Answer answer = call(method, path, fixture, fixture.body(),
					TestTokens.bearer(owner, allScopesBut(scope).toArray(String[]::new)));
			assertThat(answer.status()).as("status of %s: %s", name, answer.body()).isEqualTo(403);
			assertThat(answer.challenge()).contains("error=\"insufficient_scope\"").contains("scope=\"" + scope + "\"");
		}));
		cases.add(DynamicTest.dynamicTest("another organization's token → " + fixture.foreignDescription(), () -> {
			Answer answer = call(method, path, fixture, fixture.body(), TestTokens.bearer(stranger, scope));
			if (fixture.ownerIds().isEmpty()) {
				assertThat(answer.status()).as("status of %s: %s", name, answer.body())
					.isEqualTo(fixture.foreignStatus());
			}
			else {
				assertThat(answer.status()).as("status of %s: %s", name, answer.body()).isEqualTo(200);
				for (String id : fixture.ownerIds()) {
					assertThat(answer.body()).as("%s for another organization", name).doesNotContain(id);
				}
			}
		}));
		if (fixture.body() instanceof Map<?, ?> body && hasOrganizationId(operation)) {
			cases.add(DynamicTest.dynamicTest("body naming another organization → 403", () -> {
				Map<Object, Object> mismatched = new LinkedHashMap<>(body);
				mismatched.put("organizationId", stranger.toString());
				Answer answer = call(method, path, fixture, mismatched, TestTokens.bearer(owner, scope));
				assertThat(answer.status()).as("status of %s: %s", name, answer.body()).isEqualTo(403);
			}));
		}
		cases.add(DynamicTest.dynamicTest("owner's token with " + scope + " → neither 401 nor 403", () -> {
			Answer answer = call(method, path, fixture, fixture.body(), TestTokens.bearer(owner, scope));
			assertThat(answer.status()).as("status of %s: %s", name, answer.body()).isNotIn(401, 403);
		}));
		return cases;
	}

	private static List<String> allScopesBut(String scope) {
		Set<String> scopes = new LinkedHashSet<>(ApiScopes.ALL_SCOPES);
		scopes.remove(scope);
		ApiScopes.ALL_SCOPES.stream()
			.filter((other) -> ApiScopes.impliedBy(other).filter(scope::equals).isPresent())
			.forEach(scopes::remove);
		return List.copyOf(scopes);
	}

	@SuppressWarnings("unchecked")
	private @Nullable String scope(String name, Map<String, Object> operation) {
		Object security = operation.get("security");
		assertThat(security).as("security of %s (give it a row in the service's ApiScopes)", name).isNotNull();
		List<Map<String, List<String>>> requirements = (List<Map<String, List<String>>>) security;
		if (requirements.isEmpty()) {
			return null;
		}
		assertThat(requirements).as("security of %s", name).hasSize(1);
		List<String> scopes = requirements.get(0).get("bearer");
		assertThat(scopes).as("bearer scopes of %s", name).hasSize(1);
		return scopes.get(0);
	}

	@SuppressWarnings("unchecked")
	private boolean hasOrganizationId(Map<String, Object> operation) {
		Map<String, Object> requestBody = (Map<String, Object>) operation.get("requestBody");
		if (requestBody == null) {
			return false;
		}
		Map<String, Object> content = (Map<String, Object>) requestBody.get("content");
		Map<String, Object> json = (content != null) ? (Map<String, Object>) content.get("application/json") : null;
		Map<String, Object> schema = (json != null) ? (Map<String, Object>) json.get("schema") : null;
		if (schema != null && schema.get("$ref") instanceof String reference) {
			Map<String, Object> components = (Map<String, Object>) this.document.get("components");
			Map<String, Object> schemas = (Map<String, Object>) components.get("schemas");
			schema = (Map<String, Object>) schemas.get(reference.substring(reference.lastIndexOf('/') + 1));
		}
		if (schema == null) {
			return false;
		}
		Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
		return properties != null && properties.containsKey("organizationId");
	}

	private Answer call(HttpMethod method, String path, Fixture fixture, @Nullable Object body,
			@Nullable String bearer) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path);
		fixture.query().forEach(uri::queryParam);
		RestTestClient.RequestBodySpec request = this.client.method(method)
			.uri(uri.buildAndExpand(fixture.pathVariables()).encode().toUriString());
		if (bearer != null) {
			request.header(HttpHeaders.AUTHORIZATION, bearer);
		}
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		EntityExchangeResult<String> result = request.exchange().returnResult(String.class);
		String text = result.getResponseBody();
		return new Answer(result.getStatus().value(),
				result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE),
				result.getResponseHeaders().getContentType(), (text != null) ? text : "");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Map<String, Object>> paths() {
		return (Map<String, Map<String, Object>>) this.document.get("paths");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> operationsOf(Map<String, Object> item) {
		Map<String, Map<String, Object>> operations = new LinkedHashMap<>();
		for (String method : List.of("get", "put", "post", "delete", "options", "head", "patch", "trace")) {
			if (item.get(method) instanceof Map<?, ?> operation) {
				operations.put(method, (Map<String, Object>) operation);
			}
		}
		return operations;
	}

	private record Answer(int status, @Nullable String challenge, @Nullable MediaType contentType, String body) {

		@Override
		public @Nullable String challenge() {
			return this.challenge;
		}

	}

	/**
	 * How to call one operation on the owner's records, and what another organization
	 * gets for the same call.
	 *
	 * @param pathVariables the values of the path's templates
	 * @param query query parameters
	 * @param body the JSON body, or {@code null} for none
	 * @param foreignStatus what another organization's token is answered
	 * @param ownerIds for a list: ids of the owner's records another organization's list
	 * must not show (then it must be 200)
	 */
	public record Fixture(Map<String, String> pathVariables, Map<String, String> query, @Nullable Object body,
			int foreignStatus, List<String> ownerIds) {

		/** A fixture with these path variables, another organization getting 404. */
		public static Fixture of(Map<String, ?> pathVariables) {
			Map<String, String> variables = new LinkedHashMap<>();
			pathVariables.forEach((name, value) -> variables.put(name, String.valueOf(value)));
			return new Fixture(variables, Map.of(), null, 404, List.of());
		}

		/** A fixture without path variables. */
		public static Fixture none() {
			return of(Map.of());
		}

		/** With a query parameter. */
		public Fixture query(String name, Object value) {
			Map<String, String> query = new LinkedHashMap<>(this.query);
			query.put(name, String.valueOf(value));
			return new Fixture(this.pathVariables, query, this.body, this.foreignStatus, this.ownerIds);
		}

		/** With a JSON body (a {@code Map} gets the organization-mismatch case too). */
		public Fixture body(Object body) {
			return new Fixture(this.pathVariables, this.query, body, this.foreignStatus, this.ownerIds);
		}

		/** Another organization is answered {@code status}. */
		public Fixture foreignAnswers(int status) {
			return new Fixture(this.pathVariables, this.query, this.body, status, List.of());
		}

		/** Another organization gets 200 and a list without these ids. */
		public Fixture foreignListWithout(Object... ownerIds) {
			return new Fixture(this.pathVariables, this.query, this.body, 200,
					Stream.of(ownerIds).map(String::valueOf).toList());
		}

		String foreignDescription() {
			return this.ownerIds.isEmpty() ? String.valueOf(this.foreignStatus) : "200 without the owner's records";
		}

	}

}
