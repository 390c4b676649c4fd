package dev.subscriptions.benefitservice;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.ManagementClient;
import dev.subscriptions.web.test.TestTokens;

/**
 * The actuator answers on the management port, without a token; the public port answers
 * only its probes ({@code /livez}, {@code /readyz}) and the OpenAPI document without one,
 * and none of the actuator's other endpoints, whatever the token.
 */
@BenefitServiceIntegrationTest
class ManagementPortIntegrationTests {

	@Autowired
	RestTestClient client;

	@LocalManagementPort
	int managementPort;

	@Test
	void answersTheActuatorOnTheManagementPortWithoutAToken() {
		RestTestClient management = ManagementClient.of(this.managementPort);

		management.get().uri("/actuator/health").exchange().expectStatus().isOk();
		management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		management.get().uri("/actuator/kafkalag").exchange().expectStatus().isOk();
	}

	@Test
	void answersOnlyTheProbesAndTheOpenApiDocumentOnThePublicPortWithoutAToken() {
		this.client.get().uri("/livez").exchange().expectStatus().isOk();
		this.client.get().uri("/readyz").exchange().expectStatus().isOk();
		this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk();

		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		TestTokens.authorized(this.client, UUID.randomUUID(), ApiScopes.ALL_SCOPES.toArray(String[]::new))
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isForbidden();
	}

}
