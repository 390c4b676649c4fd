package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import dev.subscriptions.eventing.EventingDefaults;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its syntax and its agreement
 * with the services' own configuration are checked instead.
 */
class DockerComposeTests {

	private static final Path ROOT = Path.of("..");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");

	@Test
	@SuppressWarnings("unchecked")
	void declaresEveryServiceWithItsInfrastructure() throws IOException {
		Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
		Map<String, Object> services = (Map<String, Object>) compose.get("services");

		assertThat(services).containsKeys("kafka", "postgres", "schema-registry", "customer-service",
				"subscription-service", "benefit-service");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("kafka")).get("ports")).contains("9092:9092");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("schema-registry")).get("ports"))
			.contains("8080:8080");
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	void configuresEachServiceOnlyWithVariablesItReads(String service) throws IOException {
		Map<String, String> environment = environment(service);
		Set<String> read = placeholders(
				Files.readString(ROOT.resolve(service + "/src/main/resources/application.yml")));
		read.addAll(placeholders(EventingDefaults.defaults().values().toString()));

		assertThat(read).containsAll(environment.keySet());
		assertThat(environment).containsKeys("DATABASE_URL", "DATABASE_USERNAME", "DATABASE_PASSWORD",
				"KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "PORT");
		assertThat(environment.get("SCHEMA_REGISTRY_URL")).endsWith("/apis/ccompat/v7");
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	void createsTheDatabaseAndLoginEachServiceUses(String service) throws IOException {
		String init = Files.readString(ROOT.resolve("docker/postgres/init.sql"));
		Map<String, String> customer = environment(service);
		Map<String, String> registry = environment("schema-registry");

		String customerDatabase = customer.get("DATABASE_URL").replaceAll(".*/", "");
		assertThat(init).contains("create database " + customerDatabase + " owner " + customer.get("DATABASE_USERNAME"))
			.contains("create role " + customer.get("DATABASE_USERNAME") + " login password '"
					+ customer.get("DATABASE_PASSWORD") + "'");
		String registryDatabase = registry.get("APICURIO_DATASOURCE_URL").replaceAll(".*/", "");
		assertThat(init)
			.contains("create database " + registryDatabase + " owner " + registry.get("APICURIO_DATASOURCE_USERNAME"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	void publishesEachServiceOnThePortItListensOn(String service) throws IOException {
		Map<String, String> environment = environment(service);

		assertThat(serviceValue(service, "ports").toString())
			.contains(environment.get("PORT") + ":" + environment.get("PORT"));
	}

	@SuppressWarnings("unchecked")
	private static Object serviceValue(String service, String key) throws IOException {
		Map<String, Object> services = (Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("services");
		return ((Map<String, Object>) services.get(service)).get(key);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> environment(String service) throws IOException {
		return (Map<String, String>) serviceValue(service, "environment");
	}

	/** The environment variables read by placeholders in {@code text}. */
	private static Set<String> placeholders(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = PLACEHOLDER.matcher(text);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		return new Yaml().load(Files.readString(file));
	}

}
