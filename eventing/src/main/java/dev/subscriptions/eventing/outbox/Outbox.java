package dev.subscriptions.eventing.outbox;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: an event appended here is written to the {@code outbox} table
 * in the caller's database transaction, so it is published if and only if that
 * transaction commits. The {@link OutboxRelay} publishes it.
 * <p>
 * The record is serialized at once (Confluent's wire format by default), so the row holds
 * the exact bytes that reach Kafka. The columns
 * {@code id, aggregatetype, aggregateid, type, payload} follow Debezium's outbox event
 * router, which can replace the relay: route by the {@code topic} column and publish
 * {@code payload} with the byte-array converter.
 * <p>
 * Events of one key are published in the order they were appended, provided that the
 * transactions appending them are ordered too, which holds when each of them changes the
 * aggregate the key names (its row lock or version orders them).
 * <p>
 * The event id (the row's {@code id} and the {@code event_id} header) is read from the
 * record's {@code event_id} field by name, not taken as an argument or from a generated
 * class: eventing knows no event type of the platform (it publishes any
 * {@link SpecificRecord}, its own tests' too), and every caller would otherwise pass the
 * id the record already holds, which could then differ from it. Every event of the
 * platform has that field: {@code schemas}' {@code ContractSyncTests}
 * ({@code startsEveryEventWithTheFieldsOfItsTopicsHeader}) fails the build unless each
 * schema of each {@code Topic} starts with its topic's header, whose first field is
 * {@code event_id}. A record without one (none of the platform's) gets a new id.
 */
public class Outbox {

	static final String EVENT_TYPE_HEADER = "event_type";

	static final String EVENT_ID_HEADER = "event_id";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String INSERT = """
			insert into outbox (id, aggregatetype, aggregateid, type, payload, topic, headers)
			values (?, ?, ?, ?, ?, ?, ?::jsonb)""";

	private final JdbcTemplate jdbc;

	private final Serializer<Object> serializer;

	private final OutboxSignal signal;

	public Outbox(JdbcTemplate jdbc, Serializer<Object> serializer, OutboxSignal signal) {
		this.jdbc = jdbc;
		this.serializer = serializer;
		this.signal = signal;
	}

	/**
	 * Appends an event to be published to {@code topic} with {@code key}. Must run inside
	 * the transaction that changes the state the event tells of.
	 * @return the event id: the record's {@code event_id} field, or a new one when it has
	 * none
	 */
	public UUID append(String topic, String key, SpecificRecord event) {
		requireTransaction();
		Object[] row = row(new Event(topic, key, event));
		this.jdbc.update(INSERT, row);
		signalAfterCommit();
		return (UUID) row[0];
	}

	/**
	 * Appends events in the order given, in one JDBC batch (one multi-row insert with the
	 * driver's {@code reWriteBatchedInserts}), so that their positions follow that order.
	 * Must run inside the transaction that changes the state the events tell of.
	 * @return the event ids, in the order of {@code events}
	 */
	public List<UUID> appendAll(List<Event> events) {
		requireTransaction();
		if (events.isEmpty()) {
			return List.of();
		}
		List<Object[]> rows = events.stream().map(this::row).toList();
		this.jdbc.batchUpdate(INSERT, rows);
		signalAfterCommit();
		return rows.stream().map(row -> (UUID) row[0]).toList();
	}

	private Object[] row(Event event) {
		Schema schema = event.record().getSchema();
		UUID eventId = eventId(event.record());
		byte[] payload = this.serializer.serialize(event.topic(), event.record());
		String headers = JSON.createObjectNode()
			.put(EVENT_TYPE_HEADER, schema.getName())
			.put(EVENT_ID_HEADER, eventId.toString())
			.toString();
		return new Object[] { eventId, event.topic(), event.key(), schema.getName(), payload, event.topic(), headers };
	}

	private static void requireTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"Outbox.append must run inside the transaction that changes the aggregate; none is active");
		}
	}

	private void signalAfterCommit() {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Outbox.this.signal.eventsCommitted();
			}
		});
	}

	/**
	 * An event to append: published to {@code topic} with {@code key}.
	 *
	 * @param topic the topic to publish to
	 * @param key the record key
	 * @param record the event
	 */
	public record Event(String topic, String key, SpecificRecord record) {

	}

	/** The record's {@code event_id} field, see the class comment. */
	private static UUID eventId(SpecificRecord event) {
		Schema.Field field = event.getSchema().getField("event_id");
		if (field == null) {
			return UUID.randomUUID();
		}
		return UUID.fromString(String.valueOf(event.get(field.pos())));
	}

}
