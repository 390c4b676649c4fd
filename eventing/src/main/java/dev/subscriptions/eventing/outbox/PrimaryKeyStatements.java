package dev.subscriptions.eventing.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;

/**
 * The relay's statements on the outbox, which PostgreSQL runs by the primary key whatever
 * its statistics of the table say: each goes with {@code set local enable_seqscan = off}
 * before it, in the same round trip and the same implicit transaction, so the setting
 * holds for that statement alone.
 * <p>
 * The outbox is a queue, empty most of the time, and autovacuum records it so
 * ({@code reltuples} 0, no column statistics). A statement pgjdbc prepares on the server
 * (from its fifth execution) gets a generic plan from PostgreSQL once five custom plans
 * cost no less, and a plan made for an outbox of a page or two scans it whole: the read,
 * {@code order by position limit ?}, became a sequential scan and a sort of every row,
 * and the delete by {@code position = any(?)} a sequential scan, for each batch of a
 * backlog that came later, until an autoanalyze replaced the plan. A backlog then drained
 * in time that grows with the square of its size: on 100,000 rows, 21.6 ms per read of
 * 500 and 95 ms per delete of 50, against 0.2 ms and under 1 ms by the primary key.
 * Planning each execution afresh is not enough either: without column statistics
 * PostgreSQL guesses a third of the rows for {@code position > ?} and still prefers a
 * sequential scan and a sort of a backlog of some thousands.
 */
final class PrimaryKeyStatements {

	private static final String BY_PRIMARY_KEY = "set local enable_seqscan = off;\n";

	private final JdbcTemplate jdbc;

	PrimaryKeyStatements(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The rows of a query, each mapped. */
	<T> List<T> query(String sql, RowMapper<T> rowMapper, Object... args) {
		List<T> rows = afterTheSetting(sql, args, (statement) -> {
			try (ResultSet result = statement.getResultSet()) {
				if (result == null) {
					throw new IllegalStateException("No rows came back from: " + sql);
				}
				return new RowMapperResultSetExtractor<>(rowMapper).extractData(result);
			}
		});
		return (rows != null) ? rows : List.of();
	}

	/** The number of rows an update or delete changed. */
	int update(String sql, Object... args) {
		Integer changed = afterTheSetting(sql, args, PreparedStatement::getUpdateCount);
		return (changed != null) ? changed : 0;
	}

	/**
	 * Runs the setting and then {@code sql} in one execution, and hands the statement on
	 * at the second one's result.
	 */
	private <T> @Nullable T afterTheSetting(String sql, Object[] args, PreparedStatementCallback<T> result) {
		return this.jdbc.execute(BY_PRIMARY_KEY + sql, (PreparedStatement statement) -> {
			new ArgumentPreparedStatementSetter(args).setValues(statement);
			statement.execute();
			statement.getMoreResults();
			return result.doInPreparedStatement(statement);
		});
	}

}
