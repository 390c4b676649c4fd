package dev.subscriptions.customerservice.deletion.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.customerservice.StatementLog;
import dev.subscriptions.customerservice.customer.CustomerManagement;
import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * The listener of {@code customer.revocations} records a poll of reports as a batch. The
 * tests hand it batches as its container would, on the test's thread (so that
 * {@link StatementLog} counts what a batch sends), and send a failing report through the
 * broker to see it dead-lettered alone.
 */
@CustomerServiceIntegrationTest
class RevocationReportBatchesIntegrationTests {

	private static final String COMPLETION = "customer.deletion.completion";

	private static final AtomicLong offsets = new AtomicLong();

	@Autowired
	RevocationReportsListener listener;

	@Autowired
	CustomerManagement customers;

	@Autowired
	EventTopics topics;

	@Autowired
	EventingProperties eventing;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	StatementLog statements;

	private final UUID organization = UUID.randomUUID();

	/**
	 * Both reports of a customer in one poll: two waves (one key each) in one
	 * transaction, the second completes the receipt, the histogram records it once.
	 */
	@Test
	void completesAReceiptOnceWithBothReportsInOneBatch() {
		UUID id = deleted();
		long before = completions();

		List<String> sent = this.statements.of(() -> batch(report(id, "subscription", deletionEventId(id)),
				report(id, "benefit", deletionEventId(id))));

		assertThat(completedAt(id)).isPresent();
		assertThat(completions()).isEqualTo(before + 1);
		assertThat(sent).filteredOn(StatementLog.COMMIT::equals).hasSize(1);
		batch(report(id, "benefit", deletionEventId(id)));
		assertThat(completions()).isEqualTo(before + 1);
	}

	@Test
	void completesAReceiptOnceWithItsReportsInSeparateBatches() {
		UUID id = deleted();
		long before = completions();

		batch(report(id, "subscription", deletionEventId(id)));
		assertThat(completedAt(id)).isEmpty();
		batch(report(id, "benefit", deletionEventId(id)));

		assertThat(completedAt(id)).isPresent();
		assertThat(completions()).isEqualTo(before + 1);
	}

	/**
	 * A wave of reports of many customers costs the same statements as one of a single
	 * customer: the inbox's insert, the reports' upsert, the lock of the deletions, the
	 * update of those complete, and the commit.
	 */
	@Test
	void recordsAWaveOfReportsOfManyCustomersInFourStatementsAndACommit() {
		List<UUID> deleted = List.of(deleted(), deleted(), deleted(), deleted());
		CustomerRevocationCompleted[] reports = deleted.stream()
			.map(id -> report(id, "subscription", deletionEventId(id)))
			.toArray(CustomerRevocationCompleted[]::new);

		List<String> sent = this.statements.of(() -> batch(reports));

		assertThat(sent).hasSize(5);
		assertThat(sent.get(0)).startsWith("insert into inbox");
		assertThat(sent.get(1)).startsWith("insert into deletion_report");
		assertThat(sent.get(2)).contains("for update");
		assertThat(sent.get(3)).startsWith("update customer_deletion");
		assertThat(sent.get(4)).isEqualTo(StatementLog.COMMIT);
		assertThat(deleted).allSatisfy(id -> assertThat(reported(id)).containsExactly("subscription"));
	}

	/**
	 * A report delivered twice, in one batch and again in a later one, is recorded once
	 * and counted as a duplicate each time; the receipt completes once.
	 */
	@Test
	void countsARedeliveredReportOnce() {
		UUID id = deleted();
		CustomerRevocationCompleted subscription = report(id, "subscription", deletionEventId(id));
		long before = completions();
		double duplicates = duplicates();

		batch(subscription, subscription, report(id, "benefit", deletionEventId(id)));
		batch(subscription);

		assertThat(completedAt(id)).isPresent();
		assertThat(completions()).isEqualTo(before + 1);
		assertThat(duplicates()).isEqualTo(duplicates + 2);
		assertThat(handled(subscription)).isEqualTo(1);
	}

	/**
	 * A report that answers an earlier deletion event counts neither before nor after the
	 * one that answers this deletion, in the same batch.
	 */
	@Test
	void countsNoReportForAnEarlierDeletionInTheSameBatch() {
		UUID id = deleted();
		UUID earlier = UUID.randomUUID();

		batch(report(id, "subscription", earlier), report(id, "benefit", deletionEventId(id)));
		assertThat(completedAt(id)).isEmpty();
		batch(report(id, "subscription", earlier), report(id, "subscription", deletionEventId(id)),
				report(id, "subscription", earlier));

		assertThat(completedAt(id)).isPresent();
		assertThat(this.jdbc.queryForObject(
				"select customer_event_id from deletion_report where customer_id = ? and service = 'subscription'",
				UUID.class, id))
			.isEqualTo(deletionEventId(id));
	}

	/**
	 * A report the database refuses (a service name longer than its column) is retried
	 * alone and dead-lettered alone; the reports around it are recorded and complete
	 * their receipt.
	 */
	@Test
	void deadLettersAFailingReportAloneAndRecordsTheOthers() {
		UUID before = deleted();
		UUID failing = deleted();
		UUID after = deleted();
		CustomerRevocationCompleted refused = report(failing, "s".repeat(65), deletionEventId(failing));

		send(report(before, "subscription", deletionEventId(before)),
				report(before, "benefit", deletionEventId(before)), refused,
				report(after, "subscription", deletionEventId(after)),
				report(after, "benefit", deletionEventId(after)));

		String deadLetters = Topic.CUSTOMER_REVOCATIONS.topicName() + this.eventing.getConsumer().getDeadLetterSuffix();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.topics.values(deadLetters, CustomerRevocationCompleted.class)
				.stream()
				.anyMatch(dead -> dead.getEventId().equals(refused.getEventId())));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> completedAt(before).isPresent() && completedAt(after).isPresent());
		assertThat(handled(refused)).isZero();
		assertThat(reported(failing)).isEmpty();
		assertThat(this.topics.values(deadLetters, CustomerRevocationCompleted.class)).filteredOn(
				dead -> dead.getCustomerId().equals(before.toString()) || dead.getCustomerId().equals(after.toString()))
			.isEmpty();
	}

	private void batch(CustomerRevocationCompleted... reports) {
		this.listener.on(List.of(reports).stream().map(RevocationReportBatchesIntegrationTests::record).toList());
	}

	private static ConsumerRecord<String, Object> record(CustomerRevocationCompleted report) {
		return new ConsumerRecord<>(Topic.CUSTOMER_REVOCATIONS.topicName(), 0, offsets.getAndIncrement(),
				report.getCustomerId(), report);
	}

	private void send(CustomerRevocationCompleted... reports) {
		for (CustomerRevocationCompleted report : reports) {
			this.topics.send(Topic.CUSTOMER_REVOCATIONS, report.getCustomerId(), report);
		}
	}

	private UUID deleted() {
		UUID id = this.customers.create(this.organization, "gone@example.com", "Gone", null).getId();
		this.customers.delete(this.organization, id);
		return id;
	}

	private UUID deletionEventId(UUID customerId) {
		return this.jdbc.queryForObject("select deletion_event_id from customer where id = ?", UUID.class, customerId);
	}

	private static CustomerRevocationCompleted report(UUID customerId, String service, UUID customerEventId) {
		return CustomerFixture.of(UUID.randomUUID(), customerId)
			.revocationCompleted(service, 1)
			.setCustomerEventId(customerEventId.toString())
			.setCompletedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.build();
	}

	private List<String> reported(UUID customerId) {
		return this.jdbc.queryForList("select service from deletion_report where customer_id = ? order by service",
				String.class, customerId);
	}

	private int handled(CustomerRevocationCompleted report) {
		return this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'customer-service' and event_id = ?", Integer.class,
				UUID.fromString(report.getEventId()));
	}

	private Optional<Instant> completedAt(UUID customerId) {
		return this.jdbc
			.query("select completed_at from customer_deletion where customer_id = ?",
					(rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant), customerId)
			.stream()
			.findFirst()
			.flatMap(completed -> completed);
	}

	private long completions() {
		return this.meters.get(COMPLETION).timer().count();
	}

	private double duplicates() {
		Counter counter = this.meters.find(Inbox.DUPLICATES).tags("consumer", "customer-service").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
