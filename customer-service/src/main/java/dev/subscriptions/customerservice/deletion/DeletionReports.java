package dev.subscriptions.customerservice.deletion;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reports downstream services sent after revoking what a deleted customer had with them.
 */
@Repository
public class DeletionReports {

	/** One service's report. */
	public record Report(String service, int revokedCount, Instant completedAt) {
	}

	private final JdbcClient jdbc;

	DeletionReports(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a report; a service that reports again (a later deletion event) replaces its earlier report. */
	public void record(UUID customerId, String service, int revokedCount, Instant completedAt, UUID eventId) {
		this.jdbc.sql("""
				insert into deletion_report (customer_id, service, revoked_count, completed_at, event_id)
				values (?, ?, ?, ?, ?)
				on conflict (customer_id, service) do update
				   set revoked_count = excluded.revoked_count, completed_at = excluded.completed_at,
				       event_id = excluded.event_id
				 where deletion_report.completed_at < excluded.completed_at""")
			.params(customerId, service, revokedCount, Timestamp.from(completedAt), eventId)
			.update();
	}

	public List<Report> of(UUID customerId) {
		return this.jdbc.sql("""
				select service, revoked_count, completed_at from deletion_report
				where customer_id = ? order by service""")
			.param(customerId)
			.query((rs, row) -> new Report(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant()))
			.list();
	}

}
