package dev.subscriptions.customerservice.deletion;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

	private final DeletionReceipts receipts;

	private final Clock clock;

	private final Duration incompleteAfter;

	private final Timer completion;

	private volatile Snapshot incomplete = new Snapshot(0, 0);

	DeletionCompletions(JdbcClient jdbc, DeletionReceipts receipts, Clock clock, CustomerServiceSettings settings,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.receipts = receipts;
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
	 * Keeps the deletion, in its transaction; with no required service its receipt is
	 * complete at once.
	 */
	@EventListener
	void on(CustomerEvent.Deleted deleted) {
		this.jdbc.sql("insert into customer_deletion (customer_id, deleted_at) values (?, ?) on conflict do nothing")
			.params(deleted.customerId(), Timestamp.from(deleted.deletedAt()))
			.update();
		completeIfReported(deleted.customerId());
	}

	/**
	 * A service's report on the customer was recorded, in this transaction: if it
	 * completed the deletion's receipt, the completion is kept and, once committed,
	 * recorded in the histogram. The deletion is locked first, so that of two reports
	 * recorded at once the later sees the earlier; a receipt completes once, however many
	 * reports follow. Nothing happens for a customer whose deletion is not kept (a live
	 * one, or one deleted before deletions were kept).
	 */
	@Transactional
	public void completeIfReported(UUID customerId) {
		Optional<Instant> deletedAt = this.jdbc
			.sql("select deleted_at from customer_deletion where customer_id = ? and completed_at is null for update")
			.param(customerId)
			.query((rs, row) -> rs.getTimestamp(1).toInstant())
			.optional();
		if (deletedAt.isEmpty() || !this.receipts.ofAnyOrganization(customerId).complete()) {
			return;
		}
		Instant completedAt = this.clock.instant();
		this.jdbc.sql("update customer_deletion set completed_at = ? where customer_id = ?")
			.params(Timestamp.from(completedAt), customerId)
			.update();
		Duration took = Duration.between(deletedAt.get(), completedAt);
		Duration recorded = took.isNegative() ? Duration.ZERO : took;
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				DeletionCompletions.this.completion.record(recorded);
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
