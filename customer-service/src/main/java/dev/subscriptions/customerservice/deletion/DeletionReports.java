package dev.subscriptions.customerservice.deletion;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reports downstream services sent after revoking what a deleted customer had with
 * them.
 */
@Repository
public class DeletionReports {

	/**
	 * One service's report.
	 *
	 * @param customerEventId the event id of the {@code CustomerDeleted} it answers; null
	 * on reports received before it was kept
	 */
	public record Report(String service, int revokedCount, Instant completedAt, @Nullable UUID customerEventId) {
	}

	private final JdbcClient jdbc;

	DeletionReports(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a report, one per customer and service. A report that answers the
	 * customer's deletion (its {@code CustomerDeleted} event id) replaces one that does
	 * not; a report already answering it stays, whatever the clocks of the reporting
	 * services say. No timestamps of different machines are compared.
	 */
	public void record(DeletionReport report) {
		this.jdbc
			.sql("""
					insert into deletion_report (customer_id, service, revoked_count, completed_at, event_id, customer_event_id)
					values (?, ?, ?, ?, ?, ?)
					on conflict (customer_id, service) do update
					   set revoked_count = excluded.revoked_count, completed_at = excluded.completed_at,
					       event_id = excluded.event_id, customer_event_id = excluded.customer_event_id
					 where deletion_report.customer_event_id is distinct from
					       (select deletion_event_id from customer where id = deletion_report.customer_id)""")
			.params(report.customerId(), report.service(), report.revokedCount(), Timestamp.from(report.completedAt()),
					report.reportId(), report.customerEventId())
			.update();
	}

	public List<Report> of(UUID customerId) {
		return this.jdbc.sql("""
				select service, revoked_count, completed_at, customer_event_id from deletion_report
				where customer_id = ? order by service""")
			.param(customerId)
			.query((rs, row) -> new Report(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
					rs.getObject(4, UUID.class)))
			.list();
	}

}
