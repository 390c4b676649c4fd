package dev.subscriptions.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

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

	String url() {
		return this.url;
	}

	String login() {
		return this.login;
	}

	/** A connection of its own, for the caller to close. */
	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.login, this.login);
	}

	/** The first row of a query as numbers. */
	double[] numbers(String sql, Object... parameters) throws SQLException {
		return rows(sql, parameters).get(0).numbers();
	}

	/**
	 * Every row of a query; a {@code String[]} parameter is bound as a {@code text[]}
	 * (cast it in SQL, e.g. {@code any(?::uuid[])}).
	 */
	synchronized List<Row> rows(String sql, Object... parameters) throws SQLException {
		if (this.queries == null || this.queries.isClosed()) {
			this.queries = connect();
		}
		try (PreparedStatement statement = this.queries.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				if (parameters[i] instanceof String[] texts) {
					statement.setArray(i + 1, this.queries.createArrayOf("text", texts));
				}
				else {
					statement.setObject(i + 1, parameters[i]);
				}
			}
			try (ResultSet result = statement.executeQuery()) {
				List<Row> rows = new ArrayList<>();
				int columns = result.getMetaData().getColumnCount();
				while (result.next()) {
					Object[] values = new Object[columns];
					for (int i = 0; i < columns; i++) {
						values[i] = result.getObject(i + 1);
					}
					rows.add(new Row(values));
				}
				return rows;
			}
		}
	}

	/**
	 * Runs a statement (or several, separated by semicolons) on a connection of its own.
	 */
	void execute(String sql) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** A setting of the server as this login's sessions see it ({@code show}). */
	String setting(String name) throws SQLException {
		return String.valueOf(rows("select current_setting(?)", name).get(0).text(0));
	}

	long count(String sql, Object... parameters) throws SQLException {
		return (long) numbers(sql, parameters)[0];
	}

	/** A row of a query's result. */
	record Row(Object[] values) {

		@Nullable String text(int column) {
			Object value = this.values[column];
			return (value != null) ? value.toString() : null;
		}

		/** A number column, {@code NaN} when null. */
		double number(int column) {
			Object value = this.values[column];
			return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
		}

		double[] numbers() {
			double[] numbers = new double[this.values.length];
			for (int i = 0; i < numbers.length; i++) {
				numbers[i] = number(i);
			}
			return numbers;
		}

	}

}
