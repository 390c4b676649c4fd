package dev.subscriptions.customerservice.deletion;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.subscriptions.customerservice.CustomerServiceSettings;
import dev.subscriptions.customerservice.customer.CustomerEvent;
import dev.subscriptions.customerservice.customer.CustomersDeleted;

/**
 * When each deletion's receipt became complete, kept in {@code customer_deletion}, and
 * what operators see of it:
 * <ul>
 * <li>{@value #COMPLETION} ({@code customer_deletion_completion_seconds_bucket},
 * {@code _count}, {@code _sum} in Prometheus): the time from a deletion to the moment its
 * receipt became complete, recorded once per deletion, by the instance that recorded the
 * completing report, once that has committed;</li>
 * <li>{@value #INCOMPLETE} ({@code customer_deletions_incomplete}): deletions whose
 * receipt is still incomplete {@code customer-service.deletion.incomplete-after} (5
 * minutes by default) after the deletion. It counts the database's deletions, so every
 * instance shows the same number; its query reads only incomplete rows (a partial index)
 * and runs at most once a second however often it is scraped.</li>
 * </ul>
 * Both times are this service's clock: the deletion's {@code deletedAt} and the moment
 * the completing report was recorded; the reporting services' clocks play no part.
 */
@Component
public class DeletionCompletions {

	/** The histogram of deletion-to-complete-receipt time. */
	static final String COMPLETION = "customer.deletion.completion";

	/** The gauge of deletions still incomplete after the threshold. */
	static final String INCOMPLETE = "customer.deletions.incomplete";

	private static final long SNAPSHOT_MILLIS = 1000;

	private final JdbcClient jdbc;

	/** The required services, each once, as the statements take them. */
	private final String[] requiredServices;

	private final Clock clock;

	private final Duration incompleteAfter;

	private final Timer completion;

	private volatile Snapshot incomplete = new Snapshot(0, 0);

	DeletionCompletions(JdbcClient jdbc, Clock clock, CustomerServiceSettings settings, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.requiredServices = settings.deletion().requiredServices().stream().distinct().toArray(String[]::new);
		this.clock = clock;
		this.incompleteAfter = settings.deletion().incompleteAfter();
		this.completion = Timer.builder(COMPLETION)
			.description("Time from a customer's deletion until its deletion receipt was complete")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(10))
			.maximumExpectedValue(Duration.ofHours(1))
			.register(meters);
		Gauge.builder(INCOMPLETE, this, DeletionCompletions::incomplete)
			.description("Deletions whose receipt is still incomplete " + this.incompleteAfter + " after the deletion")
			.register(meters);
	}

	/**
	 * Keeps the deletion, in its transaction. No report can answer a deletion before its
	 * transaction commits (a report names the deletion's event id, created in it), so the
	 * receipt is complete at once only when no service is required, and nothing is read
	 * to find out.
	 */
	@EventListener
	void on(CustomerEvent.Deleted deleted) {
		keep(List.of(deleted));
	}

	/** Customers deleted together: their deletions in one statement. */
	@EventListener
	void on(CustomersDeleted deleted) {
		keep(deleted.deletions());
	}

	private void keep(List<CustomerEvent.Deleted> deletions) {
		UUID[] customers = deletions.stream().map(CustomerEvent.Deleted::customerId).toArray(UUID[]::new);
		String[] deletedAt = deletions.stream().map(deleted -> deleted.deletedAt().toString()).toArray(String[]::new);
		if (this.requiredServices.length > 0) {
			this.jdbc.sql("""
					insert into customer_deletion (customer_id, deleted_at)
					select * from unnest(?::uuid[], ?::timestamptz[]) on conflict do nothing""")
				.params(customers, deletedAt)
				.update();
			return;
		}
		Instant completedAt = this.clock.instant();
		List<Duration> took = this.jdbc
			.sql("""
					insert into customer_deletion (customer_id, deleted_at, completed_at)
					select d.customer_id, d.deleted_at, ? from unnest(?::uuid[], ?::timestamptz[]) as d(customer_id, deleted_at)
					on conflict do nothing
					returning deleted_at""")
			.params(Timestamp.from(completedAt), customers, deletedAt)
			.query((rs, row) -> took(rs.getTimestamp(1).toInstant(), completedAt))
			.list();
		recordAfterCommit(took);
	}

	/**
	 * Reports on the customers were recorded, in this transaction: the receipts they
	 * completed are kept as complete and, once committed, recorded in the histogram.
	 * <p>
	 * A receipt is complete when every required service has a report that answers the
	 * customer's deletion: its {@code customer_event_id} is the customer's
	 * {@code deletion_event_id}, or the customer has none (deleted before it was kept),
	 * the rule of {@link DeletionReceipts}. The incomplete deletions are locked first, in
	 * the order of their ids, and read in the next statement, so that of two transactions
	 * recording reports of one customer at once the later sees the earlier's; a receipt
	 * completes once, however many reports follow. Nothing happens for a customer whose
	 * deletion is not kept (a live one, or one deleted before deletions were kept). Two
	 * statements, whatever the number of customers; one when none of them has an
	 * incomplete deletion.
	 */
	@Transactional
	public void completeIfReported(Collection<UUID> customerIds) {
		if (customerIds.isEmpty()) {
			return;
		}
		UUID[] customers = customerIds.stream().distinct().toArray(UUID[]::new);
		List<UUID> locked = this.jdbc.sql("""
				select customer_id from customer_deletion
				where customer_id = any(?::uuid[]) and completed_at is null
				order by customer_id for update""").param(customers).query(UUID.class).list();
		if (locked.isEmpty()) {
			return;
		}
		Instant completedAt = this.clock.instant();
		List<Duration> took = this.jdbc.sql("""
				update customer_deletion d set completed_at = ?
				where d.customer_id = any(?::uuid[]) and d.completed_at is null
				  and (select count(distinct r.service)
				         from deletion_report r join customer c on c.id = r.customer_id
				        where r.customer_id = d.customer_id and r.service = any(?::varchar[])
				          and (c.deletion_event_id is null or r.customer_event_id = c.deletion_event_id))
				      = cardinality(?::varchar[])
				returning d.deleted_at""")
			.params(Timestamp.from(completedAt), locked.toArray(UUID[]::new), this.requiredServices,
					this.requiredServices)
			.query((rs, row) -> took(rs.getTimestamp(1).toInstant(), completedAt))
			.list();
		recordAfterCommit(took);
	}

	private static Duration took(Instant deletedAt, Instant completedAt) {
		Duration took = Duration.between(deletedAt, completedAt);
		return took.isNegative() ? Duration.ZERO : took;
	}

	private void recordAfterCommit(List<Duration> took) {
		if (took.isEmpty()) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				took.forEach(DeletionCompletions.this.completion::record);
			}

		});
	}

	/**
	 * Deletions whose receipt is still incomplete {@code incomplete-after} after the
	 * deletion, from a count at most a second old.
	 */
	long incomplete() {
		Snapshot current = this.incomplete;
		long now = System.currentTimeMillis();
		if (now - current.takenAtMillis() >= SNAPSHOT_MILLIS) {
			long count = this.jdbc
				.sql("select count(*) from customer_deletion where completed_at is null and deleted_at <= ?")
				.param(Timestamp.from(this.clock.instant().minus(this.incompleteAfter)))
				.query(Long.class)
				.single();
			current = new Snapshot(count, now);
			this.incomplete = current;
		}
		return current.count();
	}

	private record Snapshot(long count, long takenAtMillis) {
	}

}
