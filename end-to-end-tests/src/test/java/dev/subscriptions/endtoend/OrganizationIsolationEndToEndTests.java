package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.subscriptions.infrastructure.ServiceProcess;

/**
 * The services trust the local stack's authorization server as a deployment trusts its
 * identity provider, by its issuer alone (discovery, then its keys): a token it minted
 * for one organization reaches that organization's records on every service and nothing
 * of another organization's, which are not found (404) and absent from lists, whatever
 * the scopes. The API asks for a bearer token; the actuator is served on the management
 * port only, without one.
 */
class OrganizationIsolationEndToEndTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final Api owner = new Api(UUID.randomUUID());

	private final Api stranger = new Api(UUID.randomUUID());

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@Test
	void anotherOrganizationsTokenFindsNoneOfTheRecordsOnAnyService() {
		UUID product = UUID.randomUUID();
		String benefit = this.owner.createBenefit("isolated-" + UUID.randomUUID());
		this.owner.mapProduct(product, List.of(benefit));
		String customer = this.owner.createCustomer("isolated-" + UUID.randomUUID() + "@example.com");
		String subscription = this.owner.subscribe(customer, product);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.owner.entitlementKeys(customer).size() == 1);

		assertThat(this.owner.getFromCustomers("/customers/" + customer).getStatus().value()).isEqualTo(200);
		assertThat(this.owner.getFromSubscriptions("/subscriptions/" + subscription).getStatus().value())
			.isEqualTo(200);
		assertThat(this.owner.getFromBenefits("/benefits/" + benefit).getStatus().value()).isEqualTo(200);

		assertThat(this.stranger.getFromCustomers("/customers/" + customer).getStatus().value()).isEqualTo(404);
		assertThat(
				this.stranger.getFromCustomers("/customers/" + customer + "?includeDeleted=true").getStatus().value())
			.isEqualTo(404);
		assertThat(this.stranger.getFromSubscriptions("/subscriptions/" + subscription).getStatus().value())
			.isEqualTo(404);
		assertThat(this.stranger.getFromBenefits("/benefits/" + benefit).getStatus().value()).isEqualTo(404);
		assertThat(this.stranger.subscriptionsOf(customer)).isEmpty();
		assertThat(this.stranger.grantsOf(customer)).isEmpty();
		assertThat(this.stranger.entitlementKeys(customer)).isEmpty();
	}

	@Test
	void theApiAsksForABearerTokenAndTheActuatorAnswersOnlyOnTheManagementPort() throws Exception {
		for (ServiceProcess service : List.of(Platform.customers, Platform.subscriptions, Platform.benefits)) {
			HttpResponse<String> api = get(service.baseUrl() + "/actuator/prometheus");
			assertThat(api.statusCode()).as(service.name()).isEqualTo(401);
			assertThat(api.headers().firstValue("WWW-Authenticate")).as(service.name())
				.hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
			assertThat(api.headers().firstValue("Content-Type")).as(service.name())
				.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

			HttpResponse<String> metrics = get(service.managementUrl() + "/actuator/prometheus");
			assertThat(metrics.statusCode()).as(service.name()).isEqualTo(200);
			assertThat(metrics.body()).as(service.name()).contains("jvm_threads_live_threads");
		}
	}

	private static HttpResponse<String> get(String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
