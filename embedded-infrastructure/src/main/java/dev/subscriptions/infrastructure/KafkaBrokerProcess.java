package dev.subscriptions.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.apache.kafka.clients.admin.Admin;

/**
 * A Kafka broker (KRaft, combined broker and controller) in a JVM of its own, started
 * from this JVM's class path with {@link KafkaBrokerMain}: stopping it is a real broker
 * outage for every client, and starting it again on the same ports and log directory is a
 * broker restart.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final int port;

	private final int controllerPort;

	private final Path logDirectory;

	private final Path logFile;

	private Process process;

	private KafkaBrokerProcess(int port, int controllerPort, Path logDirectory, Path logFile) {
		this.port = port;
		this.controllerPort = controllerPort;
		this.logDirectory = logDirectory.toAbsolutePath();
		this.logFile = logFile.toAbsolutePath();
	}

	/**
	 * Starts a broker on free ports, keeping its data in {@code logDirectory}, and waits
	 * until it answers.
	 * @param logFile where the broker process's output goes (appended across restarts)
	 */
	public static KafkaBrokerProcess start(Path logDirectory, Path logFile) {
		return start(Ports.free(), Ports.free(), logDirectory, logFile);
	}

	/**
	 * Starts a broker on the given ports and waits until it answers, or fails once the
	 * process has exited.
	 */
	static KafkaBrokerProcess start(int port, int controllerPort, Path logDirectory, Path logFile) {
		KafkaBrokerProcess broker = new KafkaBrokerProcess(port, controllerPort, logDirectory, logFile);
		broker.start();
		return broker;
	}

	/**
	 * Starts the process (again, on the same ports and log directory) and waits until the
	 * broker answers.
	 */
	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		try {
			Files.createDirectories(this.logDirectory);
			Files.createDirectories(this.logFile.getParent());
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current().info().command().orElse("java"));
			command.add("-Xmx768m");
			command.addAll(launcher(KafkaBrokerMain.class.getName()));
			command.addAll(List.of(String.valueOf(this.port), String.valueOf(this.controllerPort),
					this.logDirectory.toString()));
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the Kafka broker process", ex);
		}
		awaitReady();
	}

	/**
	 * Stops the broker gracefully (SIGTERM: controlled shutdown, logs flushed), or kills
	 * it after 60 s.
	 */
	public synchronized void stop() {
		if (this.process != null) {
			this.process.destroy();
			if (this.process.onExit().completeOnTimeout(null, 60, TimeUnit.SECONDS).join() == null) {
				kill();
			}
			this.process = null;
		}
	}

	/**
	 * Kills the broker at once (SIGKILL): no controlled shutdown, the next start recovers
	 * its logs.
	 */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			this.process.onExit().join();
			this.process = null;
		}
	}

	/** Whether the broker process is running. */
	public synchronized boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** The {@code bootstrap.servers} value for clients. */
	public String bootstrapServers() {
		return "localhost:" + this.port;
	}

	public Path logFile() {
		return this.logFile;
	}

	@Override
	public void close() {
		stop();
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms", 5000,
				"default.api.timeout.ms", 5000))) {
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("The Kafka broker process exited with " + this.process.exitValue()
							+ "; see " + this.logFile);
				}
				try {
					if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
						return;
					}
				}
				catch (Exception ex) {
					this.process.onExit().completeOnTimeout(null, 200, TimeUnit.MILLISECONDS).join();
				}
			}
		}
		throw new IllegalStateException(
				"The Kafka broker was not ready within " + START_TIMEOUT + "; see " + this.logFile);
	}

	/**
	 * The JVM arguments that run {@code mainClass} from this JVM's class path. From a
	 * Spring Boot executable jar (whose class path is the jar alone, its libraries nested
	 * inside) Boot's {@code PropertiesLauncher} runs it.
	 */
	static List<String> launcher(String mainClass) {
		String classPath = System.getProperty("java.class.path");
		if (!classPath.contains(java.io.File.pathSeparator) && classPath.endsWith(".jar") && isBootJar(classPath)) {
			return List.of("-Dloader.main=" + mainClass, "-cp", classPath,
					"org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		return List.of("-cp", classPath, mainClass);
	}

	private static boolean isBootJar(String jar) {
		try (JarFile file = new JarFile(jar)) {
			return file.getEntry("BOOT-INF/lib/") != null
					|| file.stream().anyMatch(e -> e.getName().startsWith("BOOT-INF/lib/"));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
