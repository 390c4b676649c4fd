package dev.subscriptions.customerservice.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.customerservice.CustomerServiceSettings;
import dev.subscriptions.customerservice.StatementLog;
import dev.subscriptions.customerservice.customer.CustomerEvent;
import dev.subscriptions.customerservice.customer.CustomerManagement;

/**
 * Reports recorded set-wise and the receipts they complete, as the listener of
 * {@code customer.revocations} records a batch: {@link DeletionReports#recordAll} and
 * {@link DeletionCompletions#completeIfReported} in one transaction, on the test's
 * thread, so that {@link StatementLog} counts what they send. The receipts are those of
 * {@link DeletionReceipts}, the rule the set statements must keep.
 */
@CustomerServiceIntegrationTest
class DeletionCompletionsIntegrationTests {

	@Autowired
	CustomerManagement customers;

	@Autowired
	DeletionReports reports;

	@Autowired
	DeletionCompletions completions;

	@Autowired
	DeletionReceipts receipts;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JdbcClient jdbcClient;

	@Autowired
	MeterRegistry meters;

	@Autowired
	StatementLog statements;

	private final UUID organization = UUID.randomUUID();

	@Test
	void completesAReceiptOnceWhenBothReportsAreRecordedInOneTransaction() {
		UUID id = deleted();
		long before = completed();

		record(report(id, "subscription", deletionEventId(id)), report(id, "benefit", deletionEventId(id)));

		assertThat(this.receipts.ofAnyOrganization(id).complete()).isTrue();
		assertThat(completed()).isEqualTo(before + 1);
		Instant completedAt = completedAt(id).orElseThrow();
		record(report(id, "benefit", deletionEventId(id)));
		assertThat(completed()).isEqualTo(before + 1);
		assertThat(completedAt(id)).contains(completedAt);
	}

	@Test
	void completesAReceiptWhoseReportsAreRecordedInSeparateTransactions() {
		UUID id = deleted();
		long before = completed();

		record(report(id, "subscription", deletionEventId(id)));
		assertThat(completedAt(id)).isEmpty();
		assertThat(this.receipts.ofAnyOrganization(id).pending()).containsExactly("benefit");
		record(report(id, "benefit", deletionEventId(id)));

		assertThat(completedAt(id)).isPresent();
		assertThat(completed()).isEqualTo(before + 1);
	}

	/**
	 * Three customers' reports in one set: the one with both reports completes, the one
	 * with one does not, the live one has no deletion to complete. Its statements are one
	 * upsert, one lock and one update, whatever the number of customers.
	 */
	@Test
	void recordsTheReportsOfManyCustomersAndCompletesTheReceiptsTheyCompleteInThreeStatements() {
		UUID complete = deleted();
		UUID incomplete = deleted();
		UUID live = this.customers.create(this.organization, "live@example.com", "Live", null).getId();
		long before = completed();

		DeletionReport[] reports = { report(complete, "subscription", deletionEventId(complete)),
				report(incomplete, "benefit", deletionEventId(incomplete)), report(live, "benefit", UUID.randomUUID()),
				report(complete, "benefit", deletionEventId(complete)) };

		List<String> sent = this.statements.of(() -> record(reports));

		assertThat(sent).hasSize(4);
		assertThat(sent.get(0)).startsWith("insert into deletion_report");
		assertThat(sent.get(1)).startsWith("select customer_id from customer_deletion").contains("for update");
		assertThat(sent.get(2)).startsWith("update customer_deletion");
		assertThat(sent.get(3)).isEqualTo(StatementLog.COMMIT);
		assertThat(completedAt(complete)).isPresent();
		assertThat(completedAt(incomplete)).isEmpty();
		assertThat(this.receipts.ofAnyOrganization(incomplete).pending()).containsExactly("subscription");
		assertThat(revokedCounts(live)).containsOnlyKeys("benefit");
		assertThat(completed()).isEqualTo(before + 1);
	}

	/**
	 * A report that answers another deletion event (an earlier or a stray one) counts
	 * neither in place of a missing report nor over one that answers this deletion,
	 * whether it comes before or after that one in the same set.
	 */
	@Test
	void countsNoReportThatAnswersAnotherDeletionEvent() {
		UUID before = deleted();
		UUID after = deleted();

		record(report(before, "subscription", UUID.randomUUID(), 5),
				report(before, "benefit", deletionEventId(before)));
		assertThat(completedAt(before)).isEmpty();
		assertThat(this.receipts.ofAnyOrganization(before).pending()).containsExactly("subscription");
		record(report(before, "subscription", UUID.randomUUID(), 7),
				report(before, "subscription", deletionEventId(before), 4));
		record(report(after, "benefit", deletionEventId(after)),
				report(after, "subscription", deletionEventId(after), 4),
				report(after, "subscription", UUID.randomUUID(), 7));

		assertThat(completedAt(before)).isPresent();
		assertThat(completedAt(after)).isPresent();
		assertThat(revokedCounts(before)).containsEntry("subscription", 4);
		assertThat(revokedCounts(after)).containsEntry("subscription", 4);
	}

	/**
	 * Reports recorded while the customer was live answer no deletion of it: after the
	 * deletion the receipt waits for reports that answer it, which replace them.
	 */
	@Test
	void countsNoReportRecordedBeforeTheDeletion() {
		UUID id = this.customers.create(this.organization, "early@example.com", "Early", null).getId();
		record(report(id, "subscription", UUID.randomUUID(), 1), report(id, "benefit", UUID.randomUUID(), 1));
		this.customers.delete(this.organization, id);

		assertThat(this.receipts.ofAnyOrganization(id).pending()).containsExactly("subscription", "benefit");
		record(report(id, "subscription", deletionEventId(id), 2));
		assertThat(completedAt(id)).isEmpty();
		record(report(id, "benefit", deletionEventId(id), 3));

		assertThat(completedAt(id)).isPresent();
		assertThat(revokedCounts(id)).containsEntry("subscription", 2).containsEntry("benefit", 3);
	}

	/**
	 * A customer deleted before deletion event ids were kept has one deletion only, so
	 * each of its reports counts, as {@link DeletionReceipts} counts it.
	 */
	@Test
	void countsEveryReportOfACustomerDeletedBeforeItsDeletionEventIdWasKept() {
		UUID id = deleted();
		this.jdbc.update("update customer set deletion_event_id = null where id = ?", id);

		record(report(id, "subscription", UUID.randomUUID()), report(id, "benefit", UUID.randomUUID()));

		assertThat(this.receipts.ofAnyOrganization(id).complete()).isTrue();
		assertThat(completedAt(id)).isPresent();
	}

	/**
	 * The delete transaction keeps the deletion and reads nothing of reports: no report
	 * can answer a deletion before it commits. Four statements and the commit: the
	 * customer locked, saved, its event appended, the deletion kept.
	 */
	@Test
	void deletesACustomerInFourStatementsAndACommit() {
		UUID id = this.customers.create(this.organization, "four@example.com", "Four", null).getId();

		List<String> sent = this.statements.of(() -> this.customers.delete(this.organization, id));

		assertThat(sent).hasSize(5);
		assertThat(sent.get(0)).contains("from customer").contains("for update");
		assertThat(sent.get(3)).startsWith("insert into customer_deletion");
		assertThat(sent.get(4)).isEqualTo(StatementLog.COMMIT);
		assertThat(sent).noneMatch(statement -> statement.contains("deletion_report"));
		assertThat(completedAt(id)).isEmpty();
	}

	/**
	 * With no service required a deletion's receipt is complete in the delete
	 * transaction, in the one statement that keeps it, and the histogram records it once
	 * committed.
	 */
	@Test
	void completesTheReceiptInTheDeleteTransactionWhenNoServiceIsRequired() {
		MeterRegistry meters = new SimpleMeterRegistry();
		DeletionCompletions none = new DeletionCompletions(this.jdbcClient, Clock.systemUTC(),
				new CustomerServiceSettings(new CustomerServiceSettings.Topics(1, (short) 1),
						new CustomerServiceSettings.Deletion(List.of(), Duration.ofMinutes(5))),
				meters);
		UUID id = UUID.randomUUID();
		Instant deletedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

		List<String> sent = this.statements.of(() -> this.transactions.executeWithoutResult((status) -> none
			.on(new CustomerEvent.Deleted(UUID.randomUUID(), deletedAt, id, this.organization, deletedAt))));

		assertThat(sent).hasSize(2);
		assertThat(completedAt(id)).isPresent();
		assertThat(meters.get(DeletionCompletions.COMPLETION).timer().count()).isEqualTo(1);
	}

	private void record(DeletionReport... reports) {
		this.transactions.executeWithoutResult((status) -> {
			this.reports.recordAll(List.of(reports));
			this.completions.completeIfReported(List.of(reports).stream().map(DeletionReport::customerId).toList());
		});
	}

	private UUID deleted() {
		UUID id = this.customers.create(this.organization, "gone@example.com", "Gone", null).getId();
		this.customers.delete(this.organization, id);
		return id;
	}

	private UUID deletionEventId(UUID customerId) {
		return this.jdbc.queryForObject("select deletion_event_id from customer where id = ?", UUID.class, customerId);
	}

	private static DeletionReport report(UUID customerId, String service, UUID customerEventId) {
		return report(customerId, service, customerEventId, 1);
	}

	private static DeletionReport report(UUID customerId, String service, UUID customerEventId, int revoked) {
		return new DeletionReport(UUID.randomUUID(), customerId, service, revoked,
				Instant.now().truncatedTo(ChronoUnit.MILLIS), customerEventId);
	}

	private Map<String, Integer> revokedCounts(UUID customerId) {
		return this.reports.of(customerId)
			.stream()
			.collect(Collectors.toMap(DeletionReports.Report::service, DeletionReports.Report::revokedCount));
	}

	private Optional<Instant> completedAt(UUID customerId) {
		return this.jdbc
			.query("select completed_at from customer_deletion where customer_id = ?",
					(rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant), customerId)
			.stream()
			.findFirst()
			.flatMap(completed -> completed);
	}

	private long completed() {
		return this.meters.get(DeletionCompletions.COMPLETION).timer().count();
	}

}
