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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import dev.subscriptions.endtoend.Api;
import dev.subscriptions.endtoend.Platform;
import dev.subscriptions.infrastructure.ServiceProcess;

/**
 * Every metric the Grafana dashboard and the alert rules use is one the running services
 * export on {@code /actuator/prometheus}, with the labels they group by, match on and
 * show, so that renaming a meter or a tag fails here instead of leaving a panel empty or
 * an alert silent.
 */
class MonitoringContractEndToEndTests {

	/** Made by Prometheus for each target, not by a service. */
	private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

	/** Prometheus' target labels, which it adds to every sample it scrapes. */
	private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final ObjectMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void subscribeACustomerAndDeleteHer() {
		Platform.start();
		Api api = new Api(UUID.randomUUID());
		UUID product = UUID.randomUUID();
		String benefit = api.createBenefit("monitored-" + UUID.randomUUID());
		api.mapProduct(product, List.of(benefit));
		String customer = api.createCustomer("monitored-" + UUID.randomUUID() + "@example.com");
		api.subscribe(customer, product);
		await().atMost(Duration.ofSeconds(30)).until(() -> api.entitlementKeys(customer).size() == 1);

		api.deleteCustomer(customer);

		await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(api.receipt(customer).get("complete")));
	}

	@Test
	void everyMetricTheDashboardAndTheAlertRulesUseIsExportedByARunningService() {
		Map<String, Set<String>> used = new TreeMap<>();
		for (MonitoringFiles.Query query : MonitoringFiles.queries()) {
			PromQl.metricNames(query.expression())
				.forEach(metric -> used.computeIfAbsent(metric, where -> new TreeSet<>()).add(query.where()));
		}

		assertThat(used).containsKeys("kafka_consumergroup_lag", "kafka_consumergroup_lag_seconds", "outbox_pending",
				"customer_deletion_completion_seconds_bucket", "http_server_requests_seconds_count");
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Map<String, Set<String>> missing = new TreeMap<>(used);
			missing.keySet().removeAll(exported().keySet());
			missing.keySet().removeAll(MADE_BY_PROMETHEUS);
			assertThat(missing)
				.withFailMessage("Metrics that deploy/ uses but no service exports (name=[where it is used]):%n%s",
						lines(missing))
				.isEmpty();
		});
	}

	@Test
	void everyLabelTheDashboardAndTheAlertRulesGroupByMatchOrShowIsOneOfTheMetricTheyRead() {
		Map<String, Set<String>> used = new TreeMap<>();
		for (MonitoringFiles.Query query : MonitoringFiles.queries()) {
			Set<String> labels = new TreeSet<>(PromQl.labelNames(query.expression()));
			labels.addAll(query.shownLabels());
			labels.removeAll(TARGET_LABELS);
			for (String metric : PromQl.metricNames(query.expression())) {
				labels.forEach(label -> used.computeIfAbsent(metric + "{" + label + "}", where -> new TreeSet<>())
					.add(query.where()));
			}
		}

		assertThat(used).containsKeys("kafka_consumergroup_lag{partition}", "subscriptions_ended_total{reason}",
				"http_server_requests_seconds_count{status}");
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Map<String, Set<String>> exported = exported();
			Map<String, Set<String>> missing = new TreeMap<>(used);
			missing.keySet().removeIf(label -> {
				String metric = label.substring(0, label.indexOf('{'));
				return MADE_BY_PROMETHEUS.contains(metric) || exported.getOrDefault(metric, Set.of())
					.contains(label.substring(metric.length() + 1, label.length() - 1));
			});
			assertThat(missing)
				.withFailMessage(
						"Labels that deploy/ uses but no service exports (metric{label}=[where it is used]):%n%s",
						lines(missing))
				.isEmpty();
		});
	}

	@Test
	void everyServiceServesTheLagOfItsConsumerGroupsAsJsonWithoutPrometheus() {
		Map<ServiceProcess, String> groups = Map.of(Platform.customers, "customer-service", Platform.subscriptions,
				"subscription-service", Platform.benefits, "benefit-service");

		groups.forEach((service, group) -> await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> {
				HttpResponse<String> lag = http
					.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/actuator/kafkalag"))
						.timeout(Duration.ofSeconds(30))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(lag.statusCode()).as(service.name()).isEqualTo(200);
				JsonNode partitions = json.readTree(lag.body()).path("groups").path(group);
				assertThat(partitions.isObject()).as("%s's groups in %s", service.name(), lag.body()).isTrue();
				assertThat(partitions.properties()).as(service.name()).isNotEmpty();
				partitions.properties()
					.forEach(topic -> topic.getValue()
						.properties()
						.forEach(partition -> assertThat(partition.getValue().path("lag").asLong(-1))
							.as("%s %s/%s", group, topic.getKey(), partition.getKey())
							.isNotNegative()));
			}));
	}

	/**
	 * The names of the samples the three services export (a histogram's {@code _bucket},
	 * {@code _count} and {@code _sum} each) and of their families, each with the names of
	 * its labels.
	 */
	private static Map<String, Set<String>> exported() throws IOException, InterruptedException {
		Map<String, Set<String>> metrics = new TreeMap<>();
		for (ServiceProcess service : List.of(Platform.customers, Platform.subscriptions, Platform.benefits)) {
			HttpResponse<String> scrape = http
				.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(scrape.statusCode()).as(service.name()).isEqualTo(200);
			Exposition.metrics(scrape.body())
				.forEach((metric, labels) -> metrics.computeIfAbsent(metric, name -> new TreeSet<>()).addAll(labels));
		}
		return metrics;
	}

	private static String lines(Map<String, Set<String>> missing) {
		return missing.toString().replace("], ", "],\n");
	}

}
