package dev.subscriptions.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.subscriptions.infrastructure.ApicurioRegistry;
import dev.subscriptions.infrastructure.EmbeddedKafka;
import dev.subscriptions.infrastructure.EmbeddedPostgresql;
import dev.subscriptions.infrastructure.Ports;
import dev.subscriptions.infrastructure.Prometheus;
import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.localstack.auth.LocalAuthorizationServer;
import dev.subscriptions.localstack.auth.TokenCommand;
import dev.subscriptions.localstack.dashboard.DashboardServer;

/**
 * The whole platform on one machine, without Docker: an OAuth2 authorization server
 * (9000, {@link LocalAuthorizationServer}), a Kafka broker (9092), Apicurio Registry
 * (8080, schemas kept in PostgreSQL), one PostgreSQL server with a database and login per
 * service, and the services as child processes (APIs on 8081-8083, actuators on
 * management ports 9181-9183), configured by the same environment variables a deployment
 * would set, and trusting the authorization server by {@code OAUTH2_ISSUER_URI} alone.
 * Prometheus (9090, if the {@code prometheus} executable is installed) scrapes their
 * management ports with the deployment's configuration ({@code deploy/prometheus}), and a
 * page at 9091 shows the Grafana dashboard's panels ({@code deploy/grafana/dashboards})
 * from it; both are read from the project directory, which the local stack runs in.
 * <p>
 * Options: {@code --fresh} deletes the data directory first; {@code --data DIR} puts it
 * elsewhere (default {@code .local-stack}). subscription-service gets the webhook secrets
 * of {@link #WEBHOOK_SECRETS}, unless the caller's environment sets them. Ctrl-C stops
 * everything. {@code LOCAL_AUTH_PORT} moves the authorization server (a free port is
 * taken when its port is taken), {@code LOCAL_AUTH_CLIENT_SECRET} sets its client's
 * secret. {@code POSTGRES_SYNCHRONOUS_COMMIT} sets PostgreSQL's
 * {@code synchronous_commit} ({@code off} unless set); the services inherit the caller's
 * environment, so {@code KAFKA_LISTENER_CONCURRENCY} and the like reach them as they are.
 * <p>
 * {@code token --organization <uuid> --scopes "..."} prints an access token instead
 * ({@link TokenCommand}); {@code auth [--port 9000] [--data DIR] [--issuer URL]} runs the
 * authorization server alone; {@code tail <topic>} prints a topic's records;
 * {@code replay <dead-letter-topic> [--to <topic>] [--bootstrap-servers ...]} sends dead
 * letters back to their topics ({@link DeadLetterReplay});
 * {@code dashboard [--port 9091] [--prometheus http://localhost:9090]} serves the
 * dashboard page alone, for a Prometheus running elsewhere (e.g. docker compose's).
 */
public final class LocalStack {

	private static final int KAFKA_PORT = 9092;

	private static final int REGISTRY_PORT = 8080;

	private static final int POSTGRES_PORT = Integer
		.parseInt(System.getenv().getOrDefault("LOCAL_POSTGRES_PORT", "5432"));

	private static final int PROMETHEUS_PORT = 9090;

	private static final int DASHBOARD_PORT = 9091;

	/** The data directory unless {@code --data} names another. */
	static final Path DEFAULT_DATA = Path.of(".local-stack");

	/** The deployment's Prometheus configuration, made local by {@link #prometheus}. */
	static final Path PROMETHEUS_CONFIGURATION = Path.of("deploy", "prometheus", "prometheus.yml");

	/** The Grafana dashboard whose panels the page at {@link #DASHBOARD_PORT} draws. */
	static final Path DASHBOARD = Path.of("deploy", "grafana", "dashboards", "subscription-platform.json");

	private static final List<Service> SERVICES = List.of(new Service("customer-service", "customer", 8081, 9181),
			new Service("subscription-service", "subscription", 8082, 9182),
			new Service("benefit-service", "benefit", 8083, 9183));

	/**
	 * The billing providers' webhook secrets subscription-service is given here, so that
	 * a webhook can be signed and sent by hand (README, "Billing providers").
	 */
	static final Map<String, String> WEBHOOK_SECRETS = Map.of("LEMON_SQUEEZY_SIGNING_SECRET",
			"local-lemon-squeezy-secret", "STRIPE_WEBHOOK_SECRET", "whsec_local_stripe_secret");

	private final List<AutoCloseable> running = new ArrayList<>();

	private LocalStack() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("tail")) {
			TopicTail.main(args);
			return;
		}
		if (args.length > 0 && args[0].equals("replay")) {
			DeadLetterReplay.main(args);
			return;
		}
		if (args.length > 0 && args[0].equals("token")) {
			TokenCommand.main(args);
			return;
		}
		if (args.length > 0 && args[0].equals("auth")) {
			LocalAuthorizationServer.main(args);
			return;
		}
		if (args.length > 0 && args[0].equals("dashboard")) {
			serveDashboard(args);
			return;
		}
		Path data = Path.of(option(args, "--data", DEFAULT_DATA.toString())).toAbsolutePath();
		if (List.of(args).contains("--fresh")) {
			deleteRecursively(data);
		}
		Files.createDirectories(data.resolve("logs"));
		LocalStack stack = new LocalStack();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("Stopping...");
			stack.stop();
			stopped.countDown();
		}));
		try {
			stack.start(data);
		}
		catch (Exception ex) {
			System.err.println("Local stack failed to start: " + ex.getMessage());
			System.exit(1);
		}
		stopped.await();
	}

	private void start(Path data) throws Exception {
		LocalAuthorizationServer authorizationServer = startAuthorizationServer(data);
		this.running.add(authorizationServer);

		Map<String, String> postgresSettings = postgresSettings(System.getenv());
		log("PostgreSQL 17 on " + POSTGRES_PORT + " (data in " + data.resolve("postgres") + ")"
				+ (postgresSettings.isEmpty() ? "" : " with " + postgresSettings));
		EmbeddedPostgresql postgres = EmbeddedPostgresql.startClosedByCaller(POSTGRES_PORT,
				data.resolve("postgres").toFile(), postgresSettings);
		this.running.add(postgres);
		postgres.createDatabase("registry");
		postgres.createDatabase("benchmark");
		SERVICES.forEach(service -> postgres.createDatabase(service.database()));

		log("Kafka broker on " + KAFKA_PORT + " (data in " + data.resolve("kafka") + ")");
		this.running.add(EmbeddedKafka.start(KAFKA_PORT, data.resolve("kafka")));

		log("Apicurio Registry on " + REGISTRY_PORT + " (schemas in PostgreSQL database 'registry')");
		ApicurioRegistry registry = ApicurioRegistry.startWithPostgresql(REGISTRY_PORT, postgres.jdbcUrl("registry"),
				"registry", "registry", data.resolve("logs/apicurio-registry.log"));
		this.running.add(registry);

		Optional<Prometheus> prometheus = startPrometheus(data);
		prometheus.ifPresent(this.running::add);
		Optional<DashboardServer> dashboard = startDashboard(
				prometheus.map(Prometheus::url).orElse("http://localhost:" + PROMETHEUS_PORT));
		dashboard.ifPresent(this.running::add);

		Map<String, String> webhookSecrets = webhookSecrets(System.getenv());
		List<ServiceProcess> services = new ArrayList<>();
		for (Service service : SERVICES) {
			log("Starting " + service.name() + " on " + service.port());
			ServiceProcess process = ServiceProcess.of(Path.of(""), service.name(), service.port(), postgres,
					service.database(), "localhost:" + KAFKA_PORT, registry.confluentApiUrl(), data.resolve("logs"));
			// Handed over as system properties, which the services' placeholders read
			// like environment variables.
			process.withEnvironment("OAUTH2_ISSUER_URI", authorizationServer.issuer())
				.withEnvironment("OAUTH2_AUDIENCES", LocalAuthorizationServer.AUDIENCE)
				.withManagementPort(service.managementPort());
			if (service.name().equals("subscription-service")) {
				webhookSecrets.forEach((name, value) -> process.withJvmOption("-D" + name + "=" + value));
			}
			process.start();
			services.add(process);
			this.running.add(process);
		}
		Duration startTimeout = startTimeout(System.getenv());
		for (ServiceProcess service : services) {
			service.awaitHealthy(startTimeout);
		}

		System.out.println();
		System.out.println("Local stack is up:");
		System.out.println("  Authorization    " + authorizationServer.issuer() + " (OAuth2 issuer, client "
				+ authorizationServer.clientId() + " secret " + authorizationServer.clientSecret()
				+ "; key and client in " + data.resolve("auth") + ")");
		System.out.println("  Token            " + tokenCommand(authorizationServer.issuer(), data));
		System.out.println("  Kafka            localhost:" + KAFKA_PORT);
		System.out.println("  Schema registry  " + registry.confluentApiUrl());
		System.out
			.println("  PostgreSQL       localhost:" + POSTGRES_PORT + " (database = login = password = service name)");
		for (Service service : SERVICES) {
			System.out.printf("  %-16s http://localhost:%d  (API, bearer tokens; OpenAPI: /v3/api-docs)%n",
					service.name(), service.port());
			System.out.printf("  %-16s http://localhost:%d/actuator  (management: health, prometheus, outbox, "
					+ "kafkalag; no token)%n", "", service.managementPort());
		}
		System.out.println("  Webhook secrets  " + webhookSecrets.entrySet()
			.stream()
			.map(secret -> secret.getKey() + "=" + secret.getValue())
			.collect(Collectors.joining(" ")) + " (subscription-service)");
		System.out.println("  Prometheus       " + prometheus.map(Prometheus::url)
			.orElse("not running (install it: sudo apt-get install prometheus, or https://prometheus.io/download/)"));
		System.out.println("  Dashboard        " + dashboard.map(page -> page.url() + " (panels of " + DASHBOARD + ")")
			.orElse("not running (port " + DASHBOARD_PORT + " is taken)"));
		System.out.println("  Logs             " + data.resolve("logs"));
		System.out.println("Press Ctrl-C to stop.");
	}

	/**
	 * The authorization server on {@code LOCAL_AUTH_PORT} (default 9000), or on a free
	 * port if that one is taken, its key and client in {@code auth/} of the data
	 * directory.
	 */
	private static LocalAuthorizationServer startAuthorizationServer(Path data) {
		int port = authorizationServerPort(System.getenv());
		if (!Ports.isFree(port)) {
			log("Port " + port + " is taken, so the authorization server listens on a free port instead (tokens: "
					+ "the token command with --issuer, as printed when the stack is up)");
			port = 0;
		}
		LocalAuthorizationServer server = LocalAuthorizationServer.start(port, data);
		log("OAuth2 authorization server " + server.issuer() + " (signing key and client in " + data.resolve("auth")
				+ ")");
		return server;
	}

	/**
	 * PostgreSQL's settings of the caller's environment:
	 * {@code POSTGRES_SYNCHRONOUS_COMMIT} (e.g. {@code on}) sets
	 * {@code synchronous_commit}, which is {@code off} otherwise (the embedded server's
	 * default), so that the benchmark can be run either way.
	 */
	static Map<String, String> postgresSettings(Map<String, String> environment) {
		String synchronousCommit = environment.get("POSTGRES_SYNCHRONOUS_COMMIT");
		if (synchronousCommit == null || synchronousCommit.isBlank()) {
			return Map.of();
		}
		return Map.of("synchronous_commit", synchronousCommit.trim());
	}

	/**
	 * How long each service may take to become healthy: {@code LOCAL_START_TIMEOUT}
	 * seconds, or 3 minutes (a loaded machine can need more).
	 */
	static Duration startTimeout(Map<String, String> environment) {
		String seconds = environment.get("LOCAL_START_TIMEOUT");
		return (seconds == null || seconds.isBlank()) ? Duration.ofMinutes(3)
				: Duration.ofSeconds(Long.parseLong(seconds.trim()));
	}

	/** The authorization server's port: {@code LOCAL_AUTH_PORT}, or 9000. */
	static int authorizationServerPort(Map<String, String> environment) {
		String port = environment.get("LOCAL_AUTH_PORT");
		return (port != null && !port.isBlank()) ? Integer.parseInt(port.strip())
				: LocalAuthorizationServer.DEFAULT_PORT;
	}

	/**
	 * The command that prints a token of the authorization server at {@code issuer}, with
	 * the options only where they differ from the defaults.
	 */
	static String tokenCommand(String issuer, Path data) {
		StringBuilder command = new StringBuilder("java -jar local-stack/target/local-stack.jar token --organization "
				+ "<uuid> --scopes \"customers:write subscriptions:write benefits:write\"");
		if (!issuer.equals("http://localhost:" + LocalAuthorizationServer.DEFAULT_PORT)) {
			command.append(" --issuer ").append(issuer);
		}
		if (!data.toAbsolutePath().equals(DEFAULT_DATA.toAbsolutePath())) {
			command.append(" --data ").append(data);
		}
		return command.toString();
	}

	/**
	 * Prometheus on {@link #PROMETHEUS_PORT} with the deployment's configuration, each
	 * service scraped at its local management port, time series kept in
	 * {@code prometheus/} of the data directory; nothing (and a note saying how to
	 * install it) if it is not installed.
	 */
	private static Optional<Prometheus> startPrometheus(Path data) {
		if (!Prometheus.isInstalled()) {
			log("Prometheus is not installed, so the dashboard page has no data: sudo apt-get install prometheus "
					+ "(Debian, Ubuntu), or download it from https://prometheus.io/download/ and put it on the PATH");
			return Optional.empty();
		}
		if (!Files.isRegularFile(PROMETHEUS_CONFIGURATION)) {
			log("No " + PROMETHEUS_CONFIGURATION.toAbsolutePath() + ", so no Prometheus: run ./run-local "
					+ "from the project directory");
			return Optional.empty();
		}
		int port = PROMETHEUS_PORT;
		if (!Ports.isFree(port)) {
			log("Port " + port + " is taken, by another Prometheus perhaps (Debian's package runs one as a service: "
					+ "sudo systemctl disable --now prometheus frees it); this one listens on a free port instead");
			port = 0;
		}
		log("Prometheus (configuration " + PROMETHEUS_CONFIGURATION + ", data in " + data.resolve("prometheus") + ")");
		try {
			return Optional.of(prometheus(PROMETHEUS_CONFIGURATION).start(port, data.resolve("prometheus"),
					data.resolve("logs/prometheus.log")));
		}
		catch (RuntimeException ex) {
			log("Prometheus did not start, carrying on without it: " + ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * The dashboard page on {@link #DASHBOARD_PORT}, reading the Prometheus at
	 * {@code prometheus}; nothing (and a note saying why) if the port is taken.
	 */
	private static Optional<DashboardServer> startDashboard(String prometheus) {
		log("Dashboard page on " + DASHBOARD_PORT + " (data from " + prometheus + ")");
		try {
			return Optional.of(DashboardServer.start(DASHBOARD_PORT, URI.create(prometheus), DASHBOARD));
		}
		catch (RuntimeException ex) {
			log("The dashboard page did not start, carrying on without it: " + ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * The deployment's Prometheus configuration with each service's job scraping the
	 * service's management port on this machine (where the actuator is, without a token).
	 */
	static Prometheus.Configuration prometheus(Path configuration) {
		Prometheus.Configuration local = Prometheus.configuredBy(configuration);
		for (Service service : SERVICES) {
			local = local.scraping(service.name(), service.managementPort());
		}
		return local;
	}

	private static void serveDashboard(String[] args) throws InterruptedException {
		int port = Integer.parseInt(option(args, "--port", String.valueOf(DASHBOARD_PORT)));
		URI prometheus = URI.create(option(args, "--prometheus", "http://localhost:" + PROMETHEUS_PORT));
		DashboardServer dashboard = DashboardServer.start(port, prometheus, DASHBOARD);
		Runtime.getRuntime().addShutdownHook(new Thread(dashboard::close));
		System.out.println("Dashboard " + dashboard.url() + " (panels of " + DASHBOARD.toAbsolutePath() + ", data from "
				+ prometheus + "). Press Ctrl-C to stop.");
		new CountDownLatch(1).await();
	}

	private void stop() {
		for (int i = this.running.size() - 1; i >= 0; i--) {
			try {
				this.running.get(i).close();
			}
			catch (Exception ex) {
				System.err.println("While stopping: " + ex.getMessage());
			}
		}
		this.running.clear();
	}

	/**
	 * The webhook secrets subscription-service gets: the caller's environment's where it
	 * sets them, otherwise those of {@link #WEBHOOK_SECRETS}, by name. They are handed
	 * over as system properties of the variables' names, which the service's
	 * {@code application.yml} placeholders read like environment variables (the process's
	 * environment cannot be extended here).
	 */
	static Map<String, String> webhookSecrets(Map<String, String> environment) {
		Map<String, String> secrets = new TreeMap<>(WEBHOOK_SECRETS);
		secrets.replaceAll(environment::getOrDefault);
		return secrets;
	}

	private static String option(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	private static void log(String message) {
		System.out.println("==> " + message);
	}

	/**
	 * A service of the platform: its module, database, API port and management (actuator)
	 * port.
	 */
	private record Service(String name, String database, int port, int managementPort) {
	}

}
