package dev.subscriptions.customerservice.customer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores customers that {@link Customer#delete} deleted, set-wise: one statement for all
 * of them, where saving the aggregates would send one update each. It writes the columns
 * {@code delete} changes ({@code deleted_at}, {@code modified_at},
 * {@code deletion_event_id}) and bumps the version under the same optimistic check as
 * saving the aggregate; {@code CustomerBatchDeletionIntegrationTests} holds the two to
 * the same rows.
 */
@Repository
class DeletedCustomers {

	private static final String STORE = """
			update customer c
			   set deleted_at = d.deleted_at, modified_at = d.modified_at, deletion_event_id = d.deletion_event_id,
			       version = c.version + 1
			  from unnest(?::uuid[], ?::timestamptz[], ?::timestamptz[], ?::uuid[], ?::bigint[])
			       as d(id, deleted_at, modified_at, deletion_event_id, version)
			 where c.id = d.id and c.version = d.version and c.deleted_at is null""";

	private final JdbcClient jdbc;

	DeletedCustomers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores the deletions, in the caller's transaction.
	 * @throws OptimisticLockingFailureException when one of them was changed since it was
	 * read, as saving it would
	 */
	void storeAll(List<Customer> deleted) {
		if (deleted.isEmpty()) {
			return;
		}
		int stored = this.jdbc.sql(STORE)
			.params(deleted.stream().map(Customer::getId).toArray(UUID[]::new),
					deleted.stream().map(customer -> instant(customer.getDeletedAt())).toArray(String[]::new),
					deleted.stream().map(customer -> instant(customer.getModifiedAt())).toArray(String[]::new),
					deleted.stream().map(Customer::getDeletionEventId).toArray(UUID[]::new),
					deleted.stream()
						.map(customer -> Objects.requireNonNull(customer.getVersion()))
						.toArray(Long[]::new))
			.update();
		if (stored != deleted.size()) {
			throw new OptimisticLockingFailureException(
					"Only %d of %d deleted customers were stored: the others changed since they were read"
						.formatted(stored, deleted.size()));
		}
	}

	private static String instant(@Nullable Instant instant) {
		return Objects.requireNonNull(instant, "a deleted customer has its deletion time").toString();
	}

}
