package dev.subscriptions.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.subscriptions.faults.Topics.Event;

class EventLogsTests {

	private static final long IN_FAULT = 1_500;

	private static final long OUTSIDE_FAULTS = 5_000;

	private final Verdicts verdicts = new Verdicts(List.of(new long[] { 1_000, 2_000 }));

	private final EventLogs logs = new EventLogs(this.verdicts);

	private final List<Event> events = new ArrayList<>();

	@Test
	void countsARedeliveredEventAsADuplicatedDeliveryOfItsFaultAndNotAsASideEffect() {
		subscriptionEvent("s1", "e1", "SubscriptionCreated", 1, OUTSIDE_FAULTS);
		subscriptionEvent("s1", "e2", "SubscriptionPaused", 2, IN_FAULT);
		subscriptionEvent("s1", "e2", "SubscriptionPaused", 2, IN_FAULT);

		this.logs.subscriptionEvents(this.events, Map.of("s1", "c1"), Map.of("s1", 2L), Map.of());

		assertThat(this.verdicts.hold()).isTrue();
		assertThat(this.verdicts.tally(0).duplicatedDeliveries).isEqualTo(1);
		assertThat(this.verdicts.tally(0).duplicatedSideEffects).isZero();
	}

	@Test
	void reportsASubscriptionEventFirstDeliveredAfterALaterOneAsAnOrderViolation() {
		subscriptionEvent("s1", "e1", "SubscriptionCreated", 1, OUTSIDE_FAULTS);
		subscriptionEvent("s1", "e3", "SubscriptionResumed", 3, IN_FAULT);
		subscriptionEvent("s1", "e2", "SubscriptionPaused", 2, IN_FAULT);

		this.logs.subscriptionEvents(this.events, Map.of("s1", "c1"), Map.of("s1", 3L), Map.of());

		assertThat(this.verdicts.invariant(Verdicts.ORDER).count()).isEqualTo(1);
		assertThat(this.verdicts.tally(0).orderViolations).isEqualTo(1);
		assertThat(this.verdicts.invariant(Verdicts.LOST).count()).isZero();
	}

	@Test
	void reportsASequenceNeverDeliveredAsLostInTheBatchOfItsCustomer() {
		subscriptionEvent("s1", "e1", "SubscriptionCreated", 1, OUTSIDE_FAULTS);
		subscriptionEvent("s1", "e3", "SubscriptionEnded", 3, OUTSIDE_FAULTS);

		this.logs.subscriptionEvents(this.events, Map.of("s1", "c1"), Map.of("s1", 3L), Map.of("c1", 0));

		assertThat(this.verdicts.invariant(Verdicts.LOST).examples()).singleElement()
			.asString()
			.contains("sequence 2 of 3");
		assertThat(this.verdicts.tally(0).lost).isEqualTo(1);
	}

	@Test
	void reportsASecondSubscriptionEndedWithAnotherIdAsADuplicatedSideEffect() {
		subscriptionEvent("s1", "e1", "SubscriptionCreated", 1, OUTSIDE_FAULTS);
		subscriptionEvent("s1", "e2", "SubscriptionEnded", 2, IN_FAULT);
		subscriptionEvent("s1", "e3", "SubscriptionEnded", 3, IN_FAULT);

		this.logs.subscriptionEvents(this.events, Map.of("s1", "c1"), Map.of("s1", 3L), Map.of());

		assertThat(this.verdicts.invariant(Verdicts.REVOKED_ONCE).count()).isEqualTo(1);
		assertThat(this.verdicts.tally(0).duplicatedSideEffects).isEqualTo(1);
	}

	@Test
	void reportsACustomerDeletedFirstDeliveredBeforeItsCustomerCreatedAsAnOrderViolation() {
		customerEvent("c1", "d1", "CustomerDeleted", IN_FAULT);
		customerEvent("c1", "k1", "CustomerCreated", IN_FAULT);
		customerEvent("c2", "k2", "CustomerCreated", OUTSIDE_FAULTS);
		customerEvent("c2", "k2", "CustomerCreated", OUTSIDE_FAULTS);
		customerEvent("c2", "d2", "CustomerDeleted", OUTSIDE_FAULTS);

		this.logs.customerEvents(this.events, Map.of("c1", true, "c2", true), Map.of(), false);

		assertThat(this.verdicts.invariant(Verdicts.ORDER).count()).isEqualTo(2);
		assertThat(this.verdicts.tally(0).orderViolations).isEqualTo(2);
		assertThat(this.verdicts.tally(Verdicts.OUTSIDE).duplicatedDeliveries).isEqualTo(1);
		assertThat(this.verdicts.invariant(Verdicts.LOST).count()).isZero();
	}

	@Test
	void reportsADeletedCustomerWithoutCustomerDeletedAsLost() {
		customerEvent("c1", "k1", "CustomerCreated", OUTSIDE_FAULTS);

		this.logs.customerEvents(this.events, Map.of("c1", true, "c2", false), Map.of("c1", 0), false);

		assertThat(this.verdicts.invariant(Verdicts.LOST).examples())
			.containsExactlyInAnyOrder("no CustomerDeleted for deleted c1", "no CustomerCreated for c2");
		assertThat(this.verdicts.tally(0).lost).isEqualTo(1);
		assertThat(this.verdicts.tally(Verdicts.OUTSIDE).lost).isEqualTo(1);
	}

	@Test
	void reportsAMissingRevocationReportAsLostAndASecondOneAsADuplicatedSideEffect() {
		report("c1", "r1", "subscription");
		report("c1", "r2", "benefit");
		report("c1", "r2", "benefit");
		report("c1", "r3", "benefit");
		report("c2", "r4", "benefit");

		this.logs.revocationReports(this.events, Map.of("c1", 0, "c2", 0), List.of("subscription", "benefit"));

		assertThat(this.verdicts.invariant(Verdicts.REVOKED_ONCE).count()).isEqualTo(1);
		assertThat(this.verdicts.invariant(Verdicts.LOST).examples()).singleElement()
			.asString()
			.contains("subscription-service for c2");
		assertThat(this.verdicts.tally(0).duplicatedDeliveries).isEqualTo(1);
	}

	private void subscriptionEvent(String key, String id, String type, long sequence, long timestamp) {
		add("subscription.events", key, id, type, timestamp,
				Map.of("event_id", id, "sequence", String.valueOf(sequence)));
	}

	private void customerEvent(String key, String id, String type, long timestamp) {
		add("customer.events", key, id, type, timestamp, Map.of("event_id", id));
	}

	private void report(String key, String id, String service) {
		add("customer.revocations", key, id, "CustomerRevocationCompleted", IN_FAULT,
				Map.of("event_id", id, "service", service));
	}

	private void add(String topic, String key, String id, String type, long timestamp, Map<String, String> fields) {
		this.events.add(new Event(topic, 0, this.events.size(), key, timestamp, type, fields));
	}

}
