package dev.subscriptions.customerservice.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.customerservice.CustomerRequests;
import dev.subscriptions.customerservice.CustomerServiceIntegrationTest;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * The deletion receipt completes as the required services report on customer.revocations.
 * A report counts when it answers the customer's CustomerDeleted, by that event's id as
 * published on customer.events.
 */
@CustomerServiceIntegrationTest
class DeletionReceiptIntegrationTests {

	@Autowired
	EventTopics topics;

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	private final UUID organization = UUID.randomUUID();

	@Test
	void completesOnceEveryRequiredServiceHasReported() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);

		Map<String, Object> none = receipt(id);
		assertThat(none).containsEntry("complete", false).containsEntry("deletionEventId", deletion);
		assertThat(none.get("pending")).isEqualTo(List.of("subscription", "benefit"));
		assertThat(none.get("deletedAt")).isNotNull();

		CustomerRevocationCompleted subscription = report(id, "subscription", 3, deletion, now());
		send(subscription);
		send(subscription);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((List<?>) receipt(id).get("pending")).equals(List.of("benefit")));
		send(report(id, "benefit", 9, deletion, now()));

		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).get("complete")));
		Map<String, Object> complete = receipt(id);
		assertThat(complete.get("pending")).isEqualTo(List.of());
		assertThat(complete.get("services")).asString()
			.contains("service=benefit", "revokedCount=9", "service=subscription", "revokedCount=3");
	}

	/**
	 * The reporting service's clock is an hour behind customer-service's: its report says
	 * it completed before the customer was deleted. It answers the deletion by event id,
	 * so it counts.
	 */
	@Test
	void completesWithReportsWhoseCompletionTimeIsEarlierThanTheDeletion() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);
		Instant deletedAt = Instant.parse((String) receipt(id).get("deletedAt"));
		Instant skewed = deletedAt.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);

		send(report(id, "subscription", 1, deletion, skewed));
		send(report(id, "benefit", 2, deletion, skewed));

		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).get("complete")));
		assertThat(receipt(id).get("services")).asString()
			.contains("completedAt=" + skewed, "customerEventId=" + deletion);
	}

	/**
	 * A report that answers another CustomerDeleted (a stray or replayed one) is not
	 * counted, neither in place of a missing report nor over one that answers this
	 * deletion.
	 */
	@Test
	void countsNoReportThatAnswersAnotherDeletionEvent() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);

		send(report(id, "subscription", 5, UUID.randomUUID().toString(), now()));
		send(report(id, "benefit", 2, deletion, now()));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((List<?>) receipt(id).get("pending")).equals(List.of("subscription")));
		assertThat(receipt(id)).containsEntry("complete", false);

		send(report(id, "subscription", 4, deletion, now()));
		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).get("complete")));

		CustomerRevocationCompleted stray = report(id, "subscription", 7, UUID.randomUUID().toString(), now());
		send(stray);
		await().atMost(Duration.ofSeconds(20)).until(() -> handled(stray));
		Map<String, Object> receipt = receipt(id);
		assertThat(receipt).containsEntry("complete", true);
		assertThat(receipt.get("services")).asString()
			.contains("service=subscription, revokedCount=4")
			.doesNotContain("revokedCount=7", "revokedCount=5");
	}

	/**
	 * A record of a type the listener has no handler for (here a CustomerCreated where
	 * reports belong) is counted and skipped; the reports behind it are still recorded.
	 */
	@Test
	void countsAndSkipsARecordOfAnotherTypeAndRecordsTheReportsBehindIt() {
		String id = createAndDelete();
		String deletion = publishedDeletionEventId(id);
		double skipped = unhandledCustomerCreated();
		CustomerFixture customer = CustomerFixture.of(UUID.randomUUID(), UUID.fromString(id));

		send(customer.created().build());
		send(report(id, "subscription", 1, deletion, now()));
		send(report(id, "benefit", 1, deletion, now()));

		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(receipt(id).get("complete")));
		await().atMost(Duration.ofSeconds(20)).until(() -> unhandledCustomerCreated() == skipped + 1);
	}

	@Test
	void hasNoReceiptForALiveOrUnknownCustomer() {
		String live = create("live@example.com", "Live");

		api().get()
			.uri("/customers/{id}/deletion", live)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Customer not deleted");
		api().get().uri("/customers/{id}/deletion", UUID.randomUUID()).exchange().expectStatus().isNotFound();
	}

	private String createAndDelete() {
		return CustomerRequests.createdAndDeletedId(this.client, this.organization, "gone@example.com", "Gone");
	}

	private String create(String email, String name) {
		return CustomerRequests.createdId(this.client, this.organization, email, name);
	}

	private RestTestClient api() {
		return CustomerRequests.as(this.client, this.organization);
	}

	/**
	 * The event id of the customer's CustomerDeleted, as customer-service published it to
	 * customer.events.
	 */
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

	private CustomerRevocationCompleted report(String customerId, String service, int revoked, String customerEventId,
			Instant completedAt) {
		return CustomerFixture.of(UUID.randomUUID(), UUID.fromString(customerId))
			.revocationCompleted(service, revoked)
			.setCustomerEventId(customerEventId)
			.setCompletedAt(completedAt)
			.build();
	}

	private boolean handled(CustomerRevocationCompleted report) {
		return this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'customer-service' and event_id = ?", Integer.class,
				UUID.fromString(report.getEventId())) == 1;
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	private void send(CustomerRevocationCompleted report) {
		send(report.getCustomerId(), report);
	}

	private void send(CustomerCreated created) {
		send(created.getCustomerId(), created);
	}

	private void send(String key, SpecificRecord record) {
		this.topics.send(Topic.CUSTOMER_REVOCATIONS, key, record);
	}

	/**
	 * How many CustomerCreated the listener of customer.revocations has skipped so far.
	 */
	private double unhandledCustomerCreated() {
		Counter counter = this.meters.find(UnhandledRecords.METER)
			.tags("group", "customer-service", "topic", Topic.CUSTOMER_REVOCATIONS.topicName(), "type",
					CustomerCreated.getClassSchema().getFullName())
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Map<String, Object> receipt(String id) {
		return CustomerRequests.receipt(api(), id);
	}

}
