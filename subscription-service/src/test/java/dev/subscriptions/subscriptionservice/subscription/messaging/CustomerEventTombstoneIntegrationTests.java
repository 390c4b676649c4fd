package dev.subscriptions.subscriptionservice.subscription.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.CustomerEventsProducer;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;

/**
 * customer.events is compacted and other teams may write to it: a record without value (a
 * tombstone) reaches the listener's default handler, which counts and skips it. It is
 * neither retried nor dead-lettered, and the record behind it is handled.
 */
@SubscriptionServiceIntegrationTest
class CustomerEventTombstoneIntegrationTests {

	private static final String TOPIC = Topic.CUSTOMER_EVENTS.topicName();

	@Autowired
	CustomerEventsProducer customerEvents;

	@Autowired
	EventTopics topics;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	/**
	 * The tombstone has the key of the customer created after it, so both land on the
	 * same partition, the creation behind the tombstone.
	 */
	@Test
	void skipsARecordWithoutValueAndKnowsTheCustomerCreatedAfterIt() {
		UUID next = UUID.randomUUID();
		String key = next.toString();
		double skippedBefore = tombstonesSkipped();

		this.customerEvents.send(key, (byte[]) null);
		this.customerEvents.created(UUID.randomUUID(), next);

		await().atMost(Duration.ofSeconds(20)).until(() -> known(next));
		assertThat(tombstonesSkipped()).isEqualTo(skippedBefore + 1);
		assertThat(this.topics.decoded(TOPIC + ".subscription-service.DLT")).extracting(EventTopics.Decoded::key)
			.doesNotContain(key);
	}

	private double tombstonesSkipped() {
		Counter skipped = this.meters.find(UnhandledRecords.METER)
			.tag("group", "subscription-service")
			.tag("topic", TOPIC)
			.tag("type", UnhandledRecords.TOMBSTONE)
			.counter();
		return (skipped != null) ? skipped.count() : 0;
	}

	private boolean known(UUID customer) {
		return this.jdbc.queryForObject("select count(*) from customer where id = ?", Integer.class, customer) == 1;
	}

}
