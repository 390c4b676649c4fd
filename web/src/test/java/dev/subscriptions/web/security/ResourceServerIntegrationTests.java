package dev.subscriptions.web.security;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.WebTestDatabase;
import dev.subscriptions.web.test.WithTestIdentityProvider;
import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.ForgedTokens;
import dev.subscriptions.web.test.ForgedTokens.ForgedToken;
import dev.subscriptions.web.test.ManagementClient;
import dev.subscriptions.web.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service as a resource server, over HTTP, with tokens of a real (test) identity
 * provider found through its discovery document.
 */
@WithTestIdentityProvider
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"management.endpoints.web.exposure.include=health,info", "management.endpoint.health.probes.enabled=true" })
class ResourceServerIntegrationTests {

	static final UUID ORGANIZATION = UUID.randomUUID();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

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
	void refusesARequestWithoutATokenWithABearerChallengeAndAProblem() {
		EntityExchangeResult<Map<String, Object>> refused = get("/secured/notes/" + UUID.randomUUID(), null);

		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody()).containsEntry("status", 401)
			.containsEntry("detail", "A valid bearer token is required");
		assertThat(refused.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
	}

	@Test
	void rejectsAHeaderValueWithAControlCharacterBeforeReadingTheToken() throws Exception {
		// sent as raw bytes: 0x85 is NEL, a C1 control, which HTTP clients refuse to send
		// and Tomcat hands on as obs-text; the firewall refuses it once a filter reads
		// the
		// header, before the token is decoded (401)
		try (Socket socket = new Socket("localhost", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /secured/notes/" + UUID.randomUUID() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: ")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_READ).getBytes(StandardCharsets.ISO_8859_1));
			out.write(new byte[] { (byte) 0x85 });
			out.write("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			String statusLine = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
				.readLine();
			assertThat(statusLine).startsWith("HTTP/1.1 400");
		}
		assertThat(get("/secured/notes/" + UUID.randomUUID(), TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_READ))
			.getStatus()
			.value()).isEqualTo(200);
	}

	@Test
	void answersARequestWithTheScopeForTheTokensOrganization() {
		EntityExchangeResult<Map<String, Object>> read = get("/secured/notes/" + UUID.randomUUID(),
				TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_READ));

		assertThat(read.getStatus().value()).isEqualTo(200);
		assertThat(read.getResponseBody()).containsEntry("organizationId", ORGANIZATION.toString());
	}

	@Test
	void letsAWriteScopeAlsoRead() {
		assertThat(
				get("/secured/notes/" + UUID.randomUUID(), TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_WRITE))
					.getStatus()
					.value())
			.isEqualTo(200);
	}

	@Test
	void refusesATokenWithoutTheScopeNamingTheScopeItNeeds() {
		EntityExchangeResult<Map<String, Object>> refused = get("/secured/notes/" + UUID.randomUUID(),
				TestTokens.bearer(ORGANIZATION, ApiScopes.BENEFITS_WRITE, ApiScopes.CUSTOMERS_READ_DELETED));

		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("error=\"insufficient_scope\"")
			.contains("scope=\"customers:read\"");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody()).containsEntry("status", 403).containsEntry("scope", "customers:read");
	}

	@Test
	void needsItsOwnScopeForAnAdministrativeActionWhichWriteDoesNotGive() {
		EntityExchangeResult<Map<String, Object>> refused = ApiResponses.call(this.client.post()
			.uri("/secured/revocations")
			.header(HttpHeaders.AUTHORIZATION,
					TestTokens.bearer(ORGANIZATION, ApiScopes.SUBSCRIPTIONS_WRITE, ApiScopes.SUBSCRIPTIONS_READ)));

		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseBody()).containsEntry("scope", "subscriptions:admin");
	}

	@Test
	void needsAnotherScopeWhenAQueryParameterAsksForMore() {
		String path = "/secured/notes/" + UUID.randomUUID() + "?includeDeleted=true";

		EntityExchangeResult<Map<String, Object>> refused = get(path,
				TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_WRITE));
		EntityExchangeResult<Map<String, Object>> allowed = get(path,
				TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_READ, ApiScopes.CUSTOMERS_READ_DELETED));

		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseBody()).containsEntry("scope", "customers:read_deleted");
		assertThat(allowed.getStatus().value()).isEqualTo(200);
		assertThat(allowed.getResponseBody()).containsEntry("includeDeleted", true);
	}

	@ParameterizedTest
	@ValueSource(strings = { "TRUE", "1", "yes", "on", " true", "false&includeDeleted=true" })
	void needsTheOtherScopeForEverySpellingTheControllerReadsAsTrue(String value) {
		EntityExchangeResult<Map<String, Object>> refused = get(
				"/secured/notes/" + UUID.randomUUID() + "?includeDeleted=" + value,
				TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_READ));

		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseBody()).containsEntry("scope", "customers:read_deleted");
	}

	@Test
	void refusesABodyNamingAnotherOrganization() {
		UUID other = UUID.randomUUID();

		EntityExchangeResult<Map<String, Object>> refused = post("/secured/notes",
				Map.of("organizationId", other.toString(), "text", "hello"));
		EntityExchangeResult<Map<String, Object>> same = post("/secured/notes",
				Map.of("organizationId", ORGANIZATION.toString(), "text", "hello"));
		EntityExchangeResult<Map<String, Object>> none = post("/secured/notes", Map.of("text", "hello"));

		assertThat(refused.getStatus().value()).isEqualTo(403);
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody()).containsEntry("title", "Organization mismatch");
		assertThat(same.getStatus().value()).isEqualTo(200);
		assertThat(none.getStatus().value()).isEqualTo(200);
		assertThat(none.getResponseBody()).containsEntry("organizationId", ORGANIZATION.toString());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forgedTokens")
	void refusesAForgedToken(ForgedToken forged) {
		EntityExchangeResult<Map<String, Object>> refused = get("/secured/notes/" + UUID.randomUUID(),
				"Bearer " + forged.token());

		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("error=\"invalid_token\"");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	static List<ForgedToken> forgedTokens() {
		return ForgedTokens.all(ORGANIZATION, ApiScopes.CUSTOMERS_READ);
	}

	@Test
	void refusesAnEndpointNoRowOfTheTableNames() {
		assertThat(get("/secured/unlisted", null).getStatus().value()).isEqualTo(401);
		assertThat(
				get("/secured/unlisted", TestTokens.bearer(ORGANIZATION, ApiScopes.ALL_SCOPES.toArray(String[]::new)))
					.getStatus()
					.value())
			.isEqualTo(403);
	}

	@Test
	void servesTheActuatorOnlyOnTheManagementPortWithoutAToken() {
		RestTestClient management = ManagementClient.of(this.managementPort);

		assertThat(get("/actuator/info", null).getStatus().value()).isEqualTo(401);
		assertThat(
				get("/actuator/health", TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_READ)).getStatus().value())
			.isEqualTo(403);
		assertThat(ApiResponses.call(management.get().uri("/actuator/info")).getStatus().value()).isEqualTo(200);
		assertThat(ApiResponses.call(management.get().uri("/actuator/health")).getStatus().value()).isEqualTo(200);
	}

	@Test
	void needsAManagementWriteTokenToChangeAnythingThroughTheActuator() {
		RestTestClient management = ManagementClient.of(this.managementPort);

		EntityExchangeResult<Map<String, Object>> anonymous = ApiResponses
			.call(management.post().uri("/actuator/info").contentType(MediaType.APPLICATION_JSON).body("{}"));
		EntityExchangeResult<Map<String, Object>> withoutScope = ApiResponses.call(management.post()
			.uri("/actuator/info")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_WRITE))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}"));
		int allowed = management.post()
			.uri("/actuator/info")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(ORGANIZATION, ApiScopes.MANAGEMENT_WRITE))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value();

		assertThat(anonymous.getStatus().value()).isEqualTo(401);
		assertThat(withoutScope.getStatus().value()).isEqualTo(403);
		assertThat(withoutScope.getResponseBody()).containsEntry("scope", "management:write");
		assertThat(allowed).as("status past security (info takes no POST)").isNotIn(401, 403);
	}

	@Test
	void answersTheProbesOnThePublicPortWithoutAToken() {
		assertThat(get("/livez", null).getStatus().value()).isEqualTo(200);
		assertThat(get("/readyz", null).getStatus().value()).isEqualTo(200);
	}

	@Test
	void leavesOpenEndpointsOpen() {
		this.client.get().uri("/orders/" + UUID.randomUUID()).exchange().expectStatus().isOk();
	}

	@Test
	void declaresTheBearerSchemeAndEachOperationsScopeInTheOpenApiDocument() {
		EntityExchangeResult<Map<String, Object>> document = get("/v3/api-docs", null);

		assertThat(document.getStatus().value()).isEqualTo(200);
		Map<String, Object> body = document.getResponseBody();
		assertThat(body).extractingByKey("components")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.extractingByKey("securitySchemes")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsKey("bearer");
		assertThat(operation(body, "/secured/notes/{id}", "get"))
			.containsEntry("security", List.of(Map.of("bearer", List.of("customers:read"))))
			.containsEntry("x-scope-when-includeDeleted-true", "customers:read_deleted");
		assertThat(operation(body, "/secured/notes", "post")).containsEntry("security",
				List.of(Map.of("bearer", List.of("customers:write"))));
		assertThat(operation(body, "/orders/{id}", "get")).containsEntry("security", List.of());
		assertThat(operation(body, "/secured/notes/{id}", "get").get("parameters").toString())
			.doesNotContain("organization");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> operation(Map<String, Object> document, String path, String method) {
		Map<String, Object> paths = (Map<String, Object>) document.get("paths");
		return (Map<String, Object>) ((Map<String, Object>) paths.get(path)).get(method);
	}

	private EntityExchangeResult<Map<String, Object>> get(String path, @Nullable String bearer) {
		RestTestClient.RequestHeadersSpec<?> request = this.client.get().uri(path);
		if (bearer != null) {
			request = request.header(HttpHeaders.AUTHORIZATION, bearer);
		}
		return ApiResponses.call(request);
	}

	private EntityExchangeResult<Map<String, Object>> post(String path, Map<String, Object> body) {
		return ApiResponses.call(this.client.method(HttpMethod.POST)
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(ORGANIZATION, ApiScopes.CUSTOMERS_WRITE))
			.contentType(MediaType.APPLICATION_JSON)
			.body(body));
	}

}
