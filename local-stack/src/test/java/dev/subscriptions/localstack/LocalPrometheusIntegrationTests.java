package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import dev.subscriptions.infrastructure.Prometheus;

/**
 * A deployment's Prometheus configuration made local, as {@code ./run-local} and the
 * browser test run it: each job discovered by DNS scrapes one port on this machine,
 * everything else stays, and a real Prometheus runs with it and its rule files.
 */
class LocalPrometheusIntegrationTests {

	private static final String DEPLOYMENT = """
			global:
			  scrape_interval: 5s
			  evaluation_interval: 5s
			rule_files:
			  - alerts.yml
			scrape_configs:
			  - job_name: customer-service
			    metrics_path: /actuator/prometheus
			    scrape_interval: 10s
			    dns_sd_configs:
			      - names: [customer-service]
			        type: A
			        port: 8081
			  - job_name: pushgateway
			    static_configs:
			      - targets: [pushgateway:9091]
			""";

	private static final String ALERTS = """
			groups:
			  - name: local
			    rules:
			      - alert: ValueAboveForty
			        expr: local_test_value > 40
			""";

	@TempDir
	Path directory;

	private Path configuration;

	@BeforeEach
	void writeDeployment() throws Exception {
		this.configuration = Files.createDirectories(this.directory.resolve("deploy")).resolve("prometheus.yml");
		Files.writeString(this.configuration, DEPLOYMENT);
		Files.writeString(this.configuration.resolveSibling("alerts.yml"), ALERTS);
	}

	@Test
	@SuppressWarnings("unchecked")
	void scrapesAJobDiscoveredByDnsAtItsLocalPortAndKeepsTheRest() {
		Map<String, Object> local = new Yaml()
			.load(Prometheus.configuredBy(this.configuration).scraping("customer-service", 18081).text());

		List<Map<String, Object>> jobs = (List<Map<String, Object>>) local.get("scrape_configs");
		assertThat(jobs.get(0)).doesNotContainKey("dns_sd_configs")
			.containsEntry("static_configs", List.of(Map.of("targets", List.of("localhost:18081"))))
			.containsEntry("metrics_path", "/actuator/prometheus")
			.containsEntry("scrape_interval", "10s");
		assertThat(jobs.get(1)).containsEntry("static_configs",
				List.of(Map.of("targets", List.of("pushgateway:9091"))));
		assertThat(local).containsEntry("rule_files", List.of("alerts.yml"))
			.containsEntry("global", Map.of("scrape_interval", "5s", "evaluation_interval", "5s"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void scrapesEveryJobAtTheIntervalATestAsksFor() {
		Map<String, Object> local = new Yaml().load(Prometheus.configuredBy(this.configuration)
			.scraping("customer-service", 18081)
			.scrapingEvery(Duration.ofSeconds(1))
			.text());

		assertThat((Map<String, Object>) local.get("global")).containsEntry("scrape_interval", "1s")
			.containsEntry("scrape_timeout", "1s");
		assertThat(((List<Map<String, Object>>) local.get("scrape_configs")).get(0))
			.doesNotContainKeys("scrape_interval", "scrape_timeout");
	}

	@Test
	void refusesAJobDiscoveredByDnsWithoutALocalPort() {
		assertThatIllegalArgumentException().isThrownBy(() -> Prometheus.configuredBy(this.configuration).text())
			.withMessageContaining("customer-service");
	}

	@Test
	void refusesALocalPortForAJobTheConfigurationDoesNotHave() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Prometheus.configuredBy(this.configuration)
				.scraping("customer-service", 18081)
				.scraping("billing-service", 18084)
				.text())
			.withMessageContaining("billing-service");
	}

	@Test
	@SuppressWarnings("unchecked")
	void scrapesEachJobOfTheDeploymentsConfigurationAtItsLocalStackManagementPort() {
		Map<String, Object> local = new Yaml()
			.load(LocalStack.prometheus(Path.of("..").resolve(LocalStack.PROMETHEUS_CONFIGURATION)).text());

		assertThat((List<Map<String, Object>>) local.get("scrape_configs"))
			.extracting(job -> job.get("job_name"), job -> job.get("static_configs"))
			.containsExactlyInAnyOrder(tuple("customer-service", List.of(Map.of("targets", List.of("localhost:9181")))),
					tuple("subscription-service", List.of(Map.of("targets", List.of("localhost:9182")))),
					tuple("benefit-service", List.of(Map.of("targets", List.of("localhost:9183")))));
	}

	@Test
	void runsPrometheusWithTheRuleFilesBesideTheConfigurationScrapingTheLocalTarget() throws Exception {
		try (MetricsTarget target = MetricsTarget.serving("local_test_value", 42);
				Prometheus prometheus = Prometheus.configuredBy(this.configuration)
					.scraping("customer-service", target.port())
					.scrapingEvery(Duration.ofSeconds(1))
					.start(0, this.directory.resolve("prometheus"), this.directory.resolve("prometheus.log"))) {

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(
								get(prometheus,
										"/api/v1/query?query=" + URLEncoder.encode(
												"local_test_value{job=\"customer-service\"}", StandardCharsets.UTF_8)))
							.contains("\"42\""));
			assertThat(get(prometheus, "/api/v1/rules")).contains("\"ValueAboveForty\"");
			assertThat(this.directory.resolve("prometheus/alerts.yml")).hasContent(ALERTS);
		}
	}

	private static String get(Prometheus prometheus, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(prometheus.url() + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
