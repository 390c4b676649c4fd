package dev.subscriptions.customerservice.deletion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

	private static final String UPSERT = """
			insert into deletion_report (customer_id, service, revoked_count, completed_at, event_id, customer_event_id)
			select * from unnest(?::uuid[], ?::varchar[], ?::int[], ?::timestamptz[], ?::uuid[], ?::uuid[])
			on conflict (customer_id, service) do update
			   set revoked_count = excluded.revoked_count, completed_at = excluded.completed_at,
			       event_id = excluded.event_id, customer_event_id = excluded.customer_event_id
			 where deletion_report.customer_event_id is distinct from
			       (select deletion_event_id from customer where id = deletion_report.customer_id)""";

	private static final Comparator<DeletionReport> BY_PAIR = Comparator.comparing(DeletionReport::customerId)
		.thenComparing(DeletionReport::service);

	private final JdbcClient jdbc;

	DeletionReports(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records reports, one per customer and service, each in turn. A report that answers
	 * the customer's deletion (its {@code CustomerDeleted} event id) replaces one that
	 * does not; a report already answering it stays, whatever the clocks of the reporting
	 * services say. No timestamps of different machines are compared.
	 * <p>
	 * One statement records a run of reports of distinct customer and service; a report
	 * of a pair already in the run starts the next run, so that it sees the earlier. A
	 * statement writes its rows in the order of customer and service, so that two
	 * transactions recording reports of the same pairs take their row locks in the same
	 * order.
	 */
	public void recordAll(List<DeletionReport> reports) {
		for (List<DeletionReport> run : runsOfDistinctPairs(reports)) {
			this.jdbc.sql(UPSERT)
				.params(run.stream().map(DeletionReport::customerId).toArray(UUID[]::new),
						run.stream().map(DeletionReport::service).toArray(String[]::new),
						run.stream().mapToInt(DeletionReport::revokedCount).toArray(),
						run.stream().map(report -> report.completedAt().toString()).toArray(String[]::new),
						run.stream().map(DeletionReport::reportId).toArray(UUID[]::new),
						run.stream().map(DeletionReport::customerEventId).toArray(UUID[]::new))
				.update();
		}
	}

	private static List<List<DeletionReport>> runsOfDistinctPairs(List<DeletionReport> reports) {
		List<List<DeletionReport>> runs = new ArrayList<>();
		List<DeletionReport> run = new ArrayList<>();
		Set<List<Object>> pairs = new HashSet<>();
		for (DeletionReport report : reports) {
			if (!pairs.add(List.of(report.customerId(), report.service()))) {
				runs.add(run);
				run = new ArrayList<>();
				pairs.clear();
				pairs.add(List.of(report.customerId(), report.service()));
			}
			run.add(report);
		}
		if (!run.isEmpty()) {
			runs.add(run);
		}
		runs.forEach(each -> each.sort(BY_PAIR));
		return runs;
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
