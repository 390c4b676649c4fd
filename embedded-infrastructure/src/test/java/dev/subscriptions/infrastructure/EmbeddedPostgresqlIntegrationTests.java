package dev.subscriptions.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EmbeddedPostgresqlIntegrationTests {

	@Test
	void recordsTheCommitTimeOfEachTransaction() throws Exception {
		String database = SharedInfrastructure.newDatabase("commits");

		try (Connection connection = SharedInfrastructure.postgresql().dataSource(database).getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create table committed (id int primary key)");
			statement.execute("insert into committed values (1)");
			try (ResultSet result = statement.executeQuery(
					"select pg_xact_commit_timestamp(xmin) between now() - interval '1 minute' and clock_timestamp() "
							+ "from committed")) {
				result.next();
				assertThat(result.getBoolean(1)).isTrue();
			}
		}
	}

	@Test
	void keepsSynchronousCommitOffUnlessTheCallerSetsIt() throws Exception {
		try (EmbeddedPostgresql synchronous = EmbeddedPostgresql.startClosedByCaller(0, null,
				Map.of("synchronous_commit", "on"))) {
			assertThat(synchronousCommit(synchronous)).isEqualTo("on");
		}
		assertThat(synchronousCommit(SharedInfrastructure.postgresql())).isEqualTo("off");
	}

	private static String synchronousCommit(EmbeddedPostgresql postgres) throws Exception {
		postgres.createDatabase("settings");
		try (Connection connection = postgres.dataSource("settings").getConnection();
				ResultSet result = connection.createStatement().executeQuery("show synchronous_commit")) {
			result.next();
			return result.getString(1);
		}
	}

}
