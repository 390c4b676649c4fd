package dev.subscriptions.infrastructure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), running
 * inside this JVM on a fixed port.
 * <p>
 * Spring's {@code EmbeddedKafkaKraftBroker} always binds random ports; this runs Kafka's
 * own {@code KafkaRaftServer} instead, so the broker can listen on 9092, keep its log in
 * a directory that survives restarts, and be stopped and started again on the same port
 * with its data intact (a real outage for tests).
 * <p>
 * By default its client listener is PLAINTEXT; with a {@link KafkaSecurity} it requires
 * SASL_PLAINTEXT with SCRAM-SHA-512 credentials instead.
 */
public final class EmbeddedKafka implements AutoCloseable {

	private final KafkaConfig config;

	private final Path directory;

	private final boolean temporary;

	private final int port;

	private final @Nullable KafkaSecurity security;

	private @Nullable KafkaRaftServer server;

	private EmbeddedKafka(KafkaConfig config, Path directory, boolean temporary, int port,
			@Nullable KafkaSecurity security) {
		this.config = config;
		this.directory = directory;
		this.temporary = temporary;
		this.port = port;
		this.security = security;
	}

	/**
	 * Starts a broker.
	 * @param port the client port, or 0 for a free one (kept when the broker restarts)
	 * @param logDirectory where the broker keeps its data across restarts, or
	 * {@code null} for a temporary directory
	 */
	public static EmbeddedKafka start(int port, @Nullable Path logDirectory) {
		return start(port, 0, logDirectory);
	}

	/**
	 * Starts a broker whose controller listens on a given port too, for a broker process
	 * that is stopped and started again on the same ports.
	 * @param port the client port, or 0 for a free one
	 * @param controllerPort the KRaft controller port, or 0 for a free one
	 * @param logDirectory where the broker keeps its data across restarts, or
	 * {@code null} for a temporary directory
	 */
	public static EmbeddedKafka start(int port, int controllerPort, @Nullable Path logDirectory) {
		return start(port, controllerPort, logDirectory, null);
	}

	/**
	 * Starts a broker whose client listener requires SASL_PLAINTEXT with the SCRAM users
	 * of {@code security}, or PLAINTEXT without one. The users are created when the log
	 * directory is formatted, that is when it holds no broker data yet.
	 * @param port the client port, or 0 for a free one
	 * @param controllerPort the KRaft controller port (PLAINTEXT, localhost), or 0 for a
	 * free one
	 * @param logDirectory where the broker keeps its data across restarts, or
	 * {@code null} for a temporary directory
	 * @param security the SCRAM users, or {@code null} for a PLAINTEXT listener
	 */
	public static EmbeddedKafka start(int port, int controllerPort, @Nullable Path logDirectory,
			@Nullable KafkaSecurity security) {
		try {
			boolean temporary = logDirectory == null;
			Path directory = temporary ? Files.createTempDirectory("kafka-") : logDirectory.toAbsolutePath();
			Files.createDirectories(directory);
			int clientPort = (port > 0) ? port : Ports.free();
			int quorumPort = (controllerPort > 0) ? controllerPort : Ports.free();
			Properties properties = new Properties();
			properties.putAll(Map.ofEntries(Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
					Map.entry("controller.quorum.voters", "1@localhost:" + quorumPort),
					Map.entry("listeners",
							"PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + quorumPort),
					Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + clientPort),
					Map.entry("controller.listener.names", "CONTROLLER"),
					Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
					Map.entry("inter.broker.listener.name", "PLAINTEXT"), Map.entry("log.dirs", directory.toString()),
					Map.entry("num.partitions", "3"), Map.entry("auto.create.topics.enable", "false"),
					Map.entry("offsets.topic.replication.factor", "1"), Map.entry("offsets.topic.num.partitions", "10"),
					Map.entry("transaction.state.log.replication.factor", "1"),
					Map.entry("transaction.state.log.min.isr", "1"),
					Map.entry("share.coordinator.state.topic.replication.factor", "1"),
					Map.entry("share.coordinator.state.topic.min.isr", "1"),
					Map.entry("group.initial.rebalance.delay.ms", "0"),
					Map.entry("controlled.shutdown.enable", "true")));
			if (security != null) {
				properties.putAll(security.brokerProperties(clientPort, quorumPort));
			}
			KafkaConfig config = KafkaConfig.fromProps(properties);
			if (!Files.exists(directory.resolve("meta.properties"))) {
				format(directory, (security != null) ? security.scramArguments() : List.of());
			}
			EmbeddedKafka kafka = new EmbeddedKafka(config, directory, temporary, clientPort, security);
			kafka.resume();
			return kafka;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Kafka did not start", ex);
		}
	}

	private static void format(Path directory, List<String> scramArguments) {
		try {
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setNodeId(1)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(directory.toString()))
				.setMetadataLogDirectory(directory.toString())
				.setReleaseVersion(MetadataVersion.latestProduction())
				.setControllerListenerName("CONTROLLER")
				.setScramArguments(scramArguments)
				.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not format Kafka storage in " + directory, ex);
		}
	}

	/** The {@code bootstrap.servers} value for clients. */
	public String bootstrapServers() {
		return "localhost:" + this.port;
	}

	/**
	 * The settings of a client of this broker as its own user: the bootstrap servers and,
	 * with {@link KafkaSecurity}, the broker user's SASL settings.
	 */
	public Map<String, Object> clientProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("bootstrap.servers", bootstrapServers());
		if (this.security != null) {
			properties.putAll(this.security.brokerClientProperties());
		}
		return properties;
	}

	/**
	 * Shuts the broker down, keeping its data and port, until {@link #resume()}: a Kafka
	 * outage.
	 */
	public synchronized void interrupt() {
		KafkaRaftServer server = this.server;
		if (server != null) {
			server.shutdown();
			server.awaitShutdown();
			this.server = null;
		}
	}

	/**
	 * Starts the broker (again, after {@link #interrupt()}) and waits until it answers.
	 */
	public synchronized void resume() {
		if (this.server != null) {
			return;
		}
		KafkaRaftServer server = new KafkaRaftServer(this.config, Time.SYSTEM);
		this.server = server;
		server.startup();
		awaitReady();
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		try (Admin admin = Admin.create(clientProperties())) {
			while (true) {
				try {
					if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
						return;
					}
				}
				catch (Exception ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("Kafka did not become ready on " + bootstrapServers(), ex);
					}
				}
			}
		}
	}

	@Override
	public void close() {
		interrupt();
		if (this.temporary) {
			try (Stream<Path> paths = Files.walk(this.directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
			catch (IOException ex) {
				// a temporary directory
			}
		}
	}

}
