package dev.subscriptions.benchmark;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The wall clock in microseconds since the epoch: the benchmark, the services and
 * PostgreSQL run on one machine, so the client's times, the databases' timestamps
 * ({@code clock_timestamp()}, {@code pg_xact_commit_timestamp}) and Kafka's record
 * timestamps can be subtracted from each other.
 */
final class Clocks {

	private Clocks() {
	}

	static long nowMicros() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
	}

}
