package dev.subscriptions.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.subscriptions.infrastructure.ApicurioRegistry;
import dev.subscriptions.infrastructure.EmbeddedPostgresql;
import dev.subscriptions.infrastructure.KafkaBrokerProcess;
import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.localstack.auth.LocalAuthorizationServer;
import dev.subscriptions.localstack.auth.LocalTokens;

/**
 * The system under faults, every part a process of its own: PostgreSQL (one server, a
 * database and login per service and one for the registry's schemas), a Kafka broker,
 * Apicurio Registry and the three services from their jars. Each part can be stopped and
 * started again on the same port and data; a part that does not come back is a
 * {@link HarnessFailure}, never an invariant violation.
 * <p>
 * The services trust the local authorization server ({@code OAUTH2_ISSUER_URI}, its
 * tokens' audience required by {@code OAUTH2_AUDIENCES}), which runs in this JVM, is not
 * a fault target, and mints the workload's tokens; each service serves its actuator on a
 * management port of its own.
 */
final class Stack implements AutoCloseable {

	static final List<String> SERVICES = List.of("customer-service", "subscription-service", "benefit-service");

	private static final Duration SERVICE_START = Duration.ofMinutes(4);

	private final Path root;

	private final Path work;

	private final Path logs;

	private EmbeddedPostgresql postgres;

	private int postgresPort;

	private KafkaBrokerProcess kafka;

	private ApicurioRegistry registry;

	private int registryPort;

	private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

	private LocalAuthorizationServer authorization;

	private LocalTokens tokens;

	Stack(Path root, Path work) {
		this.root = root;
		this.work = work;
		this.logs = work.resolve("logs");
	}

	void start() {
		Progress.log("Kafka broker process, log in " + this.work.resolve("kafka"));
		CompletableFuture<Void> broker = CompletableFuture
			.runAsync(() -> harness("Kafka broker start", () -> this.kafka = KafkaBrokerProcess
				.start(this.work.resolve("kafka"), this.logs.resolve("kafka.log"))));
		Progress.log("PostgreSQL in " + this.work.resolve("postgres"));
		harness("PostgreSQL start", () -> {
			this.postgres = EmbeddedPostgresql.start(0, this.work.resolve("postgres").toFile());
			this.postgresPort = this.postgres.port();
		});
		for (String database : List.of("registry", "customer", "subscription", "benefit")) {
			this.postgres.createDatabase(database);
		}
		Progress.log("Apicurio Registry (schemas in PostgreSQL)");
		startRegistry(0);
		this.registryPort = this.registry.port();
		join(broker);
		Progress.log("Authorization server, key and client in " + this.work.resolve("auth"));
		harness("Authorization server start", () -> this.authorization = LocalAuthorizationServer.start(0, this.work));
		this.tokens = new LocalTokens(this.authorization.issuer(), this.authorization.clientId(),
				this.authorization.clientSecret());
		for (String name : SERVICES) {
			ServiceProcess service = ServiceProcess
				.of(this.root, name, 0, this.postgres, database(name), this.kafka.bootstrapServers(),
						this.registry.confluentApiUrl(), this.logs)
				.withJvmOption("-XX:TieredStopAtLevel=1")
				.withJvmOption("-XX:+UseSerialGC")
				.withJvmOption("-Xss512k")
				.withEnvironment("OAUTH2_ISSUER_URI", this.authorization.issuer())
				.withEnvironment("OAUTH2_AUDIENCES", LocalAuthorizationServer.AUDIENCE);
			this.services.put(name, service);
		}
		Progress.log("Starting the services");
		this.services.values().forEach(ServiceProcess::start);
		List<CompletableFuture<Void>> healthy = new ArrayList<>();
		for (ServiceProcess service : this.services.values()) {
			healthy.add(CompletableFuture
				.runAsync(() -> harness(service.name() + " start", () -> service.awaitHealthy(SERVICE_START))));
		}
		healthy.forEach(Stack::join);
	}

	private static void join(CompletableFuture<Void> step) {
		try {
			step.join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			throw (ex.getCause() instanceof HarnessFailure failure) ? failure : ex;
		}
	}

	/** Kills a service (SIGKILL) and starts it again, returning once it is healthy. */
	void killAndRestart(String name) {
		ServiceProcess service = service(name);
		service.kill();
		harness(name + " restart after kill -9", () -> service.start().awaitHealthy(SERVICE_START));
	}

	void suspend(String name) {
		service(name).suspend();
	}

	void resume(String name) {
		service(name).resume();
		if (!service(name).isAlive()) {
			throw new HarnessFailure(name + " died while stopped; see " + service(name).logFile());
		}
	}

	void stopBroker() {
		this.kafka.stop();
	}

	void killBroker() {
		this.kafka.kill();
	}

	void startBroker() {
		harness("Kafka broker restart", this.kafka::start);
	}

	void stopPostgres() {
		this.postgres.close();
	}

	void startPostgres() {
		harness("PostgreSQL restart", () -> this.postgres = EmbeddedPostgresql.start(this.postgresPort,
				this.work.resolve("postgres").toFile()));
	}

	void stopRegistry() {
		this.registry.close();
	}

	void startRegistry() {
		startRegistry(this.registryPort);
	}

	private void startRegistry(int port) {
		harness("Apicurio Registry start", () -> this.registry = ApicurioRegistry.startWithPostgresql(port,
				jdbcUrl("registry"), "registry", "registry", this.logs.resolve("apicurio-registry.log")));
	}

	/** Fails with a {@link HarnessFailure} if a part of the system is not running. */
	void checkRunning() {
		for (ServiceProcess service : this.services.values()) {
			if (!service.isAlive()) {
				throw new HarnessFailure(service.name() + " is not running; see " + service.logFile());
			}
		}
		if (!this.kafka.isAlive()) {
			throw new HarnessFailure("The Kafka broker is not running; see " + this.kafka.logFile());
		}
	}

	String url(String service) {
		return service(service).baseUrl();
	}

	/** Tokens of the authorization server the services trust. */
	LocalTokens tokens() {
		return this.tokens;
	}

	String bootstrapServers() {
		return this.kafka.bootstrapServers();
	}

	String registryUrl() {
		return "http://localhost:" + this.registryPort + "/apis/ccompat/v7";
	}

	String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + this.postgresPort + "/" + database;
	}

	Path logs() {
		return this.logs;
	}

	static String database(String service) {
		return service.substring(0, service.indexOf('-'));
	}

	private ServiceProcess service(String name) {
		ServiceProcess service = this.services.get(name);
		if (service == null) {
			throw new IllegalArgumentException("No service " + name);
		}
		return service;
	}

	private static void harness(String step, Runnable action) {
		try {
			action.run();
		}
		catch (HarnessFailure ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new HarnessFailure(step + " failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		List<AutoCloseable> parts = new ArrayList<>(this.services.values());
		parts.add(this.registry);
		parts.add(this.kafka);
		parts.add(this.postgres);
		parts.add(this.authorization);
		for (AutoCloseable part : parts) {
			try {
				if (part != null) {
					part.close();
				}
			}
			catch (Exception ex) {
				Progress.log("While stopping: " + ex);
			}
		}
	}

}
