package dev.subscriptions.eventing.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox as operators see it:
 * <ul>
 * <li>{@code outbox.pending}: rows not yet acknowledged by Kafka;</li>
 * <li>{@code outbox.oldest.age}: seconds since the oldest of them was committed (0 when
 * none);</li>
 * <li>{@code outbox.published}: events acknowledged by Kafka, by topic;</li>
 * <li>{@code outbox.publish.latency}: from the append to Kafka's acknowledgement of that
 * row;</li>
 * <li>{@code outbox.acknowledgement.latency}: from the relay's send to Kafka's
 * acknowledgement;</li>
 * <li>{@code outbox.parked.rows}: rows parked because Kafka refused them or a row of
 * their key before them;</li>
 * <li>{@code outbox.parked}: rows parked, by topic and cause ({@code outbox_parked_total}
 * in Prometheus; the gauge cannot be called {@code outbox.parked} too, as Prometheus
 * refuses a gauge and a counter of one base name);</li>
 * <li>{@code outbox.relay.leader}: 1 while this instance's relay holds the leadership,
 * else 0;</li>
 * <li>{@code outbox.relay.restarts}: relay threads that died of an uncaught error and
 * were started again.</li>
 * </ul>
 * The backlog gauges share one query, run at most once a second however often they are
 * scraped.
 */
public class OutboxMetrics {

	private static final long SNAPSHOT_MILLIS = 1000;

	private final JdbcTemplate jdbc;

	private final MeterRegistry registry;

	private final Map<String, Counter> published = new ConcurrentHashMap<>();

	private final Map<String, Counter> parked = new ConcurrentHashMap<>();

	private final Timer latency;

	private final Timer acknowledgement;

	private final Counter restarts;

	private volatile Backlog backlog = new Backlog(0, 0, 0, 0);

	public OutboxMetrics(JdbcTemplate jdbc, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.registry = registry;
		this.latency = Timer.builder("outbox.publish.latency")
			.description("Time from appending an event to the outbox until Kafka acknowledged it")
			.publishPercentileHistogram()
			.register(registry);
		this.acknowledgement = Timer.builder("outbox.acknowledgement.latency")
			.description("Time from the relay's send of an outbox event until Kafka acknowledged it")
			.publishPercentileHistogram()
			.register(registry);
		Gauge.builder("outbox.pending", this, metrics -> metrics.backlog().pending())
			.description("Outbox events not yet acknowledged by Kafka")
			.register(registry);
		Gauge.builder("outbox.oldest.age", this, metrics -> metrics.backlog().oldestAgeSeconds())
			.description("Age in seconds of the oldest outbox event not yet acknowledged by Kafka")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("outbox.parked.rows", this, metrics -> metrics.backlog().parked())
			.description("Outbox rows parked because Kafka refused them or a row of their key before them")
			.register(registry);
		this.restarts = Counter.builder("outbox.relay.restarts")
			.description("Relay threads that died of an uncaught error and were started again")
			.register(registry);
	}

	/**
	 * Registers the leadership gauge of a relay. The gauge holds {@code leader} strongly:
	 * a relay passes a method reference that nothing else holds, which a gauge's default
	 * weak reference would lose at the next collection, and the gauge would read NaN.
	 */
	void leadership(BooleanSupplier leader) {
		Gauge.builder("outbox.relay.leader", leader, supplier -> supplier.getAsBoolean() ? 1 : 0)
			.description("1 while this instance's outbox relay holds the leadership, else 0")
			.strongReference(true)
			.register(this.registry);
	}

	void parked(String topic, String cause, long rows) {
		this.parked
			.computeIfAbsent(topic + '\u0000' + cause,
					name -> Counter.builder("outbox.parked")
						.description("Outbox rows parked, by topic and cause")
						.tag("topic", topic)
						.tag("cause", cause)
						.register(this.registry))
			.increment(rows);
	}

	void restarted() {
		this.restarts.increment();
	}

	/**
	 * Counts an event Kafka acknowledged.
	 * @param latency from its append to the acknowledgement
	 * @param acknowledgement from its send to the acknowledgement
	 */
	void published(String topic, Duration latency, Duration acknowledgement) {
		this.published
			.computeIfAbsent(topic,
					name -> Counter.builder("outbox.published")
						.description("Outbox events acknowledged by Kafka")
						.tag("topic", name)
						.register(this.registry))
			.increment();
		this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
		this.acknowledgement.record(acknowledgement.isNegative() ? Duration.ZERO : acknowledgement);
	}

	/**
	 * Rows waiting, the age of the oldest and rows parked, from a snapshot at most a
	 * second old.
	 */
	public Backlog backlog() {
		Backlog current = this.backlog;
		long now = System.currentTimeMillis();
		if (now - current.takenAtMillis() >= SNAPSHOT_MILLIS) {
			current = this.jdbc.queryForObject("""
					select count(*), coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0),
						(select count(*) from outbox_parked)
					from outbox""",
					(rs, row) -> new Backlog(rs.getLong(1), Math.max(0, rs.getDouble(2)), rs.getLong(3), now));
			this.backlog = current;
		}
		return current;
	}

	/**
	 * A snapshot of the outbox.
	 *
	 * @param pending rows not yet acknowledged
	 * @param oldestAgeSeconds age of the oldest of them, 0 when none
	 * @param parked rows parked
	 * @param takenAtMillis when the snapshot was taken
	 */
	public record Backlog(long pending, double oldestAgeSeconds, long parked, long takenAtMillis) {
	}

}
