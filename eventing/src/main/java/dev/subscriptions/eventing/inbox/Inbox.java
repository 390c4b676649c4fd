package dev.subscriptions.eventing.inbox;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The inbox of idempotent consumers: which events each consumer has already handled.
 * <p>
 * A handler calls {@link #markProcessed(String, UUID)} in the same transaction as its
 * work and does the work only when it answers {@code true}; a duplicate delivery then has
 * no second effect, and a rollback forgets both.
 */
public class Inbox {

	private final JdbcTemplate jdbc;

	public Inbox(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
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
		return this.jdbc.update("insert into inbox (consumer, event_id) values (?, ?) on conflict do nothing", consumer,
				eventId) == 1;
	}

}
