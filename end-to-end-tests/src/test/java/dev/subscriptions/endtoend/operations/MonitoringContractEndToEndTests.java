package dev.subscriptions.endtoend.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.subscriptions.endtoend.Api;
import dev.subscriptions.endtoend.Platform;
import dev.subscriptions.infrastructure.ServiceProcess;

/**
 * Every metric the Grafana dashboard and the alert rules use is one a running service
 * exports on {@code /actuator/prometheus}, so that renaming a meter fails here instead of
 * leaving a panel empty or an alert silent.
 */
class MonitoringContractEndToEndTests {

	/** Made by Prometheus for each target, not by a service. */
	private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

	private final Api api = new Api();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@Test
	void everyMetricTheDashboardAndTheAlertRulesUseIsExportedByARunningService() {
		subscribeACustomerAndDeleteHer();
		Map<String, Set<String>> used = usedMetrics();

		assertThat(used).containsKeys("kafka_consumergroup_lag", "kafka_consumergroup_lag_seconds", "outbox_pending",
				"customer_deletion_completion_seconds_bucket", "http_server_requests_seconds_count");
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Set<String> exported = exportedMetrics();
			Map<String, Set<String>> missing = new TreeMap<>(used);
			missing.keySet().removeAll(exported);
			missing.keySet().removeAll(MADE_BY_PROMETHEUS);
			assertThat(missing)
				.withFailMessage("Metrics that deploy/ uses but no service exports (name=[where it is used]):%n%s",
						missing.toString().replace("], ", "],\n"))
				.isEmpty();
		});
	}

	/**
	 * A customer with a benefit through a subscription, deleted, her receipt complete.
	 */
	private void subscribeACustomerAndDeleteHer() {
		UUID organization = UUID.randomUUID();
		UUID product = UUID.randomUUID();
		String benefit = this.api.createBenefit(organization, "monitored-" + UUID.randomUUID());
		this.api.mapProduct(product, List.of(benefit));
		String customer = this.api.createCustomer(organization, "monitored-" + UUID.randomUUID() + "@example.com");
		this.api.subscribe(customer, product);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.api.entitlementKeys(customer).size() == 1);

		this.api.deleteCustomer(customer);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> Boolean.TRUE.equals(this.api.receipt(customer).get("complete")));
	}

	/** Each metric name of the dashboard's and the rules' expressions, with where. */
	private static Map<String, Set<String>> usedMetrics() {
		Map<String, Set<String>> used = new TreeMap<>();
		MonitoringFiles.dashboardExpressions()
			.forEach((panel, expression) -> PromQl.metricNames(expression)
				.forEach(name -> used.computeIfAbsent(name, where -> new TreeSet<>()).add("panel " + panel)));
		MonitoringFiles.ruleExpressions()
			.forEach((alert, expression) -> PromQl.metricNames(expression)
				.forEach(name -> used.computeIfAbsent(name, where -> new TreeSet<>()).add("alert " + alert)));
		return used;
	}

	/**
	 * The names of the samples the three services export (a histogram's {@code _bucket},
	 * {@code _count} and {@code _sum} each) and of their families.
	 */
	private Set<String> exportedMetrics() throws IOException, InterruptedException {
		Set<String> names = new TreeSet<>();
		for (ServiceProcess service : List.of(Platform.customers, Platform.subscriptions, Platform.benefits)) {
			HttpResponse<String> scrape = this.http
				.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(scrape.statusCode()).as(service.name()).isEqualTo(200);
			names.addAll(Exposition.metricNames(scrape.body()));
		}
		return names;
	}

}
