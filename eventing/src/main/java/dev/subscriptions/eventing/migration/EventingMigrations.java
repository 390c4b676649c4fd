package dev.subscriptions.eventing.migration;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Migrates the eventing tables (outbox, inbox, parked rows) with a Flyway history of
 * their own, after the service's own schema.
 * <p>
 * A history of its own lets eventing add migrations whatever versions a service uses: in
 * one shared history an eventing {@code V2} would sort below a service's {@code V7} and
 * Flyway would refuse to start. The eventing history is table {@value #HISTORY_TABLE};
 * its scripts live in {@code classpath:db/eventing}.
 * <p>
 * Databases created before this split have the first eventing script
 * ({@value #LEGACY_SCRIPT}) in the service's own history. Such a database is baselined at
 * eventing version 1 and the stale row is removed from the service's history, once,
 * before either history is validated. The eventing history starts at version 0 ("no
 * eventing table yet") in a schema the service's tables already fill.
 */
public class EventingMigrations implements FlywayMigrationStrategy {

	/** The Flyway history table of the eventing tables. */
	public static final String HISTORY_TABLE = "eventing_schema_history";

	/** Where the eventing scripts are. */
	public static final String LOCATION = "classpath:db/eventing";

	static final String LEGACY_SCRIPT = "V0_1__outbox_and_inbox.sql";

	private static final Logger log = LoggerFactory.getLogger(EventingMigrations.class);

	private final String[] locations;

	public EventingMigrations(String... locations) {
		this.locations = (locations.length == 0) ? new String[] { LOCATION } : locations;
	}

	/**
	 * Migrates the service's schema, then the eventing tables (neither depends on the
	 * other).
	 */
	@Override
	public void migrate(Flyway service) {
		DataSource dataSource = service.getConfiguration().getDataSource();
		String serviceHistory = service.getConfiguration().getTable();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		if (legacyLayout(jdbc, serviceHistory)) {
			log.info("Moving the eventing migration out of {} into {}", serviceHistory, HISTORY_TABLE);
			eventing(dataSource).baselineVersion("1").load().baseline();
			jdbc.update("delete from " + serviceHistory + " where script = ?", LEGACY_SCRIPT);
		}
		service.migrate();
		eventing(dataSource).baselineOnMigrate(true).baselineVersion("0").load().migrate();
	}

	private FluentConfiguration eventing(DataSource dataSource) {
		return Flyway.configure().dataSource(dataSource).table(HISTORY_TABLE).locations(this.locations);
	}

	private static boolean legacyLayout(JdbcTemplate jdbc, String serviceHistoryTable) {
		if (exists(jdbc, HISTORY_TABLE) || !exists(jdbc, serviceHistoryTable)) {
			return false;
		}
		Integer rows = jdbc.queryForObject("select count(*) from " + serviceHistoryTable + " where script = ?",
				Integer.class, LEGACY_SCRIPT);
		return rows != null && rows > 0;
	}

	private static boolean exists(JdbcTemplate jdbc, String table) {
		return Boolean.TRUE.equals(jdbc.queryForObject("select to_regclass(current_schema() || '.' || ?) is not null",
				Boolean.class, table));
	}

}
