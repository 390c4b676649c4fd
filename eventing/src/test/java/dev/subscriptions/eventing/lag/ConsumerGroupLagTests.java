package dev.subscriptions.eventing.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.consumer.SentDeadLetters;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.Snapshot;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.Subscription;

/**
 * The lag measurement when Kafka cannot be reached, and the commit times in offset
 * metadata.
 */
class ConsumerGroupLagTests {

	@Test
	void marksTheFiguresStaleAndKeepsMeasuringWhileKafkaCannotBeReached() throws IOException {
		String unreachable = "localhost:" + unusedPort();
		Map<String, Object> clients = Map.of("bootstrap.servers", unreachable, "request.timeout.ms", 300,
				"default.api.timeout.ms", 300, "reconnect.backoff.max.ms", 100);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Instant created = Instant.now();
		ConsumerGroupLag lag = new ConsumerGroupLag(() -> Admin.create(clients),
				() -> new KafkaConsumer<>(clients, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				() -> List.of(new Subscription("some-group", Set.of("some.topic"), null)), Set::of,
				new SentDeadLetters(meters), meters, Clock.systemUTC(),
				new ConsumerGroupLag.Settings(Duration.ofMillis(50), Duration.ofMillis(300), ".DLT"));
		lag.start();
		try {
			Snapshot failed = await().atMost(Duration.ofSeconds(20))
				.until(lag::snapshot, snapshot -> snapshot.stale() && snapshot.attemptedAt() != null);
			Instant firstFailure = failed.attemptedAt();

			await().atMost(Duration.ofSeconds(20))
				.until(() -> lag.snapshot().attemptedAt().isAfter(firstFailure) && lag.snapshot().stale());
			assertThat(lag.snapshot().measuredAt()).isNull();
			assertThat(lag.snapshot().failure()).isNotBlank();
			assertThat(lag.snapshot().partitions()).isEmpty();
			assertThat(meters.find(ConsumerGroupLag.LAG).gauges()).isEmpty();
			assertThat(meters.get(ConsumerGroupLag.MEASURED).gauge().value())
				.as("no measurement succeeded: the monitor's start")
				.isBetween(created.toEpochMilli() / 1000.0 - 1, firstFailure.toEpochMilli() / 1000.0);
		}
		finally {
			lag.stop();
		}
		assertThat(lag.isRunning()).isFalse();
	}

	@Test
	void readsBackTheCommitTimeItWroteAndNoneFromOtherMetadata() {
		CommitTimestamps timestamps = new CommitTimestamps(
				Clock.fixed(Instant.parse("2026-12-01T19:00:00.250Z"), java.time.ZoneOffset.UTC));

		OffsetAndMetadata commit = timestamps.provide(null, 42);

		assertThat(commit.offset()).isEqualTo(42);
		assertThat(CommitTimestamps.of(commit))
			.isEqualTo(OptionalLong.of(Instant.parse("2026-12-01T19:00:00.250Z").toEpochMilli()));
		assertThat(CommitTimestamps.of(new OffsetAndMetadata(42))).isEmpty();
		assertThat(CommitTimestamps.of(new OffsetAndMetadata(42, "committed by a tool"))).isEmpty();
		assertThat(CommitTimestamps.of(new OffsetAndMetadata(42, CommitTimestamps.PREFIX + "x"))).isEmpty();
		assertThat(CommitTimestamps.of(null)).isEmpty();
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
