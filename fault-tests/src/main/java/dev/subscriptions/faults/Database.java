package dev.subscriptions.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One service's database, read by the checker over plain JDBC (a new connection per
 * query, so a restarted server is no concern).
 */
final class Database {

	private final String url;

	private final String login;

	Database(String url, String login) {
		this.url = url;
		this.login = login;
	}

	/** A row of a query's result, its columns as objects. */
	record Row(Object[] values) {

		String text(int column) {
			Object value = this.values[column];
			return (value != null) ? value.toString() : null;
		}

		long number(int column) {
			return ((Number) this.values[column]).longValue();
		}

	}

	List<Row> query(String sql, Object... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, this.login, this.login);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				List<Row> rows = new ArrayList<>();
				int columns = result.getMetaData().getColumnCount();
				while (result.next()) {
					Object[] values = new Object[columns];
					for (int c = 0; c < columns; c++) {
						values[c] = result.getObject(c + 1);
					}
					rows.add(new Row(values));
				}
				return rows;
			}
		}
	}

	long count(String sql, Object... parameters) throws SQLException {
		return query(sql, parameters).get(0).number(0);
	}

	/** Rows in the outbox, and in the parked outbox where that table exists. */
	long outboxRows() throws SQLException {
		return count("select count(*) from outbox") + parkedRows();
	}

	long parkedRows() throws SQLException {
		if (query("select to_regclass('outbox_parked')").get(0).values()[0] == null) {
			return 0;
		}
		return count("select count(*) from outbox_parked");
	}

}
