package dev.subscriptions.eventing.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Outbox rows that Kafka refused for good, in table {@code outbox_parked}, and the
 * operators' commands on them.
 * <p>
 * A parked row keeps every outbox column, its position included. Parking a row parks the
 * rows of its {@code (topic, key)} behind it, and the relay parks every later row of a
 * key that has parked rows, so that the key's order holds while every other key keeps
 * flowing (as Axon's sequenced dead letters do). A requeue moves rows back to the outbox,
 * in the order of their original positions, together with the rows of their keys still
 * waiting there; so the key's order holds after the requeue too.
 * <p>
 * Parking and requeueing take one transaction-scoped advisory lock, so that a requeue
 * never interleaves with the relay moving rows of the same key.
 */
public class ParkedOutbox {

	/** The advisory lock key of parking and requeueing: "parked" in ASCII. */
	static final long LOCK_KEY = 0x7061726b6564L;

	private static final String COLUMNS = "position, id, aggregatetype, aggregateid, type, payload, topic, headers, created_at";

	private static final String OUTBOX_COLUMNS = "id, aggregatetype, aggregateid, type, payload, topic, headers, created_at";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final OutboxSignal signal;

	private final OutboxMetrics metrics;

	public ParkedOutbox(JdbcTemplate jdbc, TransactionTemplate transactions, OutboxSignal signal,
			OutboxMetrics metrics) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.signal = signal;
		this.metrics = metrics;
	}

	/**
	 * Moves an outbox row to the parked rows, with the rows of its key that follow it in
	 * the outbox.
	 * @return how many rows were parked (0 if the row is no longer in the outbox)
	 */
	int park(long position, String cause, int attempts, Instant firstFailedAt, Instant lastFailedAt) {
		Integer parked = this.transactions.execute(status -> {
			lock();
			List<String> topics = this.jdbc.queryForList("""
					with moved as (delete from outbox where position = ? returning %s)
					insert into outbox_parked (%s, cause, attempts, first_failed_at, last_failed_at)
					select %s, ?, ?, ?, ? from moved
					returning topic""".formatted(COLUMNS, COLUMNS, COLUMNS), String.class, position, cause, attempts,
					Timestamp.from(firstFailedAt), Timestamp.from(lastFailedAt));
			if (topics.isEmpty()) {
				return 0;
			}
			this.metrics.parked(topics.get(0), cause, 1);
			List<String> behind = this.jdbc.queryForList("""
					with moved as (
						delete from outbox o
						using outbox_parked p
						where p.position = ? and o.topic = p.topic and o.aggregateid = p.aggregateid
						and o.position > p.position
						returning %s)
					insert into outbox_parked (%s, cause, attempts)
					select %s, ?, 0 from moved
					returning topic""".formatted(prefixed("o", COLUMNS), COLUMNS, COLUMNS), String.class, position,
					SendFailure.BEHIND_PARKED);
			countBehind(behind);
			return 1 + behind.size();
		});
		return (parked != null) ? parked : 0;
	}

	/**
	 * Parks those of the given outbox rows whose key has parked rows (still, when this
	 * runs).
	 * @return how many rows were parked
	 */
	int parkBehind(List<Long> positions) {
		Integer parked = this.transactions.execute(status -> {
			lock();
			List<String> behind = this.jdbc.queryForList("""
					with moved as (
						delete from outbox o
						where o.position = any(?) and exists (select 1 from outbox_parked p
							where p.topic = o.topic and p.aggregateid = o.aggregateid)
						returning %s)
					insert into outbox_parked (%s, cause, attempts)
					select %s, ?, 0 from moved
					returning topic""".formatted(prefixed("o", COLUMNS), COLUMNS, COLUMNS), String.class,
					positions.toArray(Long[]::new), SendFailure.BEHIND_PARKED);
			countBehind(behind);
			return behind.size();
		});
		return (parked != null) ? parked : 0;
	}

	private void countBehind(List<String> topics) {
		topics.stream()
			.distinct()
			.forEach(topic -> this.metrics.parked(topic, SendFailure.BEHIND_PARKED,
					topics.stream().filter(topic::equals).count()));
	}

	/** How many rows are parked. */
	public long count() {
		Long count = this.jdbc.queryForObject("select count(*) from outbox_parked", Long.class);
		return (count != null) ? count : 0;
	}

	/** The parked rows, oldest first, at most {@code limit} of them. */
	public List<ParkedRow> list(int limit) {
		return this.jdbc.query(
				"""
						select position, id, topic, aggregateid, type, cause, attempts, first_failed_at, last_failed_at, parked_at
						from outbox_parked order by position limit ?""",
				ParkedOutbox::parkedRow, limit);
	}

	/** Requeues every parked row. */
	public int requeueAll() {
		return requeue("true");
	}

	/** Requeues the parked rows of a key (on any topic). */
	public int requeueKey(String key) {
		return requeue("aggregateid = ?", key);
	}

	/**
	 * Requeues a parked row and the rows of its key parked behind it; nothing if a row of
	 * its key is parked before it (requeued alone, it would be parked again behind that
	 * one).
	 */
	public int requeueId(UUID id) {
		return requeue("""
				(topic, aggregateid) = (select topic, aggregateid from outbox_parked where id = ?)
				and position >= (select position from outbox_parked where id = ?)
				and not exists (select 1 from outbox_parked earlier, outbox_parked chosen
					where chosen.id = ? and earlier.topic = chosen.topic and earlier.aggregateid = chosen.aggregateid
					and earlier.position < chosen.position)""", id, id, id);
	}

	/** Deletes a parked row for good. */
	public int discardId(UUID id) {
		return this.jdbc.update("delete from outbox_parked where id = ?", id);
	}

	/** Deletes the parked rows of a key (on any topic) for good. */
	public int discardKey(String key) {
		return this.jdbc.update("delete from outbox_parked where aggregateid = ?", key);
	}

	/**
	 * Moves parked rows back to the outbox with the rows of their keys waiting there,
	 * inserting them one by one in the order of their positions, so that their new
	 * positions keep that order.
	 */
	private int requeue(String condition, Object... arguments) {
		Integer requeued = this.transactions.execute(status -> {
			lock();
			List<OutboxRow> rows = new ArrayList<>(
					this.jdbc.query("delete from outbox_parked where " + condition + " returning " + COLUMNS,
							ParkedOutbox::outboxRow, arguments));
			if (rows.isEmpty()) {
				return 0;
			}
			String[] topics = rows.stream().map(OutboxRow::topic).toArray(String[]::new);
			String[] keys = rows.stream().map(OutboxRow::key).toArray(String[]::new);
			rows.addAll(this.jdbc.query("""
					delete from outbox o
					where (o.topic, o.aggregateid) in (select * from unnest(?::text[], ?::text[]))
					returning %s""".formatted(prefixed("o", COLUMNS)), ParkedOutbox::outboxRow, topics, keys));
			rows.sort(Comparator.comparingLong(OutboxRow::position));
			this.jdbc.batchUpdate("insert into outbox (" + OUTBOX_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)",
					rows.stream()
						.map(row -> new Object[] { row.id(), row.aggregateType(), row.key(), row.type(), row.payload(),
								row.topic(), row.headers(), row.createdAt() })
						.toList());
			return rows.size();
		});
		this.signal.eventsCommitted();
		return (requeued != null) ? requeued : 0;
	}

	private void lock() {
		this.jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, LOCK_KEY);
	}

	private static String prefixed(String alias, String columns) {
		return alias + "." + columns.replace(", ", ", " + alias + ".");
	}

	private static OutboxRow outboxRow(ResultSet rs, int rowNum) throws SQLException {
		return new OutboxRow(rs.getLong("position"), rs.getObject("id", UUID.class), rs.getString("aggregatetype"),
				rs.getString("aggregateid"), rs.getString("type"), rs.getBytes("payload"), rs.getString("topic"),
				rs.getString("headers"), rs.getTimestamp("created_at"));
	}

	private static ParkedRow parkedRow(ResultSet rs, int rowNum) throws SQLException {
		return new ParkedRow(rs.getLong("position"), rs.getObject("id", UUID.class), rs.getString("topic"),
				rs.getString("aggregateid"), rs.getString("type"), rs.getString("cause"), rs.getInt("attempts"),
				instant(rs.getTimestamp("first_failed_at")), instant(rs.getTimestamp("last_failed_at")),
				rs.getTimestamp("parked_at").toInstant());
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A parked row as operators see it.
	 *
	 * @param position its position in the outbox when it was parked
	 * @param id the event id
	 * @param topic the topic
	 * @param key the record key ({@code aggregateid})
	 * @param type the event type
	 * @param cause why it was parked ({@code behind_parked} for a row parked behind
	 * another of its key)
	 * @param attempts how often Kafka refused it (0 for a row parked behind another)
	 * @param firstFailedAt the first refusal
	 * @param lastFailedAt the last refusal
	 * @param parkedAt when it was parked
	 */
	public record ParkedRow(long position, UUID id, String topic, String key, String type, String cause, int attempts,
			@Nullable Instant firstFailedAt, @Nullable Instant lastFailedAt, Instant parkedAt) {
	}

	private record OutboxRow(long position, UUID id, String aggregateType, String key, String type, byte[] payload,
			String topic, String headers, Timestamp createdAt) {
	}

}
