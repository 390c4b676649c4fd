package dev.subscriptions.eventing.consumer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.subscriptions.eventing.consumer.InFlightRecords.InFlight;

/**
 * DOWN while a listener has been handling or retrying a record for longer than
 * {@code eventing.consumer.stuck-down}: an outage the consumer cannot wait out on its
 * own, or a handler that does not return. The details name each such record.
 */
public class InFlightRecordsHealthIndicator implements HealthIndicator {

	private final InFlightRecords inFlight;

	public InFlightRecordsHealthIndicator(InFlightRecords inFlight) {
		this.inFlight = inFlight;
	}

	@Override
	public Health health() {
		List<InFlight> stuck = this.inFlight.olderThan(this.inFlight.stuckDown());
		if (stuck.isEmpty()) {
			return Health.up().build();
		}
		Instant now = Instant.now();
		Map<String, Object> records = new LinkedHashMap<>();
		for (InFlight record : stuck) {
			records.put(record.partition() + "@" + record.offset(), Map.of("group", record.group(), "ageSeconds",
					record.age(now).toSeconds(), "failedAttempts", record.failures()));
		}
		return Health.down()
			.withDetail("stuckLongerThan", this.inFlight.stuckDown().toString())
			.withDetail("records", records)
			.build();
	}

}
