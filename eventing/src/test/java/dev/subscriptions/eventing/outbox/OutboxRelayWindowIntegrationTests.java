package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;

/**
 * The relay's window, with producers that answer only when the test says so: it keeps
 * sending while earlier records are unacknowledged, never beyond the window; it deletes
 * what was acknowledged in bulk; after a failure, parking, or the loss of its leadership
 * in the middle of the window it resends from the first row not acknowledged, in each
 * key's order, losing nothing; on stop it waits for the window; and a row whose
 * transaction commits after later positions were read (concurrent writers) is sent while
 * the window is busy, before the later rows of its key.
 */
@SpringBootTest(properties = "eventing.relay.enabled=false")
@Import(EmbeddedInfrastructure.class)
class OutboxRelayWindowIntegrationTests {

	@Autowired
	Outbox outbox;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	KafkaProperties kafkaProperties;

	@Autowired
	DataSourceProperties dataSourceProperties;

	@Autowired
	OutboxSignal signal;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	/** The rows each of the relay's deletes removed, in order. */
	private final List<Integer> deletes = new CopyOnWriteArrayList<>();

	/** Every producer the relay took, in order. */
	private final List<ManualProducer> producers = new CopyOnWriteArrayList<>();

	private TestRelays relays;

	private String topic;

	/** The position of each row by its payload, to name what a producer was sent. */
	private Map<ByteBuffer, Long> positions;

	/** The name of each event appended one at a time, by its payload. */
	private final Map<ByteBuffer, String> names = new ConcurrentHashMap<>();

	@BeforeEach
	void emptyOutbox() {
		this.topic = "window-" + UUID.randomUUID();
		this.jdbc.update("delete from outbox");
		this.jdbc.update("delete from outbox_parked");
		JdbcTemplate counting = new JdbcTemplate(this.dataSource) {

			@Override
			public <T> @Nullable T execute(String sql, PreparedStatementCallback<T> action) {
				T result = super.execute(sql, action);
				if (sql.contains("delete from outbox where position = any") && result instanceof Integer deleted) {
					OutboxRelayWindowIntegrationTests.this.deletes.add(deleted);
				}
				return result;
			}

		};
		this.relays = new TestRelays(counting, this.transactionManager, this.kafkaProperties, this.dataSourceProperties,
				this.signal);
	}

	@AfterEach
	void stopRelays() {
		this.relays.stopAll();
	}

	@Test
	void keepsSendingWhileEarlierRecordsAreUnacknowledgedButNeverBeyondTheWindow() {
		List<Long> appended = append(200, 10);
		startRelay(settings -> {
			settings.setBatchSize(10);
			settings.setMaxInFlight(50);
		});

		ManualProducer producer = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> producer.outstanding() == 50);
		assertThat(producer.answered()).as("acknowledged before the window filled").isZero();
		while (producer.answered() < 200) {
			int expected = Math.min(50, 200 - producer.answered());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(producer.outstanding())
					.as("in flight with %d of %d sent answered, %d rows left", producer.answered(),
							producer.history().size(), count())
					.isEqualTo(expected));
			for (int i = 0; i < 10; i++) {
				producer.completeNext();
			}
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		assertThat(producer.maxOutstanding()).isEqualTo(50);
		assertThat(positions(producer.history())).isEqualTo(appended);
		assertThat(this.producers).hasSize(1);
		assertThat(this.registry.get("outbox.published").counter().count()).isEqualTo(200);
		assertThat(this.registry.get("outbox.acknowledgement.latency").timer().count()).isEqualTo(200);
	}

	@Test
	void deletesTheAcknowledgedRowsOfAWindowInOneStatement() {
		append(100, 5);
		startRelay(settings -> {
			settings.setBatchSize(100);
			settings.setMaxInFlight(100);
			settings.getLeadership().setHeartbeatInterval(Duration.ofSeconds(10));
			settings.getLeadership().setIdleSessionTimeout(Duration.ofSeconds(60));
		});
		ManualProducer producer = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> producer.outstanding() == 100);

		while (producer.completeNext()) {
			// answers every record, oldest first
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		assertThat(this.deletes).containsExactly(100);
	}

	@Test
	void resendsFromTheFirstUnacknowledgedRowAfterAFailureMidWindow() {
		List<Long> appended = append(30, 3);
		startRelay(settings -> {
			settings.setBatchSize(10);
			settings.setMaxInFlight(30);
		});
		ManualProducer first = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.outstanding() == 30);

		for (int i = 0; i < 10; i++) {
			first.completeNext();
		}
		first.errorNext(new NotEnoughReplicasException("injected by the test"));

		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		assertThat(first.closed()).isTrue();
		assertThat(this.producers).hasSize(2);
		List<Long> resent = positions(this.producers.get(1).history());
		assertThat(resent).as("resent from the first row not acknowledged").isEqualTo(appended.subList(10, 30));
		List<Long> delivered = new ArrayList<>(positions(first.history()).subList(0, 10));
		delivered.addAll(resent);
		assertThat(delivered).as("each row once, in order").isEqualTo(appended);
	}

	@Test
	void parksARowRefusedMidWindowWithItsKeyWhileTheOtherKeysRowsAreResent() {
		List<Long> appended = append(10, 2);
		startRelay(settings -> {
			settings.setBatchSize(5);
			settings.setMaxInFlight(10);
		});
		ManualProducer first = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.outstanding() == 10);

		first.completeNext();
		first.completeNext();
		first.errorNext(new RecordTooLargeException("injected by the test"));

		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		List<ParkedOutbox.ParkedRow> parked = parked();
		assertThat(parked).extracting(ParkedOutbox.ParkedRow::position)
			.containsExactly(appended.get(2), appended.get(4), appended.get(6), appended.get(8));
		assertThat(parked).extracting(ParkedOutbox.ParkedRow::cause)
			.containsExactly("record_too_large", "behind_parked", "behind_parked", "behind_parked");
		assertThat(positions(this.producers.get(this.producers.size() - 1).history()))
			.as("the other key's rows not acknowledged")
			.containsExactly(appended.get(3), appended.get(5), appended.get(7), appended.get(9));
	}

	@Test
	void dropsItsWindowWhenItLosesTheLeadershipAndTheNextLeaderResendsTheRest() throws Exception {
		List<Long> appended = append(30, 3);
		OutboxRelay relay = startRelay(settings -> {
			settings.setBatchSize(10);
			settings.setMaxInFlight(30);
			settings.getLeadership().setHeartbeatInterval(Duration.ofMillis(200));
			// A relay that lost its leadership tries again at its next poll: long enough
			// here for the test to take the lock first.
			settings.setPollInterval(Duration.ofSeconds(2));
		});
		ManualProducer first = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.outstanding() == 30);
		for (int i = 0; i < 5; i++) {
			first.completeNext();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 25);
		this.signal.takePending();

		try (Connection other = this.dataSource.getConnection()) {
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
				this.jdbc.queryForList("""
						select pg_terminate_backend(pid) from pg_stat_activity
						where application_name = 'outbox-relay-leader' and datname = current_database()""");
				return tryLock(other);
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> !relay.isLeader() && first.closed());
			assertThat(count()).as("rows in flight stay in the outbox").isEqualTo(25);
			assertThat(this.producers).as("no producer while another session leads").hasSize(1);
			unlock(other);
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		assertThat(relay.isLeader()).isTrue();
		assertThat(this.producers).hasSize(2);
		assertThat(positions(this.producers.get(1).history())).isEqualTo(appended.subList(5, 30));
	}

	@Test
	void waitsForTheWholeWindowWhenStopped() throws Exception {
		List<Long> appended = append(30, 3);
		OutboxRelay relay = startRelay(settings -> {
			settings.setBatchSize(10);
			settings.setMaxInFlight(30);
			settings.setDrainTimeout(Duration.ofSeconds(30));
		});
		ManualProducer producer = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> producer.outstanding() == 30);

		CompletableFuture<Void> stopped = CompletableFuture.runAsync(relay::stop);
		await().atMost(Duration.ofSeconds(10)).until(() -> !relay.isRunning());
		assertThat(stopped).isNotDone();
		while (producer.completeNext()) {
			// answers every record, oldest first
		}
		stopped.get();

		assertThat(count()).isZero();
		assertThat(this.producers).hasSize(1);
		assertThat(positions(producer.history())).isEqualTo(appended);
	}

	@Test
	void sendsARowThatCommittedAfterTheFirstRowOfThePassBeforeTheLaterRowOfItsKey() throws Exception {
		sendsALateRowBeforeTheLaterRowOfItsKey(false);
	}

	@Test
	void sendsARowThatCommittedLateInAGapOfThePassBeforeTheLaterRowOfItsKey() throws Exception {
		sendsALateRowBeforeTheLaterRowOfItsKey(true);
	}

	/**
	 * Transaction 1 inserts a row of key A and stays open; transaction 2 inserts a row of
	 * key B and commits; the relay sends B's row. Transaction 1 commits, then transaction
	 * 3 (which would have waited for A's lock) inserts A's next row and commits. Every
	 * record stays unanswered until the end, so the window is busy throughout.
	 * @param earlierRowInFlight whether a row read before transaction 1 is in flight (the
	 * late row is a gap between the rows read) or B's row is the first of the pass (the
	 * late row is below it)
	 */
	private void sendsALateRowBeforeTheLaterRowOfItsKey(boolean earlierRowInFlight) throws Exception {
		startRelay(settings -> {
			settings.setBatchSize(10);
			settings.setMaxInFlight(50);
		});
		String keyA = UUID.randomUUID().toString();
		Map<String, Long> positions = new LinkedHashMap<>();
		int expected = 0;
		if (earlierRowInFlight) {
			positions.put("c", appendCommitted(UUID.randomUUID().toString(), "c"));
			awaitSent(++expected);
		}
		OpenTransaction first = open(keyA, "a1");
		positions.put("b", appendCommitted(UUID.randomUUID().toString(), "b"));
		awaitSent(++expected);
		ManualProducer producer = firstProducer();

		positions.put("a1", first.commit());
		positions.put("a2", appendCommitted(keyA, "a2"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> producer.history().stream().anyMatch(record -> name(record).equals("a2")));

		assertThat(positions.get("a1")).isLessThan(positions.get("b")).isLessThan(positions.get("a2"));
		assertThat(producer.answered()).as("answered before the late row was sent").isZero();
		assertThat(producer.history()).filteredOn(record -> record.key().equals(keyA))
			.extracting(this::name)
			.as("key A in position order")
			.containsExactly("a1", "a2");
		while (producer.completeNext()) {
			// answers every record, oldest first
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		assertThat(this.producers).hasSize(1);
		assertThat(producer.history()).extracting(this::name)
			.as("every row once")
			.containsExactlyInAnyOrderElementsOf(positions.keySet());
	}

	@Test
	void goesOnPastTheGapARolledBackInsertLeft() throws Exception {
		startRelay(settings -> {
			settings.setBatchSize(10);
			settings.setMaxInFlight(50);
		});
		String keyA = UUID.randomUUID().toString();
		String keyB = UUID.randomUUID().toString();
		List<Long> committed = new ArrayList<>();
		committed.add(appendCommitted(keyB, "b1"));
		awaitSent(1);
		OpenTransaction rolledBack = open(keyA, "rolled back");
		committed.add(appendCommitted(keyB, "b2"));
		awaitSent(2);
		long gap = rolledBack.rollBack();
		committed.add(appendCommitted(keyA, "a1"));
		committed.add(appendCommitted(keyB, "b3"));
		awaitSent(4);
		ManualProducer producer = firstProducer();
		assertThat(producer.answered()).as("answered before the rows after the gap were sent").isZero();
		while (producer.completeNext()) {
			// answers every record, oldest first
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		committed.add(appendCommitted(keyA, "a2"));
		awaitSent(5);
		producer.completeNext();
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);

		assertThat(gap).isBetween(committed.get(0), committed.get(2));
		assertThat(producer.history()).extracting(this::name)
			.as("each committed row once, in position order")
			.containsExactly("b1", "b2", "a1", "b3", "a2");
		assertThat(this.producers).hasSize(1);
	}

	/**
	 * A window of two rows, one read at a time: transaction 1 (key A) stays open while
	 * more inserts than the relay looks for are rolled back and B's row commits; then
	 * transaction 1 and A's next row commit. Once C's row is answered (and deleted) there
	 * is room for a read, but the relay reads again only from the oldest row, once the
	 * window is empty.
	 */
	@Test
	void readsFromTheOldestRowAgainOnceThePassHasTooManyGapsToLookFor() throws Exception {
		startRelay(settings -> {
			settings.setBatchSize(1);
			settings.setMaxInFlight(2);
		});
		String keyA = UUID.randomUUID().toString();
		appendCommitted(UUID.randomUUID().toString(), "c");
		awaitSent(1);
		OpenTransaction first = open(keyA, "a1");
		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
			List<Outbox.Event> events = new ArrayList<>();
			for (int i = 0; i <= OutboxRelay.MAX_GAPS; i++) {
				String key = UUID.randomUUID().toString();
				events.add(new Outbox.Event(this.topic, key, TestEvents.customerCreated(key, "rolled back")));
			}
			this.outbox.appendAll(events);
			status.setRollbackOnly();
		});
		appendCommitted(UUID.randomUUID().toString(), "b");
		awaitSent(2);
		first.commit();
		appendCommitted(keyA, "a2");
		ManualProducer producer = firstProducer();

		producer.completeNext();
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 3);
		producer.completeNext();
		await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 4);
		while (producer.completeNext()) {
			// answers the rows read from the oldest again
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);

		assertThat(producer.history()).extracting(this::name)
			.as("each row once, key A in position order")
			.containsExactly("c", "b", "a1", "a2");
	}

	/** Appends one event in a transaction of its own; returns its position. */
	private long appendCommitted(String key, String name) {
		return new TransactionTemplate(this.transactionManager).execute(
				status -> position(this.outbox.append(this.topic, key, TestEvents.customerCreated(key, name)), name));
	}

	/** The position of an event just appended, noting its name by its payload. */
	private long position(UUID id, String name) {
		Map<String, Object> row = this.jdbc.queryForMap("select position, payload from outbox where id = ?", id);
		this.names.put(ByteBuffer.wrap((byte[]) row.get("payload")), name);
		return ((Number) row.get("position")).longValue();
	}

	private void awaitSent(int records) {
		ManualProducer producer = firstProducer();
		await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == records);
	}

	private String name(ProducerRecord<String, byte[]> record) {
		return this.names.get(ByteBuffer.wrap(record.value()));
	}

	/**
	 * Starts a transaction on a thread of its own that appends one event and stays open
	 * until the test commits or rolls it back.
	 */
	private OpenTransaction open(String key, String name) throws Exception {
		return new OpenTransaction(key, name);
	}

	private final class OpenTransaction {

		private final CountDownLatch inserted = new CountDownLatch(1);

		private final CompletableFuture<Boolean> rollBack = new CompletableFuture<>();

		private final FutureTask<Long> transaction;

		private volatile long position;

		OpenTransaction(String key, String name) throws Exception {
			TransactionTemplate template = new TransactionTemplate(
					OutboxRelayWindowIntegrationTests.this.transactionManager);
			this.transaction = new FutureTask<>(() -> template.execute(status -> {
				this.position = position(OutboxRelayWindowIntegrationTests.this.outbox
					.append(OutboxRelayWindowIntegrationTests.this.topic, key, TestEvents.customerCreated(key, name)),
						name);
				this.inserted.countDown();
				if (this.rollBack.join()) {
					status.setRollbackOnly();
				}
				return this.position;
			}));
			Thread thread = new Thread(this.transaction, "open-transaction");
			thread.setDaemon(true);
			thread.start();
			assertThat(this.inserted.await(10, TimeUnit.SECONDS)).as("inserted").isTrue();
		}

		long commit() throws Exception {
			this.rollBack.complete(false);
			return this.transaction.get(10, TimeUnit.SECONDS);
		}

		long rollBack() throws Exception {
			this.rollBack.complete(true);
			return this.transaction.get(10, TimeUnit.SECONDS);
		}

	}

	private OutboxRelay startRelay(Consumer<EventingProperties.Relay> settings) {
		return this.relays.relay(new OutboxMetrics(this.jdbc, this.registry))
			.settings(settings)
			.producers(ignored -> () -> {
				ManualProducer producer = new ManualProducer(!this.producers.isEmpty());
				this.producers.add(producer);
				return producer;
			})
			.start();
	}

	private ManualProducer firstProducer() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.producers.isEmpty());
		return this.producers.get(0);
	}

	/**
	 * Appends {@code count} events round-robin over {@code keys} keys; returns their
	 * positions in order.
	 */
	private List<Long> append(int count, int keys) {
		List<String> keyNames = new ArrayList<>();
		for (int k = 0; k < keys; k++) {
			keyNames.add(UUID.randomUUID().toString());
		}
		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
			for (int i = 0; i < count; i++) {
				String key = keyNames.get(i % keys);
				this.outbox.append(this.topic, key, TestEvents.customerCreated(key, "event " + i));
			}
		});
		List<Map<String, Object>> rows = this.jdbc
			.queryForList("select position, payload from outbox order by position");
		this.positions = rows.stream()
			.collect(Collectors.toMap(row -> ByteBuffer.wrap((byte[]) row.get("payload")),
					row -> ((Number) row.get("position")).longValue()));
		return rows.stream().map(row -> ((Number) row.get("position")).longValue()).toList();
	}

	private List<Long> positions(List<ProducerRecord<String, byte[]>> records) {
		return records.stream().map(record -> this.positions.get(ByteBuffer.wrap(record.value()))).toList();
	}

	private List<ParkedOutbox.ParkedRow> parked() {
		return new ParkedOutbox(this.jdbc, new TransactionTemplate(this.transactionManager), this.signal,
				new OutboxMetrics(this.jdbc, new SimpleMeterRegistry()))
			.list(100);
	}

	private long count() {
		return this.jdbc.queryForObject("select count(*) from outbox", Long.class);
	}

	private static boolean tryLock(Connection connection) throws Exception {
		try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
			statement.setLong(1, OutboxRelay.LOCK_KEY);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private static void unlock(Connection connection) throws Exception {
		try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?)")) {
			statement.setLong(1, OutboxRelay.LOCK_KEY);
			statement.executeQuery().close();
		}
	}

	/**
	 * A producer that answers when the test says so (or at once, if asked to), counts the
	 * records sent and not yet answered, and fails those when closed, as
	 * {@code KafkaProducer.close(Duration.ZERO)} does.
	 */
	static final class ManualProducer extends MockProducer<String, byte[]> {

		private int answered;

		private int maxOutstanding;

		ManualProducer(boolean autoComplete) {
			super(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
		}

		@Override
		public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
			Future<RecordMetadata> sent = super.send(record, callback);
			this.maxOutstanding = Math.max(this.maxOutstanding, outstanding());
			return sent;
		}

		/** Counts completions too: {@code completeNext()} is {@code errorNext(null)}. */
		@Override
		public synchronized boolean errorNext(@Nullable RuntimeException exception) {
			boolean completed = super.errorNext(exception);
			if (completed) {
				this.answered++;
			}
			return completed;
		}

		@Override
		public void close(Duration timeout) {
			synchronized (this) {
				while (errorNext(new KafkaException("Producer is closed forcefully."))) {
					// fails every record not answered yet
				}
			}
			super.close(timeout);
		}

		synchronized int answered() {
			return this.answered;
		}

		synchronized int outstanding() {
			return history().size() - this.answered;
		}

		synchronized int maxOutstanding() {
			return this.maxOutstanding;
		}

	}

}
