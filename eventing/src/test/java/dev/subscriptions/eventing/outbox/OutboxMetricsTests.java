package dev.subscriptions.eventing.outbox;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxMetricsTests {

	@Test
	void keepsReportingTheLeadershipAfterAGarbageCollection() {
		MeterRegistry registry = new SimpleMeterRegistry();
		AtomicBoolean leading = new AtomicBoolean(true);
		// a method reference, as the relay registers it: nothing but the gauge holds it
		new OutboxMetrics(new JdbcTemplate(), registry).leadership(leading::get);

		for (int i = 0; i < 3; i++) {
			System.gc();
		}

		assertThat(registry.get("outbox.relay.leader").gauge().value()).isEqualTo(1.0);
		leading.set(false);
		assertThat(registry.get("outbox.relay.leader").gauge().value()).isEqualTo(0.0);
	}

}
