package dev.subscriptions.eventing.lag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.subscriptions.eventing.lag.ConsumerGroupLag.PartitionLag;
import dev.subscriptions.eventing.lag.ConsumerGroupLag.Snapshot;

/**
 * Actuator endpoint {@code kafkalag}: {@code GET /actuator/kafkalag} gives the last
 * measurement of {@link ConsumerGroupLag} without Prometheus: <pre class="code">
 * {
 *   "measuredAt": "2026-12-01T19:00:00.123Z",
 *   "stale": false, "attemptedAt": "2026-12-01T19:00:00.123Z", "failure": null,
 *   "groups": {
 *     "benefit-service": {
 *       "subscription.events": {
 *         "0": { "lag": 2, "lagSeconds": 3.5, "committedOffset": 40, "logEndOffset": 42,
 *                "lastCommitTimestampSeconds": 1796151597.5, "lastCommitAt": "2026-12-01T18:59:57.500Z",
 *                "lastCommitSource": "metadata", "committed": true, "measuredAt": "2026-12-01T19:00:00.123Z" }
 *       }
 *     }
 *   },
 *   "deadLetterTopics": { "subscription.events.benefit-service.DLT": 0 }
 * }
 * </pre> Figures that are unknown (a lag in seconds whose record could not be read in
 * time, the commit time of a partition without commit) are {@code null}. After a failed
 * measurement {@code stale} is {@code true}, {@code failure} says why and the figures are
 * those measured at {@code measuredAt}.
 */
@Endpoint(id = "kafkalag")
public class KafkaLagEndpoint {

	private final ConsumerGroupLag lag;

	public KafkaLagEndpoint(ConsumerGroupLag lag) {
		this.lag = lag;
	}

	@ReadOperation
	public Map<String, @Nullable Object> lag() {
		Snapshot snapshot = this.lag.snapshot();
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("measuredAt", text(snapshot.measuredAt()));
		answer.put("stale", snapshot.stale());
		answer.put("attemptedAt", text(snapshot.attemptedAt()));
		answer.put("failure", snapshot.failure());
		Map<String, Map<String, Map<String, Map<String, @Nullable Object>>>> groups = new TreeMap<>();
		for (PartitionLag partition : snapshot.partitions()) {
			groups.computeIfAbsent(partition.group(), group -> new TreeMap<>())
				.computeIfAbsent(partition.topic(), topic -> new TreeMap<>())
				.put(Integer.toString(partition.partition()), figures(partition, snapshot.measuredAt()));
		}
		answer.put("groups", groups);
		answer.put("deadLetterTopics", snapshot.deadLetterTopics());
		return answer;
	}

	private static Map<String, @Nullable Object> figures(PartitionLag partition, @Nullable Instant measuredAt) {
		Map<String, @Nullable Object> figures = new LinkedHashMap<>();
		figures.put("lag", partition.lag());
		figures.put("lagSeconds", number(partition.lagSeconds()));
		figures.put("committedOffset", partition.committedOffset());
		figures.put("logEndOffset", partition.logEndOffset());
		figures.put("lastCommitTimestampSeconds", number(partition.lastCommitTimestampSeconds()));
		figures.put("lastCommitAt", text(partition.lastCommitAt()));
		figures.put("lastCommitSource", partition.lastCommitSource().name().toLowerCase());
		figures.put("committed", partition.committed());
		figures.put("measuredAt", text(measuredAt));
		return figures;
	}

	private static @Nullable Double number(double value) {
		return Double.isNaN(value) ? null : value;
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
