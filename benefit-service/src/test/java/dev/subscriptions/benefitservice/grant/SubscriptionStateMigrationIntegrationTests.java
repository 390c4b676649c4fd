package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;

/**
 * A database deployed before {@code subscription_state.last_event} held domain names
 * keeps working: its rows, written with the Avro record names, are rewritten by migration
 * V3 to the {@link SubscriptionChange} they stood for, and they go on driving the
 * past-due clock. The rows are written here as the earlier code wrote them, and V3 (which
 * Flyway ran at start-up on an empty table) is run again over them.
 */
@BenefitServiceIntegrationTest
class SubscriptionStateMigrationIntegrationTests {

	private static final String V3 = "db/migration/V3__subscription_changes_by_domain_name.sql";

	@Autowired
	GrantManagement grants;

	@Autowired
	PastDueGrace pastDueGrace;

	@Autowired
	BenefitManagement benefits;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	private final UUID customer = UUID.randomUUID();

	@BeforeEach
	void productWithThreeBenefits() {
		List<UUID> ids = new ArrayList<>();
		for (String key : List.of("reports", "api", "community")) {
			ids.add(this.benefits.create(this.organization, BenefitType.FEATURE_FLAG, key, null, null).getId());
		}
		this.benefits.mapProduct(this.organization, this.product, ids);
	}

	@Test
	void ranAtStartUp() {
		assertThat(this.jdbc.sql("select success from flyway_schema_history where version = '3'")
			.query(Boolean.class)
			.single()).isTrue();
	}

	@Test
	void rewritesTheRecordNameOfEveryRowToTheChangeItStoodFor() {
		Map<UUID, String> expected = new LinkedHashMap<>();
		expected.put(writtenBefore("SubscriptionCreated"), "CREATED");
		expected.put(writtenBefore("SubscriptionActivated"), "ACTIVATED");
		expected.put(writtenBefore("SubscriptionResumed"), "RESUMED");
		expected.put(writtenBefore("SubscriptionUncanceled"), "UNCANCELED");
		expected.put(writtenBefore("SubscriptionCanceled"), "CANCELED_AT_PERIOD_END");
		expected.put(writtenBefore("SubscriptionPastDue"), "PAST_DUE");
		expected.put(writtenBefore("SubscriptionPaused"), "PAUSED_FREE");
		expected.put(writtenBefore("SubscriptionEnded"), "ENDED");
		expected.put(writtenBefore("SubscriptionPaused", SubscriptionChange.PAUSED_VOID), "PAUSED_VOID");
		expected.put(writtenBefore("SubscriptionEnded", SubscriptionChange.ENDED), "ENDED");
		expected.put(writtenBefore("SubscriptionEnded", SubscriptionChange.ENDED_BY_CUSTOMER_DELETION),
				"ENDED_BY_CUSTOMER_DELETION");

		migrate();

		expected.forEach(
				(subscription, change) -> assertThat(lastEvent(subscription)).as("%s", subscription).isEqualTo(change));
	}

	@Test
	void drivesThePastDueClockFromARowWrittenBefore() {
		UUID subscription = UUID.randomUUID();
		Instant pastDueSince = Instant.now().minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.MILLIS);
		this.grants.apply(changed(subscription, SubscriptionChange.CREATED, 1, Instant.now()));
		this.jdbc.sql("""
				update subscription_state set last_sequence = 2, last_event = 'SubscriptionPastDue', past_due_since = ?
				where subscription_id = ?""").params(Timestamp.from(pastDueSince), subscription).update();

		migrate();
		this.pastDueGrace.suspendGrantsOfSubscriptionsPastDueBeyondGrace();
		assertThat(this.grants.find(this.organization, null, subscription, GrantState.SUSPENDED)).hasSize(3);

		this.grants.apply(changed(subscription, SubscriptionChange.RESUMED, 3, Instant.now()));
		this.grants.apply(changed(subscription, SubscriptionChange.PAST_DUE, 4, Instant.now()));
		assertThat(this.grants.find(this.organization, null, subscription, GrantState.SUSPENDED)).hasSize(3);
		assertThat(pastDueSince(subscription)).contains(pastDueSince);

		this.grants.apply(changed(subscription, SubscriptionChange.ACTIVATED, 5, Instant.now()));
		assertThat(this.grants.find(this.organization, null, subscription, GrantState.ACTIVE)).hasSize(3);
		assertThat(pastDueSince(subscription)).isEmpty();
		assertThat(lastEvent(subscription)).isEqualTo("ACTIVATED");
	}

	/**
	 * A row as the earlier code left it after an event of this record name, with no
	 * grant.
	 */
	private UUID writtenBefore(String recordName) {
		UUID subscription = UUID.randomUUID();
		this.jdbc.sql("""
				insert into subscription_state (subscription_id, customer_id, last_sequence, last_event, updated_at)
				values (?, ?, 1, ?, now())""").params(subscription, this.customer, recordName).update();
		return subscription;
	}

	/**
	 * A row as the earlier code left it after the event of this record name that stood
	 * for {@code change}.
	 */
	private UUID writtenBefore(String recordName, SubscriptionChange change) {
		UUID subscription = UUID.randomUUID();
		this.grants.apply(changed(subscription, SubscriptionChange.CREATED, 1, Instant.now()));
		this.grants.apply(changed(subscription, change, 2, Instant.now()));
		this.jdbc.sql("update subscription_state set last_event = ? where subscription_id = ?")
			.params(recordName, subscription)
			.update();
		return subscription;
	}

	private void migrate() {
		new ResourceDatabasePopulator(new ClassPathResource(V3)).execute(this.dataSource);
	}

	private String lastEvent(UUID subscription) {
		return this.jdbc.sql("select last_event from subscription_state where subscription_id = ?")
			.param(subscription)
			.query(String.class)
			.single();
	}

	private Optional<Instant> pastDueSince(UUID subscription) {
		return this.jdbc.sql("select past_due_since from subscription_state where subscription_id = ?")
			.param(subscription)
			.query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
			.single();
	}

	private SubscriptionChanged changed(UUID subscription, SubscriptionChange change, long sequence,
			Instant occurredAt) {
		return new SubscriptionChanged(change, this.organization, this.customer, subscription, this.product, sequence,
				occurredAt);
	}

}
