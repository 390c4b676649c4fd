package dev.subscriptions.eventing.inbox;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The inbox of idempotent consumers: which events each consumer has already handled.
 * <p>
 * A handler calls {@link #markProcessed(String, UUID)} in the same transaction as its
 * work and does the work only when it answers {@code true}; a duplicate delivery then has
 * no second effect, and a rollback forgets both.
 * <p>
 * Duplicates are counted as {@value #DUPLICATES} ({@code inbox_duplicates_total} in
 * Prometheus), tag {@code consumer}, once the handler's transaction commits (a delivery
 * rolled back and delivered again counts once); a consumer's counter is registered at 0
 * with its first delivery.
 */
public class Inbox {

	/** The counter of deliveries skipped as already handled. */
	public static final String DUPLICATES = "inbox.duplicates";

	private final JdbcTemplate jdbc;

	private final MeterRegistry meters;

	private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();

	public Inbox(JdbcTemplate jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.meters = meters;
	}

	/**
	 * Records that {@code consumer} handles {@code eventId} now.
	 * @return {@code true} the first time, {@code false} for a duplicate
	 */
	public boolean markProcessed(String consumer, UUID eventId) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"Inbox.markProcessed must run inside the transaction of the handler's work; none is active");
		}
		Counter duplicates = counter(consumer);
		boolean first = this.jdbc.update("insert into inbox (consumer, event_id) values (?, ?) on conflict do nothing",
				consumer, eventId) == 1;
		if (!first) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					duplicates.increment();
				}

			});
		}
		return first;
	}

	/**
	 * Records that {@code consumer} handles each of {@code eventIds} now, in one
	 * statement. Every entry that is not new counts as a duplicate, an id listed twice
	 * among them too.
	 * @return the ids seen the first time; the others are duplicates
	 */
	public Set<UUID> markProcessed(String consumer, Collection<UUID> eventIds) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"Inbox.markProcessed must run inside the transaction of the handler's work; none is active");
		}
		Counter duplicates = counter(consumer);
		if (eventIds.isEmpty()) {
			return Set.of();
		}
		Set<UUID> first = new HashSet<>(this.jdbc.queryForList("""
				insert into inbox (consumer, event_id)
				select ?, e from unnest(?::uuid[]) e
				on conflict do nothing
				returning event_id""", UUID.class, consumer, eventIds.toArray(UUID[]::new)));
		long repeated = eventIds.size() - first.size();
		if (repeated > 0) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					duplicates.increment(repeated);
				}

			});
		}
		return first;
	}

	private Counter counter(String consumer) {
		return this.duplicates.computeIfAbsent(consumer,
				name -> Counter.builder(DUPLICATES)
					.description("Deliveries the inbox skipped as already handled")
					.tag("consumer", name)
					.register(this.meters));
	}

}
