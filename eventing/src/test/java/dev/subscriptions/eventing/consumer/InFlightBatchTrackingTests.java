package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.TransientDataAccessResourceException;

import dev.subscriptions.eventing.consumer.DeadLetters.Failure;
import dev.subscriptions.eventing.consumer.InFlightRecords.InFlight;

/**
 * A batch of two partitions goes through {@link InFlightBatchInterceptor} and fails as
 * the error handler tells {@link InFlightRecords}: the partitions Spring commits before
 * the failed record are done, the others keep their time in flight.
 */
class InFlightBatchTrackingTests {

	private static final TopicPartition P0 = new TopicPartition("batch-tracking", 0);

	private static final TopicPartition P1 = new TopicPartition("batch-tracking", 1);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final InFlightRecords inFlight = new InFlightRecords(this.meters, Duration.ofMinutes(1),
			Duration.ofMinutes(5));

	private final InFlightBatchInterceptor interceptor = new InFlightBatchInterceptor(this.inFlight);

	private final MockConsumer<Object, Object> consumer = new MockConsumer<>("earliest");

	private final ConsumerRecords<Object, Object> batch = batch();

	@AfterEach
	void close() {
		this.inFlight.close();
	}

	@Test
	void forgetsAPartitionCommittedBeforeARecordThatFailedInALaterPartition() {
		this.interceptor.intercept(this.batch, this.consumer);
		assertThat(inFlight()).extracting(InFlight::partition).containsExactlyInAnyOrder(P0, P1);

		this.inFlight.failedInBatch(this.consumer, this.batch, record(P1, 2), Failure.POISON,
				new IllegalStateException("poison"));

		assertThat(inFlight()).singleElement().satisfies(record -> {
			assertThat(record.partition()).isEqualTo(P1);
			assertThat(record.offset()).isEqualTo(2);
		});
		this.inFlight.done(this.consumer, record(P1, 2));
		assertThat(inFlight()).isEmpty();
		assertThat(this.meters.get(InFlightRecords.AGE_GAUGE).gauge().value()).isZero();
	}

	@Test
	void keepsTheTimeInFlightOfEveryPartitionOfABatchRetriedThroughAnOutage() {
		this.interceptor.intercept(this.batch, this.consumer);
		Map<TopicPartition, InFlight> first = byPartition();

		this.inFlight.failedInBatch(this.consumer, this.batch, record(P0, 0), Failure.OUTAGE,
				new TransientDataAccessResourceException("away"));
		this.interceptor.intercept(this.batch, this.consumer);
		this.inFlight.failedInBatch(this.consumer, this.batch, record(P0, 0), Failure.OUTAGE,
				new TransientDataAccessResourceException("away"));
		this.interceptor.intercept(this.batch, this.consumer);

		Map<TopicPartition, InFlight> retried = byPartition();
		assertThat(retried).containsOnlyKeys(P0, P1);
		assertThat(retried.get(P0).since()).isEqualTo(first.get(P0).since());
		assertThat(retried.get(P0).failures()).isEqualTo(2);
		assertThat(retried.get(P1).since()).isEqualTo(first.get(P1).since());
		assertThat(retried.get(P1).offset()).isZero();

		this.interceptor.success(this.batch, this.consumer);
		assertThat(inFlight()).isEmpty();
	}

	private List<InFlight> inFlight() {
		return this.inFlight.olderThan(Duration.ofSeconds(-1));
	}

	private Map<TopicPartition, InFlight> byPartition() {
		Map<TopicPartition, InFlight> records = new LinkedHashMap<>();
		for (InFlight record : inFlight()) {
			records.put(record.partition(), record);
		}
		return records;
	}

	private ConsumerRecord<Object, Object> record(TopicPartition partition, long offset) {
		return this.batch.records(partition).get((int) offset);
	}

	private static ConsumerRecords<Object, Object> batch() {
		Map<TopicPartition, List<ConsumerRecord<Object, Object>>> records = new LinkedHashMap<>();
		for (TopicPartition partition : List.of(P0, P1)) {
			List<ConsumerRecord<Object, Object>> list = new ArrayList<>();
			for (int offset = 0; offset < 5; offset++) {
				list.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "key-" + offset,
						"value-" + offset));
			}
			records.put(partition, list);
		}
		return new ConsumerRecords<>(records, Map.of());
	}

}
