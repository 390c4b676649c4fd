package dev.subscriptions.customerservice.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.customerservice.CustomerRequests;
import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;
import dev.subscriptions.web.test.ManagementClient;

/**
 * What operators see of deletion receipts: the histogram
 * {@code customer_deletion_completion_seconds} records each deletion once, when its
 * receipt becomes complete, and the gauge {@code customer_deletions_incomplete} counts
 * deletions still incomplete after the threshold (5 minutes). The tests of the service
 * run one after another, so nothing else completes a deletion meanwhile; deletions of
 * other tests may grow older than the threshold meanwhile, so the gauge is compared with
 * what the database holds rather than with a fixed number.
 */
@CustomerServiceIntegrationTest
class DeletionMetricsIntegrationTests {

	@Autowired
	EventTopics topics;

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	@LocalManagementPort
	int managementPort;

	private final UUID organization = UUID.randomUUID();

	@Test
	void recordsTheCompletionOfADeletionReceiptInTheHistogramOnce() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);
		long before = completion().count();

		send(report(id, "subscription", 2, deletion));
		CustomerRevocationCompleted benefit = report(id, "benefit", 5, deletion);
		send(benefit);
		await().atMost(Duration.ofSeconds(20)).until(() -> completion().count() == before + 1);

		CustomerRevocationCompleted again = report(id, "benefit", 5, deletion);
		send(benefit);
		send(again);
		await().atMost(Duration.ofSeconds(20)).until(() -> handled(again));
		assertThat(receipt(id)).containsEntry("complete", true);
		assertThat(completion().count()).isEqualTo(before + 1);
		assertThat(completedAt(id)).isPresent();
	}

	/**
	 * Two deletions no service has reported on: one of a day ago, one of 4 minutes ago.
	 * Once the gauge counts the older one it counts exactly the deletions the database
	 * holds as incomplete for longer than 5 minutes, which leaves out the newer one; once
	 * the older completes, it leaves that out too, and its day reaches the histogram.
	 */
	@Test
	void countsADeletionStillIncompleteAfterTheThresholdInTheGaugeUntilItCompletes() {
		String old = createAndDelete();
		String recent = createAndDelete();
		String deletion = publishedDeletionEventId(old);
		double incomplete = scraped("customer_deletions_incomplete");
		long completions = completion().count();
		double seconds = completion().totalTime(TimeUnit.SECONDS);

		age(recent, "4 minutes");
		age(old, "1 day");

		await().atMost(Duration.ofSeconds(20))
			.until(() -> scraped("customer_deletions_incomplete") >= incomplete + 1
					&& scraped("customer_deletions_incomplete") == incompleteForFiveMinutes());
		assertThat(completedAt(recent)).isEmpty();
		send(report(old, "subscription", 0, deletion));
		send(report(old, "benefit", 0, deletion));
		await().atMost(Duration.ofSeconds(20)).until(() -> completion().count() == completions + 1);
		assertThat(completedAt(old)).isPresent();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> scraped("customer_deletions_incomplete") == incompleteForFiveMinutes());
		assertThat(completion().totalTime(TimeUnit.SECONDS) - seconds).isGreaterThanOrEqualTo(86_400);
	}

	private void age(String customerId, String interval) {
		this.jdbc.update(
				"update customer_deletion set deleted_at = deleted_at - cast(? as interval) where customer_id = ?",
				interval, UUID.fromString(customerId));
	}

	/** The deletions the database holds as incomplete for longer than 5 minutes. */
	private double incompleteForFiveMinutes() {
		return this.jdbc.queryForObject("""
				select count(*) from customer_deletion
				where completed_at is null and deleted_at <= now() - interval '5 minutes'""", Long.class);
	}

	@Test
	void exportsTheHistogramAndTheGaugeUnderTheirPrometheusNames() {
		String scraped = scrape();

		assertThat(scraped.lines()).anyMatch(line -> line.startsWith("customer_deletion_completion_seconds_bucket{")
				&& line.contains("le=\"+Inf\""));
		assertThat(scraped.lines()).anyMatch(line -> line.startsWith("customer_deletion_completion_seconds_count"));
		assertThat(scraped.lines()).anyMatch(line -> line.startsWith("customer_deletion_completion_seconds_sum"));
		assertThat(scraped.lines()).anyMatch(line -> line.startsWith("customer_deletions_incomplete"));
	}

	private Timer completion() {
		return this.meters.get(DeletionCompletions.COMPLETION).timer();
	}

	/** The value of a sample without labels, as Prometheus scrapes it. */
	private double scraped(String name) {
		return scrape().lines()
			.filter(line -> line.startsWith(name + " "))
			.map(line -> Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0]))
			.findFirst()
			.orElseThrow(() -> new AssertionError(name + " is not scraped"));
	}

	private String scrape() {
		return ManagementClient.of(this.managementPort)
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private Optional<Instant> completedAt(String id) {
		return this.jdbc
			.query("select completed_at from customer_deletion where customer_id = ?",
					(rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant),
					UUID.fromString(id))
			.stream()
			.findFirst()
			.flatMap(completed -> completed);
	}

	private String createAndDelete() {
		return CustomerRequests.createdAndDeletedId(this.client, this.organization, "gone@example.com", "Gone");
	}

	private String publishedDeletionEventId(String customerId) {
		String topic = Topic.CUSTOMER_EVENTS.topicName();
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> this.topics.decoded(topic)
				.stream()
				.filter(record -> customerId.equals(record.key()))
				.map(EventTopics.Decoded::value)
				.filter(CustomerDeleted.class::isInstance)
				.map(deleted -> ((CustomerDeleted) deleted).getEventId())
				.findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	private CustomerRevocationCompleted report(String customerId, String service, int revoked, String customerEventId) {
		return CustomerFixture.of(UUID.randomUUID(), UUID.fromString(customerId))
			.revocationCompleted(service, revoked)
			.setCustomerEventId(customerEventId)
			.setCompletedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.build();
	}

	private void send(CustomerRevocationCompleted report) {
		this.topics.send(Topic.CUSTOMER_REVOCATIONS, report.getCustomerId(), report);
	}

	private boolean handled(CustomerRevocationCompleted report) {
		return this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'customer-service' and event_id = ?", Integer.class,
				UUID.fromString(report.getEventId())) == 1;
	}

	private Map<String, Object> receipt(String id) {
		return CustomerRequests.receipt(CustomerRequests.as(this.client, this.organization), id);
	}

}
