package dev.subscriptions.endtoend.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@link Exposition} reads the names and label names of what a service exports. */
class ExpositionTests {

	@Test
	void readsSamplesWithTheirLabelNamesAndTheFamiliesOfTheirTypes() {
		String exposition = """
				# HELP outbox_pending Outbox events not yet acknowledged by Kafka
				# TYPE outbox_pending gauge
				outbox_pending 3.0
				# TYPE customer_deletion_completion_seconds histogram
				customer_deletion_completion_seconds_bucket{le="0.001"} 0
				customer_deletion_completion_seconds_count 0
				# TYPE kafka_dead_letters_sent_total counter
				kafka_dead_letters_sent_total{cause="poison",group="a,b",topic="x\\"}y=z"} 1.0 1764610000000
				""";

		assertThat(Exposition.metrics(exposition)).containsOnly(entry("outbox_pending", Set.of()),
				entry("customer_deletion_completion_seconds", Set.of()),
				entry("customer_deletion_completion_seconds_bucket", Set.of("le")),
				entry("customer_deletion_completion_seconds_count", Set.of()),
				entry("kafka_dead_letters_sent_total", Set.of("cause", "group", "topic")));
	}

}
