package dev.subscriptions.eventing.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerStoppingEvent;

import dev.subscriptions.eventing.consumer.DeadLetters.Failure;

/**
 * The records that listener containers are handling or retrying now, so that a record
 * stuck behind an outage, or in a handler that does not return, is visible: the gauge
 * {@value #AGE_GAUGE} (seconds, tag {@code group}) gives the age of each consumer group's
 * oldest such record, a WARN line names a record (topic, partition, offset, failed
 * attempts) once it has been in flight longer than {@code stuckWarning} and again past
 * {@code stuckDown}, from when {@link InFlightRecordsHealthIndicator} is DOWN. The
 * counter {@value #FAILURES_COUNTER} (tags {@code group}, {@code failure}) counts failed
 * deliveries by {@link Failure} kind.
 * <p>
 * A record is in flight from its first delivery, or its first failure if it failed to
 * decode, until the handler returns or the error handler gives up on it (a dead letter).
 * Records are tracked per Kafka consumer and partition: entries of partitions a consumer
 * no longer owns are dropped before its next poll, and those of a stopping consumer with
 * it. It hears from the containers' record interceptor
 * ({@link InFlightRecordInterceptor}), the batch containers' batch interceptor
 * ({@link InFlightBatchInterceptor}, which tracks the first record of each partition of a
 * batch) and from {@link DeadLetters#errorHandler the error handler}.
 */
public class InFlightRecords implements ApplicationListener<ConsumerStoppingEvent>, AutoCloseable {

	/** The gauge of the oldest in-flight record's age, per consumer group. */
	public static final String AGE_GAUGE = "kafka.listener.oldest.inflight.age";

	/** The counter of failed deliveries, per consumer group and kind of failure. */
	public static final String FAILURES_COUNTER = "kafka.listener.failed.deliveries";

	private static final Logger log = LoggerFactory.getLogger(InFlightRecords.class);

	private final MeterRegistry meters;

	private final Duration stuckWarning;

	private final Duration stuckDown;

	private final Map<Consumer<?, ?>, Tracked> consumers = new ConcurrentHashMap<>();

	private final Set<String> groups = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread thread = new Thread(task, "in-flight-records");
		thread.setDaemon(true);
		return thread;
	});

	public InFlightRecords(MeterRegistry meters, Duration stuckWarning, Duration stuckDown) {
		this.meters = meters;
		this.stuckWarning = stuckWarning;
		this.stuckDown = stuckDown;
		long period = Math.max(100, Math.min(1000, stuckWarning.toMillis() / 4));
		this.watcher.scheduleWithFixedDelay(this::warnOfStuckRecords, period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * Before {@code consumer} polls: forgets the records of partitions it no longer owns.
	 */
	void polling(Consumer<?, ?> consumer) {
		Set<TopicPartition> assigned = consumer.assignment();
		tracked(consumer).records().keySet().retainAll(assigned);
	}

	/** {@code record} is delivered to its listener (again, if it failed before). */
	void delivered(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record) {
		Tracked tracked = tracked(consumer);
		tracked.records()
			.compute(partition(record), (partition, current) -> isFor(current, record) ? current
					: new InFlight(tracked.group(), partition, record.offset(), Instant.now(), 0, 0));
	}

	@Override
	public void onApplicationEvent(ConsumerStoppingEvent event) {
		this.consumers.remove(event.getConsumer());
	}

	/**
	 * A delivery of {@code record} failed; it will be retried or become a dead letter.
	 */
	void failed(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record, Failure failure, Exception exception) {
		Tracked tracked = tracked(consumer);
		InFlight now = tracked.records()
			.compute(partition(record), (partition, current) -> isFor(current, record) ? current.failedOnce()
					: new InFlight(tracked.group(), partition, record.offset(), Instant.now(), 1, 0));
		Counter.builder(FAILURES_COUNTER)
			.description("Failed deliveries of records to listeners")
			.tag("group", tracked.group())
			.tag("failure", failure.name().toLowerCase())
			.register(this.meters)
			.increment();
		if (now.failures() == 1) {
			log.warn("Delivery of {}-{}@{} to consumer group {} failed ({}): {}", record.topic(), record.partition(),
					record.offset(), tracked.group(), failure, DeadLetters.rootCause(exception).toString());
		}
	}

	/**
	 * A batch listener failed at {@code record} of {@code batch}: Spring commits the
	 * records before it and delivers it and those after it again. The partitions whose
	 * records all come before it are done, the others stay in flight: their first records
	 * come again and keep the time they have been in flight since (so an outage, which
	 * fails a batch at its first record, keeps them all).
	 */
	void failedInBatch(Consumer<?, ?> consumer, ConsumerRecords<?, ?> batch, ConsumerRecord<?, ?> record,
			Failure failure, Exception exception) {
		TopicPartition failedPartition = partition(record);
		for (TopicPartition partition : batch.partitions()) {
			if (partition.equals(failedPartition)) {
				break;
			}
			done(consumer, batch.records(partition).get(0));
		}
		failed(consumer, record, failure, exception);
	}

	/** {@code record} was handled, or given up on. */
	void done(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record) {
		Tracked tracked = this.consumers.get(consumer);
		if (tracked != null) {
			tracked.records()
				.computeIfPresent(partition(record), (partition, current) -> isFor(current, record) ? null : current);
		}
	}

	/** The oldest record in flight in consumer group {@code group}, if any. */
	public Optional<InFlight> oldest(String group) {
		return all().filter(record -> record.group().equals(group)).min(Comparator.comparing(InFlight::since));
	}

	/** The records in flight longer than {@code age}, oldest first. */
	public List<InFlight> olderThan(Duration age) {
		Instant now = Instant.now();
		return all().filter(record -> record.age(now).compareTo(age) > 0)
			.sorted(Comparator.comparing(InFlight::since))
			.toList();
	}

	/** Past this age, a record in flight makes the health DOWN. */
	public Duration stuckDown() {
		return this.stuckDown;
	}

	@Override
	public void close() {
		this.watcher.shutdownNow();
	}

	private Stream<InFlight> all() {
		return this.consumers.values().stream().flatMap(tracked -> tracked.records().values().stream());
	}

	private Tracked tracked(Consumer<?, ?> consumer) {
		return this.consumers.computeIfAbsent(consumer, key -> {
			String group = groupOf(key);
			if (this.groups.add(group)) {
				Gauge.builder(AGE_GAUGE, this, self -> self.oldestAgeSeconds(group))
					.description("Age of the oldest record a listener of the group is handling or retrying")
					.baseUnit("seconds")
					.tag("group", group)
					.register(this.meters);
			}
			return new Tracked(group, new ConcurrentHashMap<>());
		});
	}

	private double oldestAgeSeconds(String group) {
		Instant now = Instant.now();
		return oldest(group).map(record -> record.age(now).toMillis() / 1000.0).orElse(0.0);
	}

	private void warnOfStuckRecords() {
		Instant now = Instant.now();
		for (Tracked tracked : this.consumers.values()) {
			tracked.records().replaceAll((partition, record) -> {
				Duration age = record.age(now);
				int level = (age.compareTo(this.stuckDown) > 0) ? 2 : (age.compareTo(this.stuckWarning) > 0) ? 1 : 0;
				if (level <= record.warned()) {
					return record;
				}
				log.warn("Record {}-{}@{} of consumer group {} in flight for {} after {} failed attempts{}",
						partition.topic(), partition.partition(), record.offset(), record.group(), age.withNanos(0),
						record.failures(), (level == 2) ? "; health DOWN" : "");
				return record.warned(level);
			});
		}
	}

	private static boolean isFor(InFlight current, ConsumerRecord<?, ?> record) {
		return current != null && current.offset() == record.offset();
	}

	private static TopicPartition partition(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	private static String groupOf(Consumer<?, ?> consumer) {
		try {
			return consumer.groupMetadata().groupId();
		}
		catch (RuntimeException ex) {
			return "none";
		}
	}

	private record Tracked(String group, Map<TopicPartition, InFlight> records) {
	}

	/**
	 * A record being handled or retried.
	 *
	 * @param group the consumer group
	 * @param partition its topic and partition
	 * @param offset its offset
	 * @param since when it was first delivered
	 * @param failures how many deliveries failed so far
	 * @param warned 0, or 1 or 2 once it was logged as past the warning or the DOWN
	 * threshold
	 */
	public record InFlight(String group, TopicPartition partition, long offset, Instant since, int failures,
			int warned) {

		/** How long it has been in flight at {@code now}. */
		public Duration age(Instant now) {
			return Duration.between(this.since, now);
		}

		InFlight failedOnce() {
			return new InFlight(this.group, this.partition, this.offset, this.since, this.failures + 1, this.warned);
		}

		InFlight warned(int level) {
			return new InFlight(this.group, this.partition, this.offset, this.since, this.failures, level);
		}

	}

}
