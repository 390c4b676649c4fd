package dev.subscriptions.endtoend.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files under {@code deploy/} that operators run: Prometheus' configuration and alert
 * rules, and the Grafana dashboard, read as the maps and lists they are.
 */
final class MonitoringFiles {

	/** The project's root: the tests run in {@code end-to-end-tests}. */
	static final Path ROOT = Path.of("..");

	static final Path PROMETHEUS_CONFIGURATION = Path.of("deploy", "prometheus", "prometheus.yml");

	static final Path ALERT_RULES = Path.of("deploy", "prometheus", "alerts.yml");

	static final Path ALERT_RULE_TESTS = Path.of("deploy", "prometheus", "alerts-tests.yml");

	static final Path DASHBOARD = Path.of("deploy", "grafana", "dashboards", "subscription-platform.json");

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

	private static final Pattern ANNOTATION_LABEL = Pattern.compile("\\$labels\\.(\\w+)");

	/** The three services, by the names of their modules, jobs and applications. */
	static final List<String> SERVICES = List.of("customer-service", "subscription-service", "benefit-service");

	private MonitoringFiles() {
	}

	/** The dashboard's JSON object. */
	static Map<String, Object> dashboard() {
		return map(JsonMapper.builder().build().readValue(read(DASHBOARD), Map.class));
	}

	/** The dashboard's panels. */
	static List<Map<String, Object>> panels() {
		return maps(dashboard().get("panels"));
	}

	/** Each expression of the dashboard, by panel title and refId ("title/A"). */
	static Map<String, String> dashboardExpressions() {
		Map<String, String> expressions = new LinkedHashMap<>();
		for (Map<String, Object> panel : panels()) {
			for (Map<String, Object> target : maps(panel.get("targets"))) {
				expressions.put(panel.get("title") + "/" + target.get("refId"), (String) target.get("expr"));
			}
		}
		return expressions;
	}

	/**
	 * Every expression of the dashboard and of the rules, with the labels its legend or
	 * its annotations show.
	 */
	static List<Query> queries() {
		List<Query> queries = new ArrayList<>();
		for (Map<String, Object> panel : panels()) {
			for (Map<String, Object> target : maps(panel.get("targets"))) {
				queries.add(new Query("panel " + panel.get("title") + "/" + target.get("refId"),
						(String) target.get("expr"), placeholders(LEGEND_LABEL, (String) target.get("legendFormat"))));
			}
		}
		for (Map<String, Object> group : maps(yaml(ALERT_RULES).get("groups"))) {
			for (Map<String, Object> rule : maps(group.get("rules"))) {
				String name = String.valueOf(rule.containsKey("alert") ? rule.get("alert") : rule.get("record"));
				Object annotations = rule.getOrDefault("annotations", Map.of());
				queries.add(new Query(rule.containsKey("alert") ? "alert " + name : "rule " + name,
						String.valueOf(rule.get("expr")), placeholders(ANNOTATION_LABEL, annotations.toString())));
			}
		}
		return queries;
	}

	/** The alert rules, each as written. */
	static List<Map<String, Object>> alertRules() {
		List<Map<String, Object>> alerts = new ArrayList<>();
		for (Map<String, Object> group : maps(yaml(ALERT_RULES).get("groups"))) {
			maps(group.get("rules")).stream().filter(rule -> rule.containsKey("alert")).forEach(alerts::add);
		}
		return alerts;
	}

	/** A YAML file of the project, by its path from the root. */
	static Map<String, Object> yaml(Path file) {
		return map(new Yaml().load(read(file)));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> maps(Object value) {
		return (List<Map<String, Object>>) value;
	}

	private static Set<String> placeholders(Pattern placeholder, String text) {
		Set<String> labels = new TreeSet<>();
		Matcher label = placeholder.matcher(text);
		while (label.find()) {
			labels.add(label.group(1));
		}
		return labels;
	}

	private static String read(Path file) {
		try {
			return Files.readString(ROOT.resolve(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An expression of the dashboard or the rules.
	 *
	 * @param where the panel and refId, or the alert
	 * @param expression its PromQL
	 * @param shownLabels the labels its legend or its annotations show
	 */
	record Query(String where, String expression, Set<String> shownLabels) {

	}

}
