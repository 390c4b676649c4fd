package dev.subscriptions.infrastructure;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Real PostgreSQL 17 binaries, started as a child process without Docker.
 * <p>
 * The server keeps zonky's defaults ({@code synchronous_commit=off} among them: a commit
 * does not wait for its WAL flush, so a crash of the machine can lose the last
 * transactions, never corrupt the data) unless the caller sets others, and records the
 * commit time of each transaction ({@code track_commit_timestamp=on}), which the
 * benchmark reads with {@code pg_xact_commit_timestamp(xmin)} to time each stage of a
 * deletion.
 */
public final class EmbeddedPostgresql implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresql(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	/**
	 * Starts a server, stopped at the latest when the JVM exits.
	 * @param port the port, or 0 for any free one
	 * @param dataDirectory where the cluster lives (kept across restarts), or
	 * {@code null} for a temporary one
	 */
	public static EmbeddedPostgresql start(int port, File dataDirectory) {
		return start(port, dataDirectory, true);
	}

	/**
	 * Starts a server that only {@link #close()} stops, not the JVM's exit: for callers
	 * that stop what uses it first (services, say) and then the server itself.
	 * @param port the port, or 0 for any free one
	 * @param dataDirectory where the cluster lives (kept across restarts), or
	 * {@code null} for a temporary one
	 */
	public static EmbeddedPostgresql startClosedByCaller(int port, File dataDirectory) {
		return startClosedByCaller(port, dataDirectory, Map.of());
	}

	/**
	 * {@link #startClosedByCaller(int, File)} with server settings of the caller's on top
	 * of this class's, e.g. {@code synchronous_commit=on}.
	 * @param port the port, or 0 for any free one
	 * @param dataDirectory where the cluster lives (kept across restarts), or
	 * {@code null} for a temporary one
	 * @param settings {@code postgresql.conf} settings by name
	 */
	public static EmbeddedPostgresql startClosedByCaller(int port, File dataDirectory, Map<String, String> settings) {
		return start(port, dataDirectory, false, settings);
	}

	private static EmbeddedPostgresql start(int port, File dataDirectory, boolean stoppedOnExit) {
		return start(port, dataDirectory, stoppedOnExit, Map.of());
	}

	private static EmbeddedPostgresql start(int port, File dataDirectory, boolean stoppedOnExit,
			Map<String, String> settings) {
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setRegisterShutdownHook(stoppedOnExit)
				.setServerConfig("max_connections", "300")
				.setServerConfig("fsync", "on")
				.setServerConfig("track_commit_timestamp", "on");
			settings.forEach(builder::setServerConfig);
			if (port > 0) {
				builder.setPort(port);
			}
			if (dataDirectory != null) {
				builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
			}
			return new EmbeddedPostgresql(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL did not start", ex);
		}
	}

	public int port() {
		return this.postgres.getPort();
	}

	/** A JDBC URL of a database on this server. */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + port() + "/" + database;
	}

	/**
	 * Creates a database owned by a login of the same name (password = name), unless it
	 * exists.
	 */
	public void createDatabase(String name) {
		if (!name.matches("[a-z_][a-z0-9_]*")) {
			throw new IllegalArgumentException("Not a plain database name: " + name);
		}
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			if (!exists(statement, "select 1 from pg_roles where rolname = '" + name + "'")) {
				statement.execute("create role " + name + " login password '" + name + "'");
			}
			if (!exists(statement, "select 1 from pg_database where datname = '" + name + "'")) {
				statement.execute("create database " + name + " owner " + name);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name, ex);
		}
	}

	/**
	 * A data source for the login and database created by
	 * {@link #createDatabase(String)}.
	 */
	public DataSource dataSource(String database) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(jdbcUrl(database));
		dataSource.setUser(database);
		dataSource.setPassword(database);
		return dataSource;
	}

	private static boolean exists(Statement statement, String query) throws SQLException {
		try (var result = statement.executeQuery(query)) {
			return result.next();
		}
	}

	@Override
	public void close() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
