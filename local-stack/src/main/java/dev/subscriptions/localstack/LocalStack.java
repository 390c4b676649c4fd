package dev.subscriptions.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import dev.subscriptions.infrastructure.ApicurioRegistry;
import dev.subscriptions.infrastructure.EmbeddedKafka;
import dev.subscriptions.infrastructure.EmbeddedPostgresql;

/**
 * The whole platform on one machine, without Docker: a Kafka broker (9092), Apicurio Registry (8080, schemas kept in
 * PostgreSQL), one PostgreSQL server with a database and login per service, and the services as child processes,
 * configured by the same environment variables a deployment would set.
 * <p>
 * Options: {@code --fresh} deletes the data directory first; {@code --data DIR} puts it elsewhere (default
 * {@code .local-stack}). Ctrl-C stops everything. {@code tail <topic>} prints a topic's records instead.
 */
public final class LocalStack {

	private static final int KAFKA_PORT = 9092;

	private static final int REGISTRY_PORT = 8080;

	private static final int POSTGRES_PORT = Integer.parseInt(System.getenv().getOrDefault("LOCAL_POSTGRES_PORT", "5432"));

	private static final List<Service> SERVICES = List.of(new Service("customer-service", "customer", 8081),
			new Service("subscription-service", "subscription", 8082),
			new Service("benefit-service", "benefit", 8083));

	private final List<AutoCloseable> running = new ArrayList<>();

	private LocalStack() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("tail")) {
			TopicTail.main(args);
			return;
		}
		Path data = Path.of(option(args, "--data", ".local-stack")).toAbsolutePath();
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
		log("PostgreSQL 17 on " + POSTGRES_PORT + " (data in " + data.resolve("postgres") + ")");
		EmbeddedPostgresql postgres = EmbeddedPostgresql.start(POSTGRES_PORT, data.resolve("postgres").toFile());
		this.running.add(postgres);
		postgres.createDatabase("registry");
		SERVICES.forEach(service -> postgres.createDatabase(service.database()));

		log("Kafka broker on " + KAFKA_PORT + " (data in " + data.resolve("kafka") + ")");
		this.running.add(EmbeddedKafka.start(KAFKA_PORT, data.resolve("kafka")));

		log("Apicurio Registry on " + REGISTRY_PORT + " (schemas in PostgreSQL database 'registry')");
		ApicurioRegistry registry = ApicurioRegistry.startWithPostgresql(REGISTRY_PORT, postgres.jdbcUrl("registry"),
				"registry", "registry", data.resolve("logs/apicurio-registry.log"));
		this.running.add(registry);

		List<Process> processes = new ArrayList<>();
		for (Service service : SERVICES) {
			log("Starting " + service.name() + " on " + service.port());
			Process process = service.start(data.resolve("logs"), postgres, registry);
			processes.add(process);
			this.running.add(() -> stopProcess(process));
		}
		for (int i = 0; i < SERVICES.size(); i++) {
			SERVICES.get(i).awaitHealthy(processes.get(i), data.resolve("logs"));
		}

		System.out.println();
		System.out.println("Local stack is up:");
		System.out.println("  Kafka            localhost:" + KAFKA_PORT);
		System.out.println("  Schema registry  " + registry.confluentApiUrl());
		System.out.println("  PostgreSQL       localhost:" + POSTGRES_PORT + " (database = login = password = service name)");
		for (Service service : SERVICES) {
			System.out.printf("  %-16s http://localhost:%d  (OpenAPI: /v3/api-docs, metrics: /actuator/prometheus)%n",
					service.name(), service.port());
		}
		System.out.println("  Logs             " + data.resolve("logs"));
		System.out.println("Press Ctrl-C to stop.");
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

	private static void stopProcess(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
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

	/** A service of the platform, run from its executable jar. */
	private record Service(String name, String database, int port) {

		Process start(Path logs, EmbeddedPostgresql postgres, ApicurioRegistry registry) throws IOException {
			Path jar = jar();
			Map<String, String> environment = new LinkedHashMap<>();
			environment.put("PORT", String.valueOf(this.port));
			environment.put("DATABASE_URL", postgres.jdbcUrl(this.database));
			environment.put("DATABASE_USERNAME", this.database);
			environment.put("DATABASE_PASSWORD", this.database);
			environment.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + KAFKA_PORT);
			environment.put("SCHEMA_REGISTRY_URL", registry.confluentApiUrl());
			String java = ProcessHandle.current().info().command().orElse("java");
			ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
				.redirectErrorStream(true)
				.redirectOutput(logs.resolve(this.name + ".log").toFile());
			builder.environment().putAll(environment);
			return builder.start();
		}

		Path jar() throws IOException {
			Path target = Path.of(this.name, "target");
			try (Stream<Path> files = Files.list(target)) {
				return files.filter(file -> file.getFileName().toString().matches(this.name + "-.*\\.jar"))
					.filter(file -> !file.getFileName().toString().endsWith("-plain.jar"))
					.findFirst()
					.orElseThrow();
			}
			catch (IOException | java.util.NoSuchElementException ex) {
				throw new IOException("No executable jar in " + target.toAbsolutePath()
						+ "; build first: ./mvnw -DskipTests package", ex);
			}
		}

		void awaitHealthy(Process process, Path logs) throws InterruptedException {
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health"))
				.timeout(Duration.ofSeconds(2))
				.build();
			long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					throw new IllegalStateException(this.name + " exited with " + process.exitValue() + "; see "
							+ logs.resolve(this.name + ".log"));
				}
				try {
					if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
						return;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				Thread.sleep(500);
			}
			throw new IllegalStateException(this.name + " was not healthy within 3 minutes; see "
					+ logs.resolve(this.name + ".log"));
		}

	}

}
