package dev.subscriptions.eventing.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The eventing tables keep a Flyway history of their own, so eventing and the services
 * version their migrations independently.
 */
class EventingMigrationsIntegrationTests {

	private static final String SERVICE_HISTORY = "flyway_schema_history";

	@Test
	void appliesANewEventingMigrationAfterTheServicesOwn() {
		DataSource database = newDatabase();
		Flyway service = service(database, "classpath:db/test", "classpath:db/migration-test/service-v7");
		new EventingMigrations().migrate(service);

		new EventingMigrations(EventingMigrations.LOCATION, "classpath:db/migration-test/eventing-later")
			.migrate(service);

		JdbcTemplate jdbc = new JdbcTemplate(database);
		List<String> eventing = new ArrayList<>(eventingVersions());
		eventing.add("1000");
		assertThat(versions(jdbc, EventingMigrations.HISTORY_TABLE)).containsExactlyElementsOf(eventing);
		assertThat(versions(jdbc, SERVICE_HISTORY)).containsExactly("1", "7");
		assertThat(exists(jdbc, "eventing_table_added_later")).isTrue();
		assertThat(exists(jdbc, "service_table_added_later")).isTrue();
	}

	@Test
	void migratesTheEventingTablesBeforeTheServicesOwnOnAnEmptyDatabase() {
		DataSource database = newDatabase();

		new EventingMigrations().migrate(service(database, "classpath:db/test"));

		JdbcTemplate jdbc = new JdbcTemplate(database);
		assertThat(exists(jdbc, "outbox")).isTrue();
		assertThat(exists(jdbc, "inbox")).isTrue();
		assertThat(versions(jdbc, SERVICE_HISTORY)).containsExactly("1");
	}

	/**
	 * A database migrated before eventing had a history of its own has eventing's first
	 * script in the service's history; it starts again without being migrated twice, and
	 * Flyway's validation passes.
	 */
	@Test
	void takesOverADatabaseWhoseServiceHistoryHoldsTheEventingScript() {
		DataSource database = newDatabase();
		service(database, "classpath:db/migration-test/legacy-eventing", "classpath:db/test").migrate();
		JdbcTemplate jdbc = new JdbcTemplate(database);
		jdbc.update("insert into outbox (id, aggregatetype, aggregateid, type, payload, topic) "
				+ "values (gen_random_uuid(), 't', 'k', 'T', '\\x00'::bytea, 't')");

		new EventingMigrations().migrate(service(database, "classpath:db/test"));
		new EventingMigrations().migrate(service(database, "classpath:db/test"));

		assertThat(versions(jdbc, SERVICE_HISTORY)).containsExactly("1");
		assertThat(versions(jdbc, EventingMigrations.HISTORY_TABLE)).containsExactlyElementsOf(eventingVersions());
		assertThat(jdbc.queryForObject("select type from " + EventingMigrations.HISTORY_TABLE + " where version = '1'",
				String.class))
			.isEqualTo("BASELINE");
		assertThat(jdbc.queryForObject("select count(*) from outbox", Integer.class)).isOne();
	}

	/** The versions of the eventing scripts this build ships, oldest first. */
	private static List<String> eventingVersions() {
		return Arrays.stream(
				Flyway.configure().dataSource(newDatabase()).locations(EventingMigrations.LOCATION).load().info().all())
			.map(migration -> migration.getVersion().getVersion())
			.toList();
	}

	private static Flyway service(DataSource database, String... locations) {
		return Flyway.configure().dataSource(database).locations(locations).load();
	}

	private static DataSource newDatabase() {
		return SharedInfrastructure.postgresql().dataSource(SharedInfrastructure.newDatabase("migrations"));
	}

	private static List<String> versions(JdbcTemplate jdbc, String history) {
		return jdbc.queryForList(
				"select version from " + history
						+ " where success and version is not null and version <> '0' order by installed_rank",
				String.class);
	}

	private static boolean exists(JdbcTemplate jdbc, String table) {
		return Boolean.TRUE.equals(jdbc.queryForObject("select to_regclass(?) is not null", Boolean.class, table));
	}

}
