package dev.subscriptions.infrastructure;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker, database server and schema registry that all tests of one JVM share: each
 * is started once, on first use, and stopped when the JVM exits. Tests isolate themselves
 * by database and topic names, not by servers.
 */
public final class SharedInfrastructure {

	private static final AtomicInteger databases = new AtomicInteger();

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

	private static <T extends AutoCloseable> T closedOnExit(T resource) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				resource.close();
			}
			catch (Exception ex) {
				// the JVM is exiting
			}
		}));
		return resource;
	}

	private static final class Kafka {

		static final EmbeddedKafka INSTANCE = closedOnExit(EmbeddedKafka.start(0, null));

	}

	private static final class Postgresql {

		static final EmbeddedPostgresql INSTANCE = closedOnExit(EmbeddedPostgresql.start(0, null));

	}

	private static final class Registry {

		static final ApicurioRegistry INSTANCE = closedOnExit(
				ApicurioRegistry.start(0, Path.of("target", "apicurio-registry.log")));

	}

}
