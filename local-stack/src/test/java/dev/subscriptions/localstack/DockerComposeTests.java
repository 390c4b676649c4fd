package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import dev.subscriptions.eventing.EventingDefaults;
import dev.subscriptions.localstack.auth.LocalAuthorizationServer;
import dev.subscriptions.schemas.Topic;

/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so their
 * syntax and their agreement with the services' own configuration, the deploy/ files and
 * the Testcontainers definitions are checked instead.
 */
class DockerComposeTests {

	private static final Path ROOT = Path.of("..");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");

	private static final Pattern DEFAULT_PORT = Pattern.compile("\\$\\{PORT:(\\d+)}");

	private static final Pattern DEFAULT_MANAGEMENT_PORT = Pattern.compile("\\$\\{MANAGEMENT_PORT:(\\d+)}");

	private static final Path CONTAINERS = ROOT
		.resolve("embedded-infrastructure/src/main/java/dev/subscriptions/infrastructure");

	@Test
	@SuppressWarnings("unchecked")
	void declaresEveryServiceWithItsInfrastructure() throws IOException {
		Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
		Map<String, Object> services = (Map<String, Object>) compose.get("services");

		assertThat(services).containsKeys("kafka", "postgres", "schema-registry", "auth", "customer-service",
				"subscription-service", "benefit-service", "prometheus", "grafana");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("kafka")).get("ports")).contains("9092:9092");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("schema-registry")).get("ports"))
			.contains("8080:8080");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("prometheus")).get("ports"))
			.contains("9090:9090");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("grafana")).get("ports"))
			.contains("3000:3000");
		assertThat((Iterable<String>) ((Map<String, Object>) services.get("auth")).get("ports")).contains("9000:9000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	void configuresEachServiceOnlyWithVariablesItReads(String service) throws IOException {
		Map<String, String> environment = environment(service);
		Set<String> read = placeholders(
				Files.readString(ROOT.resolve(service + "/src/main/resources/application.yml")));
		read.addAll(placeholders(EventingDefaults.defaults().values().toString()));
		read.addAll(securityVariables());

		assertThat(read).containsAll(environment.keySet());
		assertThat(environment).containsKeys("DATABASE_URL", "DATABASE_USERNAME", "DATABASE_PASSWORD",
				"KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "PORT", "MANAGEMENT_PORT", "OAUTH2_ISSUER_URI");
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

	/**
	 * Only the container port of the API is given, so that Docker picks a free host port
	 * for each replica; it is the port the service listens on, which is its default port
	 * too. The management port, which takes no token, is only exposed to the compose
	 * network (Prometheus), never published on the host.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	void publishesEachServiceOnThePortItListensOn(String service) throws IOException {
		Map<String, String> environment = environment(service);

		assertThat(ports(service)).containsExactly(environment.get("PORT"));
		assertThat(environment.get("PORT")).isEqualTo(defaultPort(service));
		assertThat(exposed(service)).containsExactly(environment.get("MANAGEMENT_PORT"));
		assertThat(environment.get("MANAGEMENT_PORT")).isEqualTo(defaultManagementPort(service))
			.isNotEqualTo(environment.get("PORT"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	@SuppressWarnings("unchecked")
	void buildsEachServiceFromTheDockerfileAsAModuleOfTheRootPom(String service) throws Exception {
		Map<String, Object> build = (Map<String, Object>) serviceValue(service, "build");
		Map<String, Object> args = (Map<String, Object>) build.get("args");
		Document pom = pom();

		assertThat(build.get("context")).isEqualTo(".");
		assertThat(build.getOrDefault("dockerfile", "Dockerfile")).isEqualTo("Dockerfile");
		assertThat(ROOT.resolve("Dockerfile")).isRegularFile();
		assertThat(args).containsOnlyKeys("SERVICE", "PORT", "MANAGEMENT_PORT");
		assertThat(args.get("SERVICE")).isEqualTo(service);
		assertThat(modules(pom)).contains(service);
		assertThat(ROOT.resolve(service + "/pom.xml")).content().contains("<artifactId>" + service + "</artifactId>");
		assertThat(String.valueOf(args.get("PORT"))).isEqualTo(environment(service).get("PORT"));
		assertThat(String.valueOf(args.get("MANAGEMENT_PORT"))).isEqualTo(environment(service).get("MANAGEMENT_PORT"));
		assertThat(serviceValue(service, "image")).isEqualTo(service + ":" + text(pom.getDocumentElement(), "version"));
	}

	@Test
	void buildsWithTheServiceArgumentAndRunsOnAJreAsANonRootUser() throws IOException {
		List<Stage> stages = Stage.of(Files.readString(ROOT.resolve("Dockerfile")));
		Stage build = stages.get(0);
		Stage runtime = stages.get(stages.size() - 1);

		assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
		assertThat(build.arguments("ARG")).contains("SERVICE");
		assertThat(String.join("\n", build.arguments("RUN"))).contains("./mvnw")
			.contains("-pl \"${SERVICE}\" -am package")
			.contains("-DskipTests");
		assertThat(runtime.image()).matches("eclipse-temurin:17[^:]*-jre[^:]*");
		assertThat(runtime.arguments("COPY")).allMatch((copy) -> copy.startsWith("--from=" + build.name() + " "));
		assertThat(runtime.arguments("USER")).singleElement()
			.satisfies((user) -> assertThat(user.split(":")[0]).isNotIn("root", "0"));
		assertThat(runtime.arguments("ENTRYPOINT")).singleElement()
			.satisfies((entrypoint) -> assertThat(entrypoint).startsWith("[\"java\""));
		assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains("**/target/", ".git/");
	}

	/**
	 * The image asks the management port, where the actuator is, for the service's
	 * health; the API port answers none of the actuator but {@code /livez} and
	 * {@code /readyz}.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	@SuppressWarnings("unchecked")
	void checksTheHealthOfEachServiceOnItsManagementPort(String service) throws IOException {
		List<Stage> stages = Stage.of(Files.readString(ROOT.resolve("Dockerfile")));
		Stage runtime = stages.get(stages.size() - 1);
		Map<String, Object> management = (Map<String, Object>) application(service).get("management");

		assertThat(runtime.arguments("ARG")).contains("PORT", "MANAGEMENT_PORT");
		assertThat(runtime.arguments("ENV")).anySatisfy(
				(env) -> assertThat(env).contains("PORT=${PORT}").contains("MANAGEMENT_PORT=${MANAGEMENT_PORT}"));
		assertThat(runtime.arguments("EXPOSE")).containsExactly("${PORT} ${MANAGEMENT_PORT}");
		assertThat(runtime.arguments("HEALTHCHECK")).singleElement()
			.satisfies((healthcheck) -> assertThat(healthcheck).contains("/dev/tcp/127.0.0.1/${MANAGEMENT_PORT}")
				.contains("GET /actuator/health ")
				.contains(" 200"));
		assertThat(flattened(application(service))).containsEntry("management.server.port",
				"${MANAGEMENT_PORT:" + defaultManagementPort(service) + "}");
		assertThat(management).as("the service exposes eventing's default endpoints").doesNotContainKey("endpoints");
		assertThat(
				String.valueOf(EventingDefaults.defaults().get("management.endpoints.web.exposure.include")).split(","))
			.contains("health", "prometheus");
		assertThat(application(service).get("server")).asString().contains("port=${PORT:");
	}

	@Test
	@SuppressWarnings("unchecked")
	void pinsEveryImage() throws IOException {
		Map<String, Object> services = (Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("services");
		List<Stage> stages = Stage.of(Files.readString(ROOT.resolve("Dockerfile")));
		Set<String> stageNames = stages.stream().map(Stage::name).collect(Collectors.toSet());
		List<String> images = new ArrayList<>();
		services.values()
			.forEach((service) -> images.add(String.valueOf(((Map<String, Object>) service).get("image"))));
		stages.stream().map(Stage::image).filter((image) -> !stageNames.contains(image)).forEach(images::add);
		images.addAll(containerImages().values());

		assertThat(images).hasSizeGreaterThan(services.size())
			.allSatisfy((image) -> assertThat(image).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+")
				.doesNotEndWith(":latest")
				.doesNotContain("${"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void mountsThePrometheusConfigurationAndItsRules() throws IOException {
		Map<String, String> mounts = mounts("prometheus");
		Path configuration = ROOT.resolve("deploy/prometheus/prometheus.yml");
		Map<String, Object> prometheus = yaml(configuration);

		assertThat(mounts).containsEntry("/etc/prometheus", "./deploy/prometheus");
		assertThat((List<String>) serviceValue("prometheus", "command"))
			.contains("--config.file=/etc/prometheus/prometheus.yml");
		assertThat((List<String>) prometheus.get("rule_files")).isNotEmpty()
			.allSatisfy((rules) -> assertThat(configuration.resolveSibling(rules)).isRegularFile());
	}

	@Test
	@SuppressWarnings("unchecked")
	void mountsTheGrafanaProvisioningAndDashboards() throws IOException {
		Map<String, String> mounts = mounts("grafana");
		Path provisioning = ROOT.resolve("deploy/grafana/provisioning");
		Map<String, Object> datasources = yaml(provisioning.resolve("datasources/prometheus.yml"));
		Map<String, Object> dashboards = yaml(provisioning.resolve("dashboards/dashboards.yml"));
		Map<String, Object> provider = ((List<Map<String, Object>>) dashboards.get("providers")).get(0);
		URI prometheus = URI
			.create(String.valueOf(((List<Map<String, Object>>) datasources.get("datasources")).get(0).get("url")));

		assertThat(mounts).containsEntry("/etc/grafana/provisioning", "./deploy/grafana/provisioning")
			.containsEntry("/var/lib/grafana/dashboards", "./deploy/grafana/dashboards");
		assertThat(hostPath(mounts, String.valueOf(((Map<String, Object>) provider.get("options")).get("path"))))
			.isDirectoryContaining("glob:**.json");
		assertThat(prometheus.getHost()).isEqualTo("prometheus");
		assertThat(ports("prometheus")).contains(prometheus.getPort() + ":" + prometheus.getPort());
		assertThat(environment("grafana")).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
			.containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
		assertThat(hostPath(mounts, environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")))
			.isRegularFile();
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	@SuppressWarnings("unchecked")
	void scrapesEveryReplicaOfEachServiceOnItsManagementPort(String service) throws IOException {
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) yaml(
				ROOT.resolve("deploy/prometheus/prometheus.yml"))
			.get("scrape_configs");
		Map<String, Object> job = jobs.stream()
			.filter((candidate) -> service.equals(candidate.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no scrape job " + service));
		Map<String, Object> discovery = ((List<Map<String, Object>>) job.get("dns_sd_configs")).get(0);

		assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
		assertThat((List<String>) discovery.get("names")).containsExactly(service);
		assertThat(discovery.get("type")).isEqualTo("A");
		assertThat(String.valueOf(discovery.get("port"))).isEqualTo(environment(service).get("MANAGEMENT_PORT"));
	}

	/**
	 * {@code docker compose up --scale <service>=2}: no replica claims a fixed host port
	 * or container name, the replicas of a service share one consumer group, and no two
	 * services publish the same host port.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void letsEveryServiceRunInSeveralReplicas() throws IOException {
		Map<String, Object> services = (Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("services");
		List<String> hostPorts = new ArrayList<>();
		for (String service : List.of("customer-service", "subscription-service", "benefit-service")) {
			Map<String, Object> definition = (Map<String, Object>) services.get(service);
			Map<String, Object> spring = (Map<String, Object>) application(service).get("spring");
			Map<String, Object> consumer = (Map<String, Object>) ((Map<String, Object>) spring.get("kafka"))
				.get("consumer");

			assertThat(definition).doesNotContainKeys("container_name", "hostname");
			assertThat(ports(service)).allSatisfy((port) -> assertThat(port).doesNotContain(":"));
			assertThat(String.valueOf(consumer.get("group-id"))).isEqualTo(service).doesNotContain("${");
		}
		services.keySet()
			.forEach((service) -> ports(services, service).stream()
				.filter((port) -> port.contains(":"))
				.map((port) -> port.substring(0, port.lastIndexOf(':')))
				.forEach(hostPorts::add));

		assertThat(hostPorts).doesNotHaveDuplicates();
	}

	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	@SuppressWarnings("unchecked")
	void connectsEachServiceToTheInfrastructureByServiceName(String service) throws IOException {
		Map<String, String> environment = environment(service);
		Map<String, String> kafka = environment("kafka");
		Map<String, Object> dependencies = (Map<String, Object>) serviceValue(service, "depends_on");
		String internal = Arrays.stream(kafka.get("KAFKA_ADVERTISED_LISTENERS").split(","))
			.filter((listener) -> listener.startsWith(kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME") + "://"))
			.map((listener) -> listener.substring(listener.indexOf("://") + 3))
			.findFirst()
			.orElseThrow();

		assertThat(environment.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(internal);
		assertThat(environment.get("DATABASE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
		assertThat(environment.get("SCHEMA_REGISTRY_URL"))
			.startsWith("http://schema-registry:" + environment("schema-registry").get("QUARKUS_HTTP_PORT") + "/");
		assertThat(dependencies).containsOnlyKeys("kafka", "postgres", "schema-registry", "auth");
		assertThat(((Map<String, Object>) dependencies.get("kafka")).get("condition")).isEqualTo("service_healthy");
		assertThat(((Map<String, Object>) dependencies.get("postgres")).get("condition")).isEqualTo("service_healthy");
		assertThat(((Map<String, Object>) dependencies.get("auth")).get("condition"))
			.as("a service starts while the identity provider is down")
			.isEqualTo("service_started");
	}

	/**
	 * The authorization server's issuer is the address the services reach it by in the
	 * compose network; it signs every token with that issuer, also those asked for on the
	 * host through its published port.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "customer-service", "subscription-service", "benefit-service" })
	void trustsTokensOfTheLocalAuthorizationServer(String service) throws IOException {
		List<String> command = command("auth");
		String port = option(command, "--port");

		assertThat(ports("auth")).contains(port + ":" + port);
		assertThat(option(command, "--issuer")).isEqualTo("http://auth:" + port);
		assertThat(environment(service)).containsEntry("OAUTH2_ISSUER_URI", option(command, "--issuer"))
			.containsEntry("OAUTH2_AUDIENCES", LocalAuthorizationServer.AUDIENCE)
			.doesNotContainKey("OAUTH2_JWK_SET_URI");
	}

	/**
	 * {@code auth} is local-stack.jar's {@code auth} command, built by the same
	 * Dockerfile, keeping its signing key and client in a volume the image's non-root
	 * user may write, and healthy once it serves its OpenID discovery document.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void runsTheLocalAuthorizationServerFromTheLocalStackJar() throws Exception {
		Map<String, Object> build = (Map<String, Object>) serviceValue("auth", "build");
		Map<String, Object> args = (Map<String, Object>) build.get("args");
		List<String> command = command("auth");
		String port = option(command, "--port");
		String data = option(command, "--data");
		List<Stage> stages = Stage.of(Files.readString(ROOT.resolve("Dockerfile")));
		String buildSteps = String.join("\n", stages.get(0).arguments("RUN"));
		String runtimeSteps = String.join("\n", stages.get(stages.size() - 1).arguments("RUN"));
		List<String> healthcheck = (List<String>) ((Map<String, Object>) serviceValue("auth", "healthcheck"))
			.get("test");

		assertThat(build.get("context")).isEqualTo(".");
		assertThat(args).containsOnly(Map.entry("SERVICE", "local-stack"), Map.entry("PORT", port));
		assertThat(modules(pom())).contains("local-stack");
		assertThat(ROOT.resolve("local-stack/pom.xml")).content()
			.contains("<finalName>local-stack</finalName>")
			.contains("<mainClass>dev.subscriptions.localstack.LocalStack</mainClass>");
		assertThat(buildSteps).contains("\"${SERVICE}/target/${SERVICE}.jar\"");
		assertThat(command.get(0)).isEqualTo("auth");
		assertThat((List<String>) serviceValue("auth", "volumes")).containsExactly("auth-data:" + data);
		assertThat((Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("volumes"))
			.containsKey("auth-data");
		assertThat(runtimeSteps).contains("mkdir " + data + " && chown app:app " + data);
		assertThat(environment("auth")).containsKey("LOCAL_AUTH_CLIENT_SECRET");
		assertThat(String.join(" ", healthcheck)).contains("/dev/tcp/127.0.0.1/" + port)
			.contains("GET /.well-known/openid-configuration ")
			.contains(" 200");
	}

	/**
	 * The broker creates no topic by itself, so every topic of the platform must be
	 * declared by a service; whatever names a topic in docker-compose.yml names one of
	 * the platform's (or its dead-letter topic); one broker holds every replica.
	 */
	@Test
	void leavesTopicCreationToTheServices() throws IOException {
		Map<String, String> kafka = environment("kafka");
		Set<String> declared = declaredTopics();
		Set<String> topics = Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toSet());
		Map<String, String> namingTopics = new LinkedHashMap<>();
		List.of("kafka", "customer-service", "subscription-service", "benefit-service")
			.forEach((service) -> environmentNoThrow(service).entrySet()
				.stream()
				.filter((entry) -> entry.getKey().contains("TOPIC") && !entry.getKey().contains("TOPICS_ENABLE")
						&& !entry.getKey().contains("REPLICATION") && !entry.getKey().contains("MIN_ISR"))
				.forEach((entry) -> namingTopics.put(service + "/" + entry.getKey(), entry.getValue())));

		assertThat(kafka).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
		assertThat(declared).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(Topic.values()).map(Topic::name).collect(Collectors.toList()));
		assertThat(namingTopics.values())
			.allSatisfy((names) -> assertThat(names.split("[,\\s]+")).allSatisfy((name) -> assertThat(topics)
				.contains(name.replaceAll(":.*", "").replaceAll("(\\.[a-z]+-service)?\\.DLT$", ""))));
		assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).hasSize(1);
		kafka.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().endsWith("REPLICATION_FACTOR") || entry.getKey().endsWith("MIN_ISR"))
			.forEach((entry) -> assertThat(entry.getValue()).as(entry.getKey()).isEqualTo("1"));
	}

	/**
	 * The Testcontainers path of embedded-infrastructure runs the images of
	 * docker-compose.yml, and Kafka with the broker settings it has there.
	 */
	@Test
	void declaresTheTestContainersWithTheImagesAndBrokerSettingsOfCompose() throws IOException {
		Map<String, String> images = containerImages();
		Map<String, String> kafka = environment("kafka");
		Matcher settings = Pattern.compile("withEnv\\(\"([A-Z_]+)\", \"([^\"]*)\"\\)")
			.matcher(Files.readString(CONTAINERS.resolve("ContainerInfrastructure.java")));
		Map<String, String> containerSettings = new LinkedHashMap<>();
		while (settings.find()) {
			containerSettings.put(settings.group(1), settings.group(2));
		}

		assertThat(images).containsOnlyKeys("KAFKA_IMAGE", "POSTGRESQL_IMAGE", "IMAGE");
		assertThat(images.get("KAFKA_IMAGE")).isEqualTo(serviceValue("kafka", "image"));
		assertThat(images.get("POSTGRESQL_IMAGE")).isEqualTo(serviceValue("postgres", "image"));
		assertThat(images.get("IMAGE")).isEqualTo(serviceValue("schema-registry", "image"));
		assertThat(containerSettings).containsKey("KAFKA_AUTO_CREATE_TOPICS_ENABLE")
			.allSatisfy((key, value) -> assertThat(kafka).containsEntry(key, value));
	}

	/** The image constants of the Testcontainers definitions, by constant name. */
	private static Map<String, String> containerImages() throws IOException {
		Pattern constant = Pattern.compile("static final String ([A-Z_]*IMAGE) = \"([^\"]+)\";");
		Map<String, String> images = new LinkedHashMap<>();
		for (String file : List.of("ContainerInfrastructure.java", "ApicurioRegistryContainer.java")) {
			Matcher matcher = constant.matcher(Files.readString(CONTAINERS.resolve(file)));
			while (matcher.find()) {
				images.put(matcher.group(1), matcher.group(2));
			}
		}
		return images;
	}

	/** The {@link Topic} constants whose topics the services' main code declares. */
	private static Set<String> declaredTopics() throws IOException {
		Pattern declaration = Pattern.compile("TopicBuilder\\.name\\(Topic\\.(?:Names\\.)?([A-Z_]+)[.)]");
		Set<String> declared = new TreeSet<>();
		for (String service : List.of("customer-service", "subscription-service", "benefit-service")) {
			try (Stream<Path> sources = Files.walk(ROOT.resolve(service + "/src/main/java"))) {
				for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
					Matcher matcher = declaration.matcher(Files.readString(source));
					while (matcher.find()) {
						declared.add(matcher.group(1));
					}
				}
			}
		}
		return declared;
	}

	/** The host directory or file mounted at a container path, through a bind mount. */
	private static Path hostPath(Map<String, String> mounts, String containerPath) {
		return mounts.entrySet()
			.stream()
			.filter((mount) -> containerPath.equals(mount.getKey()) || containerPath.startsWith(mount.getKey() + "/"))
			.map((mount) -> ROOT.resolve(mount.getValue())
				.resolve(containerPath.substring(mount.getKey().length()).replaceFirst("^/", "")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(containerPath + " is not mounted from the host"));
	}

	/** The bind mounts of a service: container path to host path. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> mounts(String service) throws IOException {
		Map<String, String> mounts = new LinkedHashMap<>();
		for (String volume : (List<String>) serviceValue(service, "volumes")) {
			String[] parts = volume.split(":");
			if (parts[0].startsWith(".")) {
				mounts.put(parts[1], parts[0]);
			}
		}
		return mounts;
	}

	/**
	 * The request of compose's health check of {@code auth} is one the authorization
	 * server answers 200 once it runs (started here as its command starts it, on a free
	 * port and in a directory of its own).
	 */
	@Test
	@SuppressWarnings("unchecked")
	void checksTheHealthOfTheAuthorizationServerWithARequestItAnswers(@TempDir Path data) throws Exception {
		String healthcheck = String.join(" ",
				(List<String>) ((Map<String, Object>) serviceValue("auth", "healthcheck")).get("test"));
		Matcher request = Pattern.compile("GET (/\\S*) HTTP/1\\.[01]").matcher(healthcheck);
		assertThat(request.find()).as(healthcheck).isTrue();

		try (LocalAuthorizationServer server = LocalAuthorizationServer.start(0, data)) {
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(server.issuer() + request.group(1))).build(),
						HttpResponse.BodyHandlers.ofString());

			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		}
	}

	/**
	 * The variables web's {@code SecurityDefaults} reads for every service (the
	 * audiences, the key set, the organization claim).
	 */
	private static Set<String> securityVariables() throws IOException {
		Matcher copy = Pattern.compile("copy\\(environment, \"([A-Z0-9_]+)\"")
			.matcher(Files
				.readString(ROOT.resolve("web/src/main/java/dev/subscriptions/web/security/SecurityDefaults.java")));
		Set<String> variables = new TreeSet<>();
		while (copy.find()) {
			variables.add(copy.group(1));
		}
		assertThat(variables).as("the variables of web's SecurityDefaults").contains("OAUTH2_AUDIENCES");
		return variables;
	}

	/** The value after {@code name} in a command line. */
	private static String option(List<String> command, String name) {
		int index = command.indexOf(name);
		assertThat(index).as(name + " in " + command).isNotNegative().isLessThan(command.size() - 1);
		return command.get(index + 1);
	}

	@SuppressWarnings("unchecked")
	private static List<String> command(String service) throws IOException {
		return ((List<Object>) serviceValue(service, "command")).stream().map(String::valueOf).toList();
	}

	private static String defaultManagementPort(String service) throws IOException {
		String port = flattened(application(service)).get("management.server.port");
		Matcher matcher = DEFAULT_MANAGEMENT_PORT.matcher(String.valueOf(port));
		assertThat(matcher.matches()).as("management.server.port of " + service + " is ${MANAGEMENT_PORT:<default>}")
			.isTrue();
		return matcher.group(1);
	}

	/**
	 * A YAML document's values by their dotted keys, however they are nested
	 * ({@code management.server.port} or {@code management: server: port:}).
	 */
	private static Map<String, String> flattened(Map<String, Object> yaml) {
		Map<String, String> values = new LinkedHashMap<>();
		flatten("", yaml, values);
		return values;
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Map<String, Object> map, Map<String, String> values) {
		map.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested) {
				flatten(prefix + key + ".", (Map<String, Object>) nested, values);
			}
			else {
				values.put(prefix + key, String.valueOf(value));
			}
		});
	}

	private static String defaultPort(String service) throws IOException {
		Matcher matcher = DEFAULT_PORT.matcher(String.valueOf(application(service).get("server")));
		assertThat(matcher.find()).as("server.port of " + service + " is ${PORT:<default>}").isTrue();
		return matcher.group(1);
	}

	private static Map<String, Object> application(String service) throws IOException {
		return yaml(ROOT.resolve(service + "/src/main/resources/application.yml"));
	}

	private static Document pom() throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
	}

	private static List<String> modules(Document pom) {
		NodeList modules = pom.getElementsByTagName("module");
		List<String> names = new ArrayList<>();
		for (int i = 0; i < modules.getLength(); i++) {
			names.add(modules.item(i).getTextContent().trim());
		}
		return names;
	}

	/** The text of a direct child element. */
	private static String text(Element parent, String child) {
		NodeList children = parent.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element element && element.getTagName().equals(child)) {
				return element.getTextContent().trim();
			}
		}
		throw new AssertionError("no <" + child + "> in <" + parent.getTagName() + ">");
	}

	private static List<String> ports(String service) {
		try {
			return ports(services(), service);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> ports(Map<String, Object> services, String service) {
		Object ports = ((Map<String, Object>) services.get(service)).get("ports");
		return (ports != null) ? ((List<Object>) ports).stream().map(String::valueOf).toList() : List.of();
	}

	@SuppressWarnings("unchecked")
	private static List<String> exposed(String service) throws IOException {
		Object exposed = serviceValue(service, "expose");
		return (exposed != null) ? ((List<Object>) exposed).stream().map(String::valueOf).toList() : List.of();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> services() throws IOException {
		return (Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("services");
	}

	@SuppressWarnings("unchecked")
	private static Object serviceValue(String service, String key) throws IOException {
		return ((Map<String, Object>) services().get(service)).get(key);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> environment(String service) throws IOException {
		return (Map<String, String>) serviceValue(service, "environment");
	}

	private static Map<String, String> environmentNoThrow(String service) {
		try {
			return environment(service);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
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
		assertThat(file).as("the file docker-compose.yml relies on").isRegularFile();
		return new Yaml().load(Files.readString(file));
	}

	/**
	 * A stage of a Dockerfile: its {@code FROM} image, its name and its instructions
	 * (continuation lines joined, comments dropped).
	 */
	record Stage(String image, String name, List<String[]> instructions) {

		static List<Stage> of(String dockerfile) {
			List<Stage> stages = new ArrayList<>();
			String joined = dockerfile.replaceAll("\\\\\\r?\\n", " ");
			for (String line : joined.split("\\r?\\n")) {
				String trimmed = line.trim();
				if (trimmed.isEmpty() || trimmed.startsWith("#")) {
					continue;
				}
				String[] instruction = trimmed.split("\\s+", 2);
				String keyword = instruction[0].toUpperCase();
				String arguments = (instruction.length > 1) ? instruction[1].trim() : "";
				if (keyword.equals("FROM")) {
					String[] from = arguments.split("\\s+");
					String image = Arrays.stream(from)
						.filter((part) -> !part.startsWith("--"))
						.findFirst()
						.orElseThrow();
					String name = (from.length >= 3 && from[from.length - 2].equalsIgnoreCase("AS"))
							? from[from.length - 1] : image;
					stages.add(new Stage(image, name, new ArrayList<>()));
				}
				else if (!stages.isEmpty()) {
					stages.get(stages.size() - 1).instructions().add(new String[] { keyword, arguments });
				}
			}
			return stages;
		}

		/** The arguments of every instruction of this kind in the stage. */
		List<String> arguments(String keyword) {
			return this.instructions.stream()
				.filter((instruction) -> instruction[0].equals(keyword))
				.map((instruction) -> instruction[1])
				.toList();
		}

	}

}
