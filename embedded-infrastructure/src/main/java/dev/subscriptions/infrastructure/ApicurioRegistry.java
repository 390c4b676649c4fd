package dev.subscriptions.infrastructure;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real schema registry: Apicurio Registry, run as a child process, serving Confluent's
 * Schema Registry API at {@code /apis/ccompat/v7}.
 * <p>
 * Apicurio Registry 3.3 needs Java 21 or newer. The JDK is looked up (never hard-coded):
 * {@code APICURIO_JAVA_HOME}, then {@code JAVA_HOME} and the running JDK, then the JDKs
 * installed in the usual places.
 */
public final class ApicurioRegistry implements AutoCloseable {

	private static final int MINIMUM_JAVA = 21;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final Process process;

	private final int port;

	private ApicurioRegistry(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the registry with in-memory storage on the given port (0 for any free one).
	 */
	public static ApicurioRegistry start(int port, Path logFile) {
		return start(port, Map.of(), logFile);
	}

	/**
	 * Starts the registry keeping its schemas in a PostgreSQL database, so that schema
	 * ids survive restarts.
	 */
	public static ApicurioRegistry startWithPostgresql(int port, String jdbcUrl, String user, String password,
			Path logFile) {
		return start(port,
				Map.of("apicurio.storage.kind", "sql", "apicurio.storage.sql.kind", "postgresql",
						"apicurio.datasource.url", jdbcUrl, "apicurio.datasource.username", user,
						"apicurio.datasource.password", password),
				logFile);
	}

	private static ApicurioRegistry start(int requestedPort, Map<String, String> settings, Path logFile) {
		int port = (requestedPort > 0) ? requestedPort : Ports.free();
		Path home = installation();
		List<String> command = new ArrayList<>();
		command.add(javaExecutable().toString());
		command.add("-Xmx512m");
		command.add("-Dquarkus.http.port=" + port);
		command.add("-Dquarkus.http.host=localhost");
		// 3.x fixes its management interface on at build time (port 9000 by default);
		// give it a free port of its own.
		command.add("-Dquarkus.management.enabled=false");
		command.add("-Dquarkus.management.host=localhost");
		command.add("-Dquarkus.management.port=" + Ports.free());
		command.add("-Dquarkus.log.level=WARN");
		settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
		command.add("-jar");
		command.add(home.resolve("quarkus-run.jar").toString());
		try {
			Files.createDirectories(logFile.toAbsolutePath().getParent());
			Process process = new ProcessBuilder(command).directory(home.toFile())
				.redirectErrorStream(true)
				.redirectOutput(logFile.toFile())
				.start();
			ApicurioRegistry registry = new ApicurioRegistry(process, port);
			registry.awaitReady(logFile);
			return registry;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Apicurio Registry did not start", ex);
		}
	}

	/**
	 * The base URL of the Confluent-compatible API, as serializers expect it in
	 * {@code schema.registry.url}.
	 */
	public String confluentApiUrl() {
		return "http://localhost:" + this.port + "/apis/ccompat/v7";
	}

	public int port() {
		return this.port;
	}

	private void awaitReady(Path logFile) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/subjects"))
			.timeout(Duration.ofSeconds(5))
			.build();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Apicurio Registry exited with " + this.process.exitValue() + "; see "
						+ logFile.toAbsolutePath());
			}
			try {
				if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (ConnectException ex) {
				// not listening yet
			}
			catch (IOException ex) {
				// starting
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			this.process.onExit().completeOnTimeout(null, 100, java.util.concurrent.TimeUnit.MILLISECONDS).join();
		}
		close();
		throw new IllegalStateException(
				"Apicurio Registry was not ready within " + START_TIMEOUT + "; see " + logFile.toAbsolutePath());
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static Path installation() {
		String configured = System.getenv("APICURIO_REGISTRY_HOME");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		Properties properties = new Properties();
		try (InputStream in = ApicurioRegistry.class.getResourceAsStream("/embedded-infrastructure.properties")) {
			properties.load(in);
		}
		catch (IOException | NullPointerException ex) {
			throw new IllegalStateException("embedded-infrastructure.properties is missing", ex);
		}
		Path home = Path.of(properties.getProperty("apicurio.registry.directory"));
		if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
			throw new IllegalStateException("Apicurio Registry is not unpacked at " + home
					+ "; build the embedded-infrastructure module first (./mvnw -pl embedded-infrastructure install)");
		}
		return home;
	}

	/**
	 * The {@code java} launcher of a JDK with version 21 or newer.
	 */
	static Path javaExecutable() {
		List<Path> candidates = new ArrayList<>();
		Optional.ofNullable(System.getenv("APICURIO_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
		Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
		candidates.add(Path.of(System.getProperty("java.home")));
		for (String root : List.of("/usr/lib/jvm", "/usr/java", "/opt/java", "/opt",
				System.getProperty("user.home") + "/.sdkman/candidates/java", "/Library/Java/JavaVirtualMachines")) {
			candidates.addAll(children(Path.of(root)));
			children(Path.of(root)).forEach(child -> candidates.add(child.resolve("Contents/Home")));
		}
		return candidates.stream()
			.filter(home -> Files.isExecutable(home.resolve("bin/java")))
			.filter(home -> majorVersion(home) >= MINIMUM_JAVA)
			.findFirst()
			.map(home -> home.resolve("bin/java"))
			.orElseThrow(() -> new IllegalStateException("Apicurio Registry needs Java " + MINIMUM_JAVA
					+ " or newer and none was found; set APICURIO_JAVA_HOME to such a JDK"));
	}

	private static List<Path> children(Path root) {
		if (!Files.isDirectory(root)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(root)) {
			return entries.filter(Files::isDirectory).sorted().toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private static int majorVersion(Path javaHome) {
		Path release = javaHome.resolve("release");
		if (!Files.isRegularFile(release)) {
			return 0;
		}
		try (Stream<String> lines = Files.lines(release)) {
			return lines.filter(line -> line.startsWith("JAVA_VERSION="))
				.map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
				.map(version -> version.startsWith("1.") ? version.substring(2) : version)
				.map(version -> version.split("[.+-]")[0])
				.mapToInt(Integer::parseInt)
				.findFirst()
				.orElse(0);
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
	}

	/** For diagnostics: which directory the registry runs from. */
	public static File directory() {
		return installation().toFile();
	}

}
