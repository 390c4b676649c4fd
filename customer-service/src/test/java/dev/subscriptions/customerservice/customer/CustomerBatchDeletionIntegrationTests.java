package dev.subscriptions.customerservice.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.customerservice.StatementLog;

/**
 * Customers deleted together ({@link CustomerManagement#deleteAll}): each as a single
 * delete deletes it, in a few statements whatever their number, all or none.
 */
@CustomerServiceIntegrationTest
class CustomerBatchDeletionIntegrationTests {

	private static final String ROW = """
			select deleted_at is not null as deleted, modified_at = deleted_at as modified_when_deleted,
			       deletion_event_id is not null as has_deletion_event, version, email, name, created_at
			from customer where id = ?""";

	@Autowired
	CustomerManagement customers;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StatementLog statements;

	private final UUID organization = UUID.randomUUID();

	/**
	 * The lock, one update of the customers, one multi-row insert of their events, one of
	 * their deletions, and the commit: five, for fifty customers as for one.
	 */
	@Test
	void deletesFiftyCustomersInFourStatementsAndACommit() {
		List<UUID> ids = created(50);

		List<String> sent = this.statements.of(() -> this.customers.deleteAll(this.organization, ids));

		assertThat(sent).hasSize(5);
		assertThat(sent.get(0)).contains("from customer").contains("for update");
		assertThat(sent.get(1)).startsWith("update customer");
		assertThat(sent.get(2)).contains("insert into outbox");
		assertThat(sent.get(3)).contains("insert into customer_deletion");
		assertThat(sent.get(4)).isEqualTo(StatementLog.COMMIT);
		assertThat(ids).allSatisfy(id -> assertThat(deletionEventId(id)).isNotNull());
		assertThat(deletionRows(ids)).isEqualTo(50);
	}

	/** What the set-wise update writes is what saving the deleted aggregate writes. */
	@Test
	void storesEachCustomerAsSavingItsDeletedAggregateDoes() {
		UUID alone = this.customers.create(this.organization, "alone@example.com", "Same", null).getId();
		UUID together = this.customers.create(this.organization, "together@example.com", "Same", null).getId();

		this.customers.delete(this.organization, alone);
		this.customers.deleteAll(this.organization, List.of(together));

		Map<String, Object> single = this.jdbc.queryForMap(ROW, alone);
		Map<String, Object> batch = this.jdbc.queryForMap(ROW, together);
		assertThat(batch).containsEntry("deleted", true)
			.containsEntry("modified_when_deleted", true)
			.containsEntry("has_deletion_event", true)
			.containsEntry("version", single.get("version"))
			.containsEntry("name", single.get("name"));
		assertThat(this.customers.getOfOrganization(this.organization, together, true).isDeleted()).isTrue();
		assertThat(this.jdbc.queryForObject("select deleted_at from customer_deletion where customer_id = ?",
				Timestamp.class, together))
			.isEqualTo(this.jdbc.queryForObject("select deleted_at from customer where id = ?", Timestamp.class,
					together));
	}

	@Test
	void deletesNoneWhenAnIdIsNotACustomerOfTheOrganizationAndNamesThoseIds() {
		List<UUID> ids = new ArrayList<>(created(3));
		UUID unknown = UUID.randomUUID();
		UUID foreign = this.customers.create(UUID.randomUUID(), "foreign@example.com", "Foreign", null).getId();
		ids.add(unknown);
		ids.add(foreign);

		assertThatExceptionOfType(CustomersNotFound.class)
			.isThrownBy(() -> this.customers.deleteAll(this.organization, ids))
			.satisfies(notFound -> assertThat(notFound.ids()).containsExactlyInAnyOrder(unknown, foreign));

		assertThat(ids.subList(0, 3)).allSatisfy(
				id -> assertThat(this.customers.getOfOrganization(this.organization, id, false).isDeleted()).isFalse());
		assertThat(this.customers.getOfAnyOrganization(foreign).isDeleted()).isFalse();
		assertThat(deletionRows(ids)).isZero();
	}

	/**
	 * A customer deleted before keeps its deletion (its event id, its time), the others
	 * are deleted, and an id named twice deletes once.
	 */
	@Test
	void leavesACustomerDeletedBeforeAsItIsAndDeletesTheOthers() {
		List<UUID> ids = created(3);
		this.customers.delete(this.organization, ids.get(0));
		UUID firstDeletion = deletionEventId(ids.get(0));

		this.customers.deleteAll(this.organization, List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(2)));

		assertThat(deletionEventId(ids.get(0))).isEqualTo(firstDeletion);
		assertThat(ids).allSatisfy(id -> assertThat(deletionEventId(id)).isNotNull());
		assertThat(List.of(deletionEventId(ids.get(1)), deletionEventId(ids.get(2)), firstDeletion))
			.doesNotHaveDuplicates();
		assertThat(deletionRows(ids)).isEqualTo(3);
	}

	/**
	 * Two batches over the same customers, named in opposite orders, at once: the locks
	 * are taken in the order of the ids, so neither waits for the other forever, and each
	 * customer is deleted once.
	 */
	@Test
	void deletesOverlappingBatchesAtOnceWithoutADeadlockEachCustomerOnce() throws Exception {
		List<UUID> ids = created(200);
		List<UUID> reversed = new ArrayList<>(ids);
		Collections.reverse(reversed);
		CyclicBarrier start = new CyclicBarrier(2);

		CompletableFuture<Void> forwards = CompletableFuture.runAsync(() -> {
			await(start);
			this.customers.deleteAll(this.organization, ids);
		});
		CompletableFuture<Void> backwards = CompletableFuture.runAsync(() -> {
			await(start);
			this.customers.deleteAll(this.organization, reversed);
		});
		CompletableFuture.allOf(forwards, backwards).get(60, TimeUnit.SECONDS);

		assertThat(ids).allSatisfy(id -> assertThat(deletionEventId(id)).isNotNull());
		assertThat(deletionRows(ids)).isEqualTo(200);
	}

	private List<UUID> created(int count) {
		String batch = UUID.randomUUID().toString();
		return IntStream.range(0, count)
			.mapToObj(i -> this.customers
				.create(this.organization, "batch-" + batch + "-" + i + "@example.com", "Batch " + i, null)
				.getId())
			.toList();
	}

	private UUID deletionEventId(UUID id) {
		return this.jdbc.queryForObject("select deletion_event_id from customer where id = ?", UUID.class, id);
	}

	private long deletionRows(List<UUID> ids) {
		return this.jdbc.queryForObject("select count(*) from customer_deletion where customer_id = any(?)", Long.class,
				(Object) ids.toArray(UUID[]::new));
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
