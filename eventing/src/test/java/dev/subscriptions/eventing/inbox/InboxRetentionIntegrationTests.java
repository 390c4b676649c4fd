package dev.subscriptions.eventing.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.infrastructure.EmbeddedInfrastructure;

/**
 * The inbox retention job against real PostgreSQL. The context's own job is off; each
 * test runs its own instances.
 */
@SpringBootTest(properties = "eventing.inbox.retention-enabled=false")
@Import(EmbeddedInfrastructure.class)
class InboxRetentionIntegrationTests {

	private static final Duration RETENTION = Duration.ofDays(30);

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	PlatformTransactionManager transactionManager;

	@BeforeEach
	void emptyInbox() {
		this.jdbc.update("delete from inbox");
	}

	@Test
	void deletesRowsOlderThanTheRetentionInBatchesAndKeepsRecentOnes() {
		insert("old", 2_500, "31 days");
		insert("recent", 10, "29 days");
		insert("now", 10, "0 seconds");
		MeterRegistry meters = new SimpleMeterRegistry();
		InboxRetention retention = retention(meters, 1_000, Duration.ofHours(1));

		InboxRetention.Purge purge = retention.purge();

		assertThat(purge).isEqualTo(new InboxRetention.Purge(true, 2_500, 3));
		assertThat(count("old")).isZero();
		assertThat(count("recent")).isEqualTo(10);
		assertThat(count("now")).isEqualTo(10);
		assertThat(meters.get("inbox.retention.deleted").counter().count()).isEqualTo(2_500);
		assertThat(retention.purge()).isEqualTo(new InboxRetention.Purge(true, 0, 0));
	}

	/**
	 * The first instance is stopped in the middle of a batch (a row it must delete is
	 * locked by another transaction); the second, run meanwhile, does not get the lock
	 * and deletes nothing. Once the row is free, the first finishes.
	 */
	@Test
	void letsOnlyOneInstanceDeleteAtATime() throws Exception {
		insert("old", 100, "31 days");
		InboxRetention first = retention(new SimpleMeterRegistry(), 1_000, Duration.ofHours(1));
		InboxRetention second = retention(new SimpleMeterRegistry(), 1_000, Duration.ofHours(1));
		CompletableFuture<InboxRetention.Purge> firstPurge;
		try (Connection blocker = this.dataSource.getConnection()) {
			blocker.setAutoCommit(false);
			try (PreparedStatement lockRow = blocker
				.prepareStatement("select event_id from inbox where consumer = 'old' limit 1 for update");
					ResultSet locked = lockRow.executeQuery()) {
				assertThat(locked.next()).isTrue();
			}
			firstPurge = CompletableFuture.supplyAsync(first::purge);
			await().atMost(Duration.ofSeconds(10)).until(this::retentionLockHeld);
			await().atMost(Duration.ofSeconds(10)).until(() -> waitingForARowLock() == 1);

			InboxRetention.Purge whileFirstDeletes = CompletableFuture.supplyAsync(second::purge)
				.get(10, TimeUnit.SECONDS);

			assertThat(whileFirstDeletes).isEqualTo(new InboxRetention.Purge(false, 0, 0));
			assertThat(firstPurge).isNotDone();
			assertThat(count("old")).isEqualTo(100);
			blocker.rollback();
		}
		assertThat(firstPurge.get(10, TimeUnit.SECONDS)).isEqualTo(new InboxRetention.Purge(true, 100, 1));
		assertThat(count("old")).isZero();
	}

	@Test
	void runsAgainAtEveryIntervalOnItsOwnThreadOnceStarted() {
		MeterRegistry meters = new SimpleMeterRegistry();
		InboxRetention retention = retention(meters, 1_000, Duration.ofMillis(200));
		insert("old", 50, "31 days");
		retention.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> count("old") == 0);
			insert("older", 70, "40 days");
			await().atMost(Duration.ofSeconds(10)).until(() -> count("older") == 0);
		}
		finally {
			retention.stop();
		}
		assertThat(meters.get("inbox.retention.deleted").counter().count()).isEqualTo(120);
		assertThat(retention.isRunning()).isFalse();
	}

	private InboxRetention retention(MeterRegistry meters, int batchSize, Duration interval) {
		return new InboxRetention(this.jdbc, new TransactionTemplate(this.transactionManager), meters,
				new InboxRetention.Settings(RETENTION, batchSize, interval));
	}

	private void insert(String consumer, int rows, String age) {
		this.jdbc.update("""
				insert into inbox (consumer, event_id, processed_at)
				select ?, gen_random_uuid(), clock_timestamp() - cast(? as interval) from generate_series(1, ?)""",
				consumer, age, rows);
	}

	private int count(String consumer) {
		return this.jdbc.queryForObject("select count(*) from inbox where consumer = ?", Integer.class, consumer);
	}

	private boolean retentionLockHeld() {
		return this.jdbc.queryForObject("""
				select count(*) from pg_locks
				where locktype = 'advisory' and granted and classid = ? and objid = ? and objsubid = 1""",
				Integer.class, InboxRetention.LOCK_KEY >>> 32, InboxRetention.LOCK_KEY & 0xffffffffL) == 1;
	}

	private int waitingForARowLock() {
		return this.jdbc.queryForObject("""
				select count(*) from pg_stat_activity
				where datname = current_database() and wait_event_type = 'Lock' and query like 'delete from inbox%'""",
				Integer.class);
	}

}
