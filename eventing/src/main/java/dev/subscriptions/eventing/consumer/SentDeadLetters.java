package dev.subscriptions.eventing.consumer;

import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.subscriptions.eventing.consumer.DeadLetters.Failure;

/**
 * The counter {@value #METER} ({@code kafka_dead_letters_sent_total} in Prometheus), tags
 * {@code group} (the consumer group that gave up on the record), {@code topic} (the
 * dead-letter topic it was written to) and {@code cause}: {@code poison} (it could not be
 * read) or {@code deterministic} (its handler failed every attempt). Outages never make
 * dead letters. Counted once the dead letter is acknowledged by Kafka.
 */
public class SentDeadLetters {

	/** The counter of dead letters sent. */
	public static final String METER = "kafka.dead.letters.sent";

	private final MeterRegistry meters;

	public SentDeadLetters(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Registers the counters of {@code group}'s dead letters to {@code deadLetterTopic}
	 * at 0, for each cause, so that their rates start at 0 rather than with the first
	 * dead letter.
	 */
	public void expect(String group, String deadLetterTopic) {
		counter(group, deadLetterTopic, Failure.POISON);
		counter(group, deadLetterTopic, Failure.DETERMINISTIC);
	}

	void sent(String group, String deadLetterTopic, Failure cause) {
		counter(group, deadLetterTopic, cause).increment();
	}

	private Counter counter(String group, String deadLetterTopic, Failure cause) {
		return Counter.builder(METER)
			.description("Records this service sent to a dead-letter topic, by consumer group and cause")
			.tag("group", group)
			.tag("topic", deadLetterTopic)
			.tag("cause", cause.name().toLowerCase(Locale.ROOT))
			.register(this.meters);
	}

}
