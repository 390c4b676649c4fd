package dev.subscriptions.endtoend.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration, alert rules and Grafana dashboard under {@code deploy/}
 * are what Prometheus accepts ({@code promtool}), their alerts pass their unit tests, and
 * the dashboard keeps to the part of Grafana's schema the local dashboard page renders.
 * Needs no running service.
 */
class PrometheusConfigurationTests {

	private static final Pattern DEFAULT_MANAGEMENT_PORT = Pattern.compile("\\$\\{MANAGEMENT_PORT:(\\d+)}");

	private static final Pattern LEGEND_PLACEHOLDER = Pattern.compile("\\{\\{\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*}}");

	private static final List<String> PANEL_TITLES = List.of("Consumer lag (records)", "Consumer lag (seconds)",
			"Outbox backlog", "Outbox oldest age", "Outbox parked rows", "Dead letters", "Revocations per second",
			"Deletion completion p50/p99", "REST error rate");

	@Test
	void prometheusAcceptsTheConfigurationAndItsRuleFiles() {
		assertSucceeds(Promtool.run("check", "config", MonitoringFiles.PROMETHEUS_CONFIGURATION.toString()));
	}

	@Test
	void prometheusAcceptsTheAlertRules() {
		assertSucceeds(Promtool.run("check", "rules", MonitoringFiles.ALERT_RULES.toString()));
	}

	@Test
	void alertsFireAsTheirUnitTestsExpect() {
		assertSucceeds(Promtool.run("test", "rules", MonitoringFiles.ALERT_RULE_TESTS.toString()));
	}

	/** Each expression of the dashboard, checked by Prometheus as a recording rule. */
	@Test
	void prometheusAcceptsEveryDashboardExpression() throws IOException {
		StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
		int index = 0;
		for (String expression : MonitoringFiles.dashboardExpressions().values()) {
			rules.append("      - record: dashboard:expression_")
				.append(++index)
				.append("\n        expr: '")
				.append(expression.replace("'", "''"))
				.append("'\n");
		}
		Path file = Files.createDirectories(Path.of("target", "operations")).resolve("dashboard-rules.yml");
		Files.writeString(file, rules);

		Promtool.Result check = Promtool.run("check", "rules", Path.of("end-to-end-tests").resolve(file).toString());

		assertSucceeds(check);
		assertThat(check.output()).contains("SUCCESS: " + index + " rules found");
	}

	@Test
	void scrapesEveryServiceOnItsDefaultManagementPortAndEvaluatesTheAlertRules() {
		Map<String, Object> configuration = MonitoringFiles.yaml(MonitoringFiles.PROMETHEUS_CONFIGURATION);
		Map<String, Object> global = MonitoringFiles.map(configuration.get("global"));
		assertThat(global).containsEntry("scrape_interval", "5s");
		assertThat(configuration.get("rule_files")).isEqualTo(List.of("alerts.yml"));

		List<Map<String, Object>> jobs = MonitoringFiles.maps(configuration.get("scrape_configs"));
		assertThat(jobs).extracting(job -> job.get("job_name")).containsExactlyElementsOf(MonitoringFiles.SERVICES);
		for (Map<String, Object> job : jobs) {
			String service = (String) job.get("job_name");
			assertThat(job).containsEntry("metrics_path", "/actuator/prometheus");
			assertThat(MonitoringFiles.maps(job.get("dns_sd_configs"))).as(service)
				.singleElement()
				.isEqualTo(Map.of("names", List.of(service), "type", "A", "port", defaultManagementPort(service)));
		}
	}

	@Test
	void everyAlertSaysHowSevereItIsWhatHappenedAndWhereTheRunbookIs() {
		assertThat(MonitoringFiles.alertRules()).hasSizeGreaterThanOrEqualTo(7).allSatisfy(rule -> {
			assertThat(rule).as("%s", rule.get("alert")).containsKeys("expr", "for");
			assertThat(MonitoringFiles.map(rule.get("labels"))).as("%s", rule.get("alert"))
				.containsOnlyKeys("severity")
				.extractingByKey("severity")
				.isIn("warning", "critical");
			Map<String, Object> annotations = MonitoringFiles.map(rule.get("annotations"));
			assertThat(annotations).as("%s", rule.get("alert"))
				.containsOnlyKeys("summary", "description", "runbook")
				.extractingByKey("runbook", STRING)
				.startsWith("README.md#");
		});
	}

	@Test
	void dashboardHasTheNinePanelsTheLocalPageAndTheBrowserTestLookFor() {
		Map<String, Object> dashboard = MonitoringFiles.dashboard();

		assertThat(dashboard).containsEntry("uid", "subscription-platform")
			.containsEntry("title", "Subscription platform")
			.containsEntry("refresh", "5s")
			.containsEntry("time", Map.of("from", "now-15m", "to", "now"));
		assertThat(MonitoringFiles.panels()).extracting(panel -> panel.get("title"))
			.containsExactlyInAnyOrderElementsOf(PANEL_TITLES);
	}

	@Test
	void dashboardKeepsToThePartOfGrafanasSchemaTheLocalPageRenders() {
		List<Map<String, Object>> panels = MonitoringFiles.panels();

		assertThat(panels).extracting(panel -> panel.get("id")).doesNotHaveDuplicates();
		assertThat(panels).allSatisfy(panel -> {
			String title = (String) panel.get("title");
			assertThat(panel).as(title)
				.containsOnlyKeys("type", "title", "id", "gridPos", "datasource", "fieldConfig", "targets")
				.containsEntry("type", "timeseries")
				.containsEntry("datasource", Map.of("type", "prometheus", "uid", "prometheus"));
			assertThat(MonitoringFiles.map(panel.get("gridPos"))).as(title).containsOnlyKeys("h", "w", "x", "y");
			assertThat(MonitoringFiles.map(panel.get("fieldConfig"))).as(title).containsOnlyKeys("defaults");
			assertThat(MonitoringFiles.map(MonitoringFiles.map(panel.get("fieldConfig")).get("defaults"))).as(title)
				.containsOnlyKeys("unit")
				.extractingByKey("unit")
				.isIn("short", "s", "reqps", "percentunit");
			assertThat(MonitoringFiles.maps(panel.get("targets"))).as(title).isNotEmpty().allSatisfy(target -> {
				assertThat(target).containsOnlyKeys("refId", "expr", "legendFormat");
				assertThat((String) target.get("expr")).as("%s: Grafana variables", title).doesNotContain("$");
				assertThat(LEGEND_PLACEHOLDER.matcher((String) target.get("legendFormat")).replaceAll(""))
					.as("%s: legend without placeholders", title)
					.doesNotContain("{", "}", "$");
			});
		});
	}

	@Test
	void lagPanelsShowEachGroupAndPartitionOnceHoweverManyReplicasReportIt() {
		Set<String> lagPanels = Set.of("Consumer lag (records)", "Consumer lag (seconds)");

		assertThat(MonitoringFiles.panels()).filteredOn(panel -> lagPanels.contains(panel.get("title")))
			.hasSize(2)
			.flatExtracting(panel -> MonitoringFiles.maps(panel.get("targets")))
			.allSatisfy(target -> {
				assertThat(target).containsEntry("legendFormat", "{{group}} {{topic}}/{{partition}}");
				assertThat((String) target.get("expr")).startsWith("max by (group, topic, partition) (");
			});
	}

	/**
	 * The default of the service's {@code management.server.port}, where the actuator and
	 * its metrics are served without a token; written nested or as one dotted key.
	 */
	private static int defaultManagementPort(String service) {
		Object value = MonitoringFiles.yaml(Path.of(service, "src", "main", "resources", "application.yml"));
		for (String key : List.of("management", "server", "port")) {
			Map<String, Object> map = MonitoringFiles.map(value);
			value = map.containsKey(key) ? map.get(key) : find(map, key);
		}
		Matcher port = DEFAULT_MANAGEMENT_PORT.matcher(String.valueOf(value));
		assertThat(port.matches()).as("%s's management.server.port %s", service, value).isTrue();
		return Integer.parseInt(port.group(1));
	}

	private static @Nullable Object find(Map<String, Object> map, String firstKey) {
		for (Map.Entry<String, Object> entry : map.entrySet()) {
			if (entry.getKey().startsWith(firstKey + ".")) {
				return Map.of(entry.getKey().substring(firstKey.length() + 1), entry.getValue());
			}
		}
		return null;
	}

	private static void assertSucceeds(Promtool.Result result) {
		assertThat(result.exitCode()).withFailMessage("%s", result).isZero();
	}

}
