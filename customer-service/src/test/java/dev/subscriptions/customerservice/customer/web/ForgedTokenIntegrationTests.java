package dev.subscriptions.customerservice.customer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.customerservice.CustomerRequests;
import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.web.test.ForgedTokens;
import dev.subscriptions.web.test.ForgedTokens.ForgedToken;
import dev.subscriptions.web.test.TestTokens;

/**
 * Only a token the identity provider signed, still valid, for this issuer and naming an
 * organization, reads a customer: each forgery of {@link ForgedTokens}, made for the
 * customer's own organization with the scope the read needs, is answered 401.
 */
@CustomerServiceIntegrationTest
class ForgedTokenIntegrationTests {

	private static final UUID OWNER = UUID.randomUUID();

	@Autowired
	RestTestClient client;

	private final String email = "forged-" + UUID.randomUUID() + "@example.com";

	private String customer;

	@BeforeEach
	void createCustomer() {
		this.customer = CustomerRequests.createdId(this.client, OWNER, this.email, "Forged");
	}

	static List<ForgedToken> forgedTokens() {
		return ForgedTokens.all(OWNER, "customers:read");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forgedTokens")
	void refusesAForgedToken(ForgedToken forged) {
		EntityExchangeResult<Map<String, Object>> answer = read("Bearer " + forged.token());

		assertThat(answer.getStatus().value()).isEqualTo(401);
		assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getResponseBody()).containsEntry("status", 401).doesNotContainValue(this.email);
	}

	/**
	 * The good token the forgeries start from reads the customer: they fail on what is
	 * forged.
	 */
	@Test
	void readsTheCustomerWithTheTokenTheForgeriesStartFrom() {
		EntityExchangeResult<Map<String, Object>> answer = read(TestTokens.bearer(OWNER, "customers:read"));

		assertThat(answer.getStatus().value()).isEqualTo(200);
		assertThat(answer.getResponseBody()).containsEntry("email", this.email);
	}

	@Test
	void refusesARequestWithoutATokenWithABearerChallenge() {
		EntityExchangeResult<Map<String, Object>> answer = ApiResponses
			.call(this.client.get().uri("/customers/{id}", this.customer));

		assertThat(answer.getStatus().value()).isEqualTo(401);
		assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private EntityExchangeResult<Map<String, Object>> read(String authorization) {
		return ApiResponses.call(this.client.get()
			.uri("/customers/{id}", this.customer)
			.header(HttpHeaders.AUTHORIZATION, authorization));
	}

}
