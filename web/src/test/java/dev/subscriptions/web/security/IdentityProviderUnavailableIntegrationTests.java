package dev.subscriptions.web.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.WebTestDatabase;
import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.TestIdentityProvider;
import dev.subscriptions.web.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service whose identity provider is down: it starts, answers tokens with 503 (not 401,
 * the token may be fine), and checks them once the identity provider is up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class IdentityProviderUnavailableIntegrationTests {

	static final int IDENTITY_PROVIDER_PORT = freePort();

	static final String ISSUER = "http://localhost:" + IDENTITY_PROVIDER_PORT;

	@LocalServerPort
	int port;

	private RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry properties) {
		WebTestDatabase.register(properties);
		properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
	}

	@BeforeEach
	void connect() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void answersServiceUnavailableUntilTheIdentityProviderIsUpThenChecksTokens() throws Exception {
		String bearer = "Bearer " + TestTokens.issuedBy(ISSUER, UUID.randomUUID(), ApiScopes.CUSTOMERS_READ);

		EntityExchangeResult<Map<String, Object>> unavailable = read(bearer);

		assertThat(unavailable.getStatus().value()).isEqualTo(503);
		assertThat(unavailable.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(unavailable.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(unavailable.getResponseBody()).containsEntry("title", "Identity provider unavailable");
		try (AutoCloseable identityProvider = TestIdentityProvider.startOn(IDENTITY_PROVIDER_PORT)) {
			assertThat(read(bearer).getStatus().value()).isEqualTo(200);
			assertThat(
					read("Bearer " + TestTokens.token(UUID.randomUUID(), ApiScopes.CUSTOMERS_READ)).getStatus().value())
				.as("a token of another issuer")
				.isEqualTo(401);
		}
	}

	private EntityExchangeResult<Map<String, Object>> read(String bearer) {
		return ApiResponses.call(
				this.client.get().uri("/secured/notes/" + UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION, bearer));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
