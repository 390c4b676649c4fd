package dev.subscriptions.infrastructure;

import java.nio.file.Path;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker, database server and schema registry that all tests of one JVM share: each
 * is started once, on first use, and stopped when the JVM exits. Tests isolate themselves
 * by database and topic names, not by servers.
 */
public final class SharedInfrastructure {

	private static final AtomicInteger databases = new AtomicInteger();

	private static final List<AutoCloseable> dependents = new CopyOnWriteArrayList<>();

	private static final Deque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(SharedInfrastructure::closeAll, "shared-infrastructure-exit"));
	}

	private SharedInfrastructure() {
	}

	/** The Kafka broker. */
	public static EmbeddedKafka kafka() {
		return Kafka.INSTANCE;
	}

	/** The PostgreSQL server. */
	public static EmbeddedPostgresql postgresql() {
		return Postgresql.INSTANCE;
	}

	/** The schema registry. */
	public static ApicurioRegistry schemaRegistry() {
		return Registry.INSTANCE;
	}

	/**
	 * Creates a new, empty database (with a login of the same name) and returns its name.
	 */
	public static String newDatabase(String prefix) {
		String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
		postgresql().createDatabase(name);
		return name;
	}

	/**
	 * Closes {@code dependent} (a service process using the infrastructure, say) when the
	 * JVM exits, before the infrastructure itself: a service stopped after its broker
	 * would wait for it in vain. Dependents are closed all at once.
	 */
	public static <T extends AutoCloseable> T closedBeforeInfrastructure(T dependent) {
		dependents.add(dependent);
		return dependent;
	}

	private static <T extends AutoCloseable> T closedOnExit(T resource) {
		resources.push(resource);
		return resource;
	}

	/** The dependents at once, then the infrastructure, the last started first. */
	private static void closeAll() {
		CompletableFuture
			.allOf(dependents.stream()
				.map(dependent -> CompletableFuture.runAsync(() -> close(dependent)))
				.toArray(CompletableFuture[]::new))
			.join();
		resources.forEach(SharedInfrastructure::close);
	}

	private static void close(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// the JVM is exiting
		}
	}

	private static final class Kafka {

		static final EmbeddedKafka INSTANCE = closedOnExit(EmbeddedKafka.start(0, null));

	}

	private static final class Postgresql {

		static final EmbeddedPostgresql INSTANCE = closedOnExit(EmbeddedPostgresql.startClosedByCaller(0, null));

	}

	private static final class Registry {

		static final ApicurioRegistry INSTANCE = closedOnExit(
				ApicurioRegistry.start(0, Path.of("target", "apicurio-registry.log")));

	}

}
