package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.TestEvents;

/**
 * Records a listener has no handler for are counted by group, topic and type.
 */
class UnhandledRecordsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final UnhandledRecords unhandled = new UnhandledRecords(this.meters);

	@Test
	void countsSkippedRecordsByGroupTopicAndAvroType() {
		this.unhandled.skip("some-group", "customer.events", TestEvents.customerCreated("c-1", "One"));
		this.unhandled.skip("some-group", "customer.events", TestEvents.customerCreated("c-2", "Two"));
		this.unhandled.skip("other-group", "customer.events", "not avro");

		assertThat(count("some-group", "dev.subscriptions.events.customer.CustomerCreated")).isEqualTo(2);
		assertThat(count("other-group", "java.lang.String")).isEqualTo(1);
	}

	private double count(String group, String type) {
		return this.meters.get(UnhandledRecords.METER)
			.tag("group", group)
			.tag("topic", "customer.events")
			.tag("type", type)
			.counter()
			.count();
	}

}
