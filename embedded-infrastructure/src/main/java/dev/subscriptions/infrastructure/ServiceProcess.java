package dev.subscriptions.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One of the platform's services, run from its executable jar as a child process and
 * configured only by the environment variables a deployment would set: {@code PORT} (the
 * API), {@code MANAGEMENT_PORT} (the actuator: health, metrics, outbox, lag),
 * {@code DATABASE_*}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, and
 * whatever else is given with {@link #withEnvironment(String, String)} (such as
 * {@code OAUTH2_ISSUER_URI}).
 */
public final class ServiceProcess implements AutoCloseable {

	private final String name;

	private final int port;

	private final Path jar;

	private final Map<String, String> environment;

	private final Path log;

	private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx384m"));

	private Process process;

	private ServiceProcess(String name, int port, Path jar, Map<String, String> environment, Path log) {
		this.name = name;
		this.port = port;
		this.jar = jar;
		this.environment = environment;
		this.log = log;
	}

	/**
	 * Prepares a service, its management port a free one (see
	 * {@link #withManagementPort(int)}).
	 * @param projectRoot the directory holding the service modules
	 * @param name the module, e.g. {@code customer-service}
	 * @param port its HTTP port for the API (0 for a free one)
	 * @param database its database and login on {@code postgres}
	 * @param logs where its output goes ({@code <name>.log})
	 */
	public static ServiceProcess of(Path projectRoot, String name, int port, EmbeddedPostgresql postgres,
			String database, String kafkaBootstrapServers, String schemaRegistryUrl, Path logs) {
		int actualPort = (port > 0) ? port : Ports.free();
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PORT", String.valueOf(actualPort));
		environment.put("MANAGEMENT_PORT", String.valueOf(freeOtherThan(actualPort)));
		environment.put("DATABASE_URL", postgres.jdbcUrl(database));
		environment.put("DATABASE_USERNAME", database);
		environment.put("DATABASE_PASSWORD", database);
		environment.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
		environment.put("SCHEMA_REGISTRY_URL", schemaRegistryUrl);
		return new ServiceProcess(name, actualPort, jar(projectRoot, name), environment, logs.resolve(name + ".log"));
	}

	/**
	 * Serves the actuator on this port from the next start on (the local stack uses 9181,
	 * 9182, 9183), instead of the free one chosen.
	 */
	public synchronized ServiceProcess withManagementPort(int managementPort) {
		if (managementPort <= 0) {
			throw new IllegalArgumentException("A management port must be given, not " + managementPort);
		}
		this.environment.put("MANAGEMENT_PORT", String.valueOf(managementPort));
		return this;
	}

	/**
	 * Sets an environment variable for the next start, e.g. {@code OAUTH2_ISSUER_URI}.
	 */
	public synchronized ServiceProcess withEnvironment(String name, String value) {
		this.environment.put(name, value);
		return this;
	}

	/**
	 * Adds a JVM option for the next start, e.g. {@code -XX:TieredStopAtLevel=1} to start
	 * faster in tests.
	 */
	public ServiceProcess withJvmOption(String option) {
		this.jvmOptions.add(option);
		return this;
	}

	/** Starts the process (not waiting for it to be healthy). */
	public synchronized ServiceProcess start() {
		try {
			Files.createDirectories(this.log.getParent());
			String java = ProcessHandle.current().info().command().orElse("java");
			List<String> command = new ArrayList<>();
			command.add(java);
			command.addAll(this.jvmOptions);
			command.addAll(List.of("-jar", this.jar.toString()));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
			builder.environment().putAll(this.environment);
			this.process = builder.start();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name, ex);
		}
	}

	/**
	 * Waits until {@code /actuator/health} on the management port answers 200.
	 */
	public ServiceProcess awaitHealthy(Duration timeout) {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest health = HttpRequest.newBuilder(URI.create(managementUrl() + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + "; see " + this.log);
			}
			try {
				if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return this;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			this.process.onExit().completeOnTimeout(null, 250, TimeUnit.MILLISECONDS).join();
		}
		throw new IllegalStateException(this.name + " was not healthy within " + timeout + "; see " + this.log);
	}

	/**
	 * Kills the process at once (SIGKILL): no graceful shutdown, no offset commit, as in
	 * a crash.
	 */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			this.process.onExit().join();
			this.process = null;
		}
	}

	/** Stops the process gracefully (SIGTERM), or kills it after 30 s. */
	@Override
	public synchronized void close() {
		if (this.process != null) {
			this.process.destroy();
			if (this.process.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join() != null) {
				this.process = null;
				return;
			}
			kill();
		}
	}

	/** The base URL of its API (the public port, which asks for bearer tokens). */
	public String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/** The port of its actuator (health, Prometheus metrics, outbox, lag; no token). */
	public synchronized int managementPort() {
		return Integer.parseInt(this.environment.get("MANAGEMENT_PORT"));
	}

	/**
	 * The base URL of its actuator, e.g.
	 * {@code managementUrl() + "/actuator/prometheus"}.
	 */
	public String managementUrl() {
		return "http://localhost:" + managementPort();
	}

	/** The operating system's id of the running process. */
	public synchronized long pid() {
		if (this.process == null) {
			throw new IllegalStateException(this.name + " is not running");
		}
		return this.process.pid();
	}

	/** Whether the process is running (a stopped one counts as running). */
	public synchronized boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Freezes the process (SIGSTOP), as a host that stalls: sockets stay open, nothing
	 * answers.
	 */
	public void suspend() {
		signal("STOP");
	}

	/** Lets a frozen process run again (SIGCONT). */
	public void resume() {
		signal("CONT");
	}

	public String name() {
		return this.name;
	}

	public Path logFile() {
		return this.log;
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException(
						"kill -" + signal + " " + this.name + " exited with " + kill.exitValue());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not signal " + this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freeOtherThan(int port) {
		int free = Ports.free();
		while (free == port) {
			free = Ports.free();
		}
		return free;
	}

	private static Path jar(Path projectRoot, String name) {
		Path target = projectRoot.resolve(name).resolve("target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter(file -> file.getFileName().toString().matches(Pattern.quote(name) + "-.*\\.jar"))
				.filter(file -> !file.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow();
		}
		catch (IOException | NoSuchElementException ex) {
			throw new IllegalStateException(
					"No executable jar in " + target.toAbsolutePath() + "; build first: ./mvnw -DskipTests package",
					ex);
		}
	}

	/**
	 * Sends SIGTERM, as an orchestrator stopping the service does, and waits for the
	 * process to exit.
	 * @return its exit code
	 * @throws IllegalStateException if it did not exit within the timeout (it is killed
	 * then)
	 */
	public synchronized int terminate(Duration timeout) {
		if (this.process == null) {
			throw new IllegalStateException(this.name + " is not running");
		}
		this.process.destroy();
		Process exited = this.process.onExit()
			.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
			.join();
		if (exited == null) {
			kill();
			throw new IllegalStateException(
					this.name + " did not exit within " + timeout + " of SIGTERM; see " + this.log);
		}
		this.process = null;
		return exited.exitValue();
	}

}
