package dev.subscriptions.localstack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import dev.subscriptions.infrastructure.Prometheus;
import dev.subscriptions.localstack.MetricsTarget;

/**
 * The dashboard page's server: the page and uPlot from the class path, the dashboard JSON
 * from disk, and Prometheus' HTTP API passed through from a real Prometheus.
 */
class DashboardServerIntegrationTests {

	@TempDir
	static Path directory;

	private static MetricsTarget target;

	private static Prometheus prometheus;

	private static DashboardServer server;

	private static Path dashboard;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void startPrometheusAndTheServer() throws Exception {
		target = MetricsTarget.serving("dashboard_test_value", 42);
		Path configuration = Files.writeString(directory.resolve("prometheus.yml"), """
				scrape_configs:
				  - job_name: customer-service
				    metrics_path: /actuator/prometheus
				    dns_sd_configs: [{names: [customer-service], type: A, port: 8081}]
				""");
		prometheus = Prometheus.configuredBy(configuration)
			.scraping("customer-service", target.port())
			.scrapingEvery(Duration.ofSeconds(1))
			.start(0, directory.resolve("prometheus"), directory.resolve("prometheus.log"));
		dashboard = Files.writeString(directory.resolve("dashboard.json"), "{\"panels\": []}");
		server = DashboardServer.start(0, URI.create(prometheus.url()), dashboard);
	}

	@AfterAll
	static void stop() {
		server.close();
		prometheus.close();
		target.close();
	}

	@Test
	void servesThePageWithItsScriptAndUplotFromTheClassPath() throws Exception {
		assertThat(get("/")).satisfies(page -> {
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
			assertThat(page.body()).contains("<script src=\"uPlot.iife.min.js\">", "<script src=\"dashboard.js\">",
					"<main id=\"panels\">");
		});
		assertThat(get("/dashboard.js").body()).contains("api/v1/query_range", "data-title");
		assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
		assertThat(get("/uPlot.iife.min.js").body()).contains("uPlot");
		assertThat(get("/uPlot.min.css").body()).contains(".uplot");
	}

	@Test
	void servesTheDashboardAsItIsOnDiskNow() throws Exception {
		assertThat(get("/dashboard.json").body()).isEqualTo("{\"panels\": []}");

		Files.writeString(dashboard, "{\"panels\": [{\"title\": \"Outbox backlog\"}]}");
		try {
			assertThat(get("/dashboard.json").body()).contains("Outbox backlog");
		}
		finally {
			Files.writeString(dashboard, "{\"panels\": []}");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void passesInstantAndRangeQueriesThroughToPrometheus() throws Exception {
		String query = URLEncoder.encode("dashboard_test_value{job=\"customer-service\"}", StandardCharsets.UTF_8);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Object> answer = json(get("/api/v1/query?query=" + query));
			List<Map<String, Object>> result = (List<Map<String, Object>>) ((Map<String, Object>) answer.get("data"))
				.get("result");
			assertThat(result).singleElement()
				.satisfies(series -> assertThat((List<Object>) series.get("value")).last().isEqualTo("42"));
		});

		long now = Instant.now().getEpochSecond();
		Map<String, Object> range = json(
				get("/api/v1/query_range?query=" + query + "&start=" + (now - 60) + "&end=" + now + "&step=1"));
		assertThat(range).containsEntry("status", "success");
		assertThat((Map<String, Object>) range.get("data")).containsEntry("resultType", "matrix");
	}

	@Test
	void passesPrometheusOwnErrorsThrough() throws Exception {
		HttpResponse<String> answer = get("/api/v1/query?query=" + URLEncoder.encode("sum(", StandardCharsets.UTF_8));

		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(json(answer)).containsEntry("status", "error").containsEntry("errorType", "bad_data");
	}

	@Test
	void answersInPrometheusErrorShapeWhenPrometheusIsUnreachable() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		try (DashboardServer unreachable = DashboardServer.start(0, URI.create("http://localhost:" + closed),
				dashboard)) {
			HttpResponse<String> answer = this.client.send(
					HttpRequest.newBuilder(URI.create(unreachable.url() + "api/v1/query?query=up")).build(),
					HttpResponse.BodyHandlers.ofString());

			assertThat(answer.statusCode()).isEqualTo(502);
			assertThat(json(answer)).containsEntry("status", "error")
				.containsEntry("errorType", "unreachable")
				.hasEntrySatisfying("error", message -> assertThat(message.toString())
					.contains("Prometheus at http://localhost:" + closed + " is unreachable"));
		}
	}

	@Test
	void answersNotFoundForAnythingElse() throws Exception {
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** Prometheus' JSON, read as YAML (of which JSON is a subset). */
	private static Map<String, Object> json(HttpResponse<String> response) {
		return new Yaml().load(response.body());
	}

}
