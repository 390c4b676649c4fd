package dev.subscriptions.web.security;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.WebTestDatabase;
import dev.subscriptions.web.test.OpenApiSecurityContract;
import dev.subscriptions.web.test.OpenApiSecurityContract.Fixture;
import dev.subscriptions.web.test.WithTestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The generated security contract over the test service's own OpenAPI document: its open
 * endpoints and its secured ones (which do not keep organizations apart, so another
 * organization is answered as the owner is).
 */
@WithTestIdentityProvider
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenApiSecurityContractTests {

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

	@TestFactory
	Stream<DynamicNode> guardsEveryOperationOfTheDocument() {
		UUID id = UUID.randomUUID();
		OpenApiSecurityContract contract = OpenApiSecurityContract.of(this.client)
			.fixture("GET /secured/notes/{id}", Fixture.of(Map.of("id", id)).foreignAnswers(200))
			.fixture("POST /secured/notes", Fixture.none().body(Map.of("text", "hello")).foreignAnswers(200))
			.fixture("POST /secured/revocations", Fixture.none().foreignAnswers(200))
			.fixture("POST /orders", Fixture.none().body(Map.of("name", "n", "mode", "FAST")))
			.fixture("GET /orders", Fixture.none().query("mode", "FAST").query("size", 1))
			.fixture("GET /orders/{id}", Fixture.of(Map.of("id", id)))
			.fixture("POST /notes", Fixture.none().body(Map.of("key", "k" + id, "slug", "s" + id, "text", "t")))
			.fixture("PUT /notes/{key}", Fixture.of(Map.of("key", "k" + id)).query("version", 0).body("text"))
			.fixture("GET /tenant", Fixture.none())
			.fixture("GET /slow", Fixture.none())
			.fixture("GET /broken", Fixture.none())
			.fixture("GET /unreachable", Fixture.none())
			.fixture("GET /unreachable-transaction", Fixture.none());
		Stream
			.of("POST /orders", "GET /orders", "GET /orders/{id}", "POST /notes", "PUT /notes/{key}", "GET /tenant",
					"GET /slow", "GET /broken", "GET /unreachable", "GET /unreachable-transaction")
			.forEach(contract::open);
		return contract.tests(UUID.randomUUID(), UUID.randomUUID());
	}

	@Test
	void failsForAnOperationWithoutAFixture() {
		OpenApiSecurityContract contract = OpenApiSecurityContract.of(this.client)
			.fixture("GET /secured/notes/{id}", Fixture.of(Map.of("id", UUID.randomUUID())));

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> contract.tests(UUID.randomUUID(), UUID.randomUUID()))
			.withMessageContaining("POST /secured/notes");
	}

	@Test
	void failsWhenTheOpenOperationsAreNotTheOnesNamed() {
		OpenApiSecurityContract contract = OpenApiSecurityContract.of(this.client);
		contract.operations().forEach((operation) -> contract.fixture(operation, Fixture.none()));
		contract.open("GET /orders");

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> contract.tests(UUID.randomUUID(), UUID.randomUUID()))
			.withMessageContaining("operations open without a token");
	}

}
