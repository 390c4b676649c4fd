package dev.subscriptions.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A login to one database of the local stack's PostgreSQL (each service has its own,
 * login = database name). Queries share one connection, so that polling a count does not
 * fork a server process each time on the measured machine.
 */
final class Database {

	private final String url;

	private final String login;

	private Connection queries;

	Database(String baseUrl, String database) {
		this.url = baseUrl + database;
		this.login = database;
	}

	/** A connection of its own, for the caller to close. */
	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.login, this.login);
	}

	/** The first row of a query as numbers. */
	synchronized double[] numbers(String sql, Object... parameters) throws SQLException {
		if (this.queries == null || this.queries.isClosed()) {
			this.queries = connect();
		}
		try (PreparedStatement statement = this.queries.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet row = statement.executeQuery()) {
				row.next();
				double[] values = new double[row.getMetaData().getColumnCount()];
				for (int i = 0; i < values.length; i++) {
					values[i] = row.getDouble(i + 1);
				}
				return values;
			}
		}
	}

	long count(String sql, Object... parameters) throws SQLException {
		return (long) numbers(sql, parameters)[0];
	}

}
