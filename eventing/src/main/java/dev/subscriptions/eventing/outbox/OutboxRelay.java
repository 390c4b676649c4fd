package dev.subscriptions.eventing.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Publishes the outbox to Kafka, oldest row first, and deletes each row once Kafka has
 * acknowledged it.
 * <p>
 * <ul>
 * <li>It wakes right after a local commit ({@link OutboxSignal}) and polls as a fallback
 * for rows left by a crash or written by another instance.</li>
 * <li>Only one relay per database publishes at a time: the leader holds a session-level
 * PostgreSQL advisory lock on a connection of its own ({@link RelayLeadership}),
 * confirmed before each batch, so the per-key order holds with any number of instances.
 * Rows are read and deleted in short statements through the pool; no transaction is open
 * while Kafka is waited for. A leader that dies or stalls loses the lock within the
 * session's timeouts; a leader that finds its lock session gone stops publishing, drops
 * its producer and tries to lead again.</li>
 * <li>The producer is idempotent with {@code acks=all}, so its own retries neither
 * duplicate nor reorder. A batch waits for every acknowledgement; the rows acknowledged
 * are deleted, for each key only up to its first failure. A send that fails at once for a
 * reason that can heal (no metadata, buffer full) ends the batch, so nothing is sent
 * behind it.</li>
 * <li>While Kafka is unavailable it retries with exponential back-off; nothing is deleted
 * that Kafka did not acknowledge, so nothing is lost. An outage shorter than the
 * producer's {@code delivery.timeout.ms} is bridged by the producer itself, without
 * duplicates; after a longer one a row may be sent twice. Delivery is at least once:
 * consumers deduplicate by {@code event_id}.</li>
 * <li>A row Kafka refuses for good (too large, invalid or unauthorized topic, unreadable
 * headers, a topic still unknown after a grace) is parked with the rows of its key behind
 * it ({@link ParkedOutbox}); every other key keeps flowing. Rows of a topic the cluster
 * says does not exist are held back, unsent, during the grace.</li>
 * <li>If its thread dies of an uncaught error, it is counted, logged and started again
 * after a back-off. On {@link #stop()} it first publishes what the outbox holds, for at
 * most the drain timeout.</li>
 * </ul>
 */
public class OutboxRelay implements SmartLifecycle {

	/** The advisory lock key of the relay: "outbox" in ASCII. */
	static final long LOCK_KEY = 0x6f7574626f78L;

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int MAX_TRACKED_FAILURES = 10_000;

	private final JdbcTemplate jdbc;

	private final Supplier<Producer<String, byte[]>> producers;

	private final OutboxSignal signal;

	private final OutboxMetrics metrics;

	private final ParkedOutbox parked;

	private final Settings settings;

	private final RelayLeadership leadership;

	private final UnknownTopics unknownTopics;

	private final Map<Long, Attempts> failures = new HashMap<>();

	private volatile boolean running;

	private volatile boolean restarting;

	private volatile long drainDeadlineNanos;

	private volatile @Nullable Throwable lastDeath;

	private volatile int restarts;

	private volatile int deathsInARow;

	private final BackOff backOff;

	/**
	 * The waits between restarts of a thread that died {@link #deathsInARow} times in a
	 * row.
	 */
	private volatile BackOffExecution restartBackOff;

	private CountDownLatch stopRequested = new CountDownLatch(0);

	private @Nullable Thread thread;

	private @Nullable Producer<String, byte[]> producer;

	public OutboxRelay(JdbcTemplate jdbc, Supplier<Producer<String, byte[]>> producers, Supplier<Admin> admins,
			LeaderConnections leaderConnections, OutboxSignal signal, OutboxMetrics metrics, ParkedOutbox parked,
			Settings settings) {
		this.jdbc = jdbc;
		this.producers = producers;
		this.signal = signal;
		this.metrics = metrics;
		this.parked = parked;
		this.settings = settings;
		this.backOff = backOff(settings);
		this.restartBackOff = this.backOff.start();
		this.leadership = new RelayLeadership(leaderConnections, settings.leadership(), LOCK_KEY);
		this.unknownTopics = new UnknownTopics(admins, settings.unknownTopicGrace(), Clock.systemUTC());
		metrics.leadership(this.leadership::isLeader);
	}

	/**
	 * How the relay works.
	 *
	 * @param batchSize rows read and published per batch
	 * @param pollInterval how often it looks for rows it was not told about
	 * @param initialBackOff the first wait after a failure
	 * @param maxBackOff the longest wait after repeated failures
	 * @param unknownTopicGrace how long a topic the cluster says does not exist may stay
	 * so before its rows are parked
	 * @param drainTimeout how long {@link #stop()} goes on publishing what the outbox
	 * holds
	 * @param leadership the leader's lock session
	 */
	public record Settings(int batchSize, Duration pollInterval, Duration initialBackOff, Duration maxBackOff,
			Duration unknownTopicGrace, Duration drainTimeout, Leadership leadership) {
	}

	/**
	 * The leader's lock session: its PostgreSQL session settings bound how long a dead or
	 * stalled leader keeps the lock; the leader runs a statement on it at least every
	 * {@code heartbeatInterval}, which must be well below {@code idleSessionTimeout}.
	 *
	 * @param idleSessionTimeout ends the session of a leader that stopped working
	 * (stalled, or its host gone)
	 * @param idleInTransactionSessionTimeout ends it if it ever idles inside a
	 * transaction
	 * @param lockTimeout bounds any lock wait of the session
	 * @param statementTimeout bounds any statement of the session
	 * @param tcpKeepalivesIdle server-side TCP keepalive: idle time before the first
	 * probe
	 * @param tcpKeepalivesInterval server-side TCP keepalive: time between probes
	 * @param tcpKeepalivesCount server-side TCP keepalive: probes lost before the peer
	 * counts as gone
	 * @param socketTimeout pgjdbc {@code socketTimeout}: the longest the leader waits for
	 * an answer on the session
	 * @param connectTimeout pgjdbc {@code connectTimeout}
	 * @param heartbeatInterval the longest the leader leaves its session idle while it
	 * works
	 */
	public record Leadership(Duration idleSessionTimeout, Duration idleInTransactionSessionTimeout,
			Duration lockTimeout, Duration statementTimeout, Duration tcpKeepalivesIdle, Duration tcpKeepalivesInterval,
			int tcpKeepalivesCount, Duration socketTimeout, Duration connectTimeout, Duration heartbeatInterval) {
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.stopRequested = new CountDownLatch(1);
		startThread(Duration.ZERO);
	}

	private synchronized void startThread(Duration delay) {
		Thread started = new Thread(() -> supervise(delay), "outbox-relay");
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	/**
	 * Publishes what the outbox holds (for at most the drain timeout, and only while this
	 * relay leads), then stops.
	 */
	@Override
	public void stop() {
		Thread stopping = null;
		synchronized (this) {
			if (this.running) {
				stopping = this.thread;
			}
			this.drainDeadlineNanos = System.nanoTime() + this.settings.drainTimeout().toNanos();
			this.running = false;
			this.stopRequested.countDown();
		}
		this.signal.eventsCommitted();
		if (stopping != null) {
			try {
				stopping.join(this.settings.drainTimeout().plusSeconds(5).toMillis());
				if (stopping.isAlive()) {
					stopping.interrupt();
					stopping.join(Duration.ofSeconds(10).toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			this.thread = null;
		}
		closeProducer();
		this.unknownTopics.reset();
		this.leadership.release();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops after the Kafka listeners ({@code MAX_VALUE - 100}), the web server
	 * ({@code MAX_VALUE - 1024}) and its graceful shutdown ({@code MAX_VALUE - 2048}), so
	 * that events committed by requests and records still being handled during shutdown
	 * are published before the process exits rather than at its next start.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	/** Whether this relay holds the leadership now. */
	public boolean isLeader() {
		return this.leadership.isLeader();
	}

	/** The relay's state as its health indicator reports it. */
	public State state() {
		Thread current = this.thread;
		boolean alive = this.running && current != null && current.isAlive() && !this.restarting;
		Throwable death = this.lastDeath;
		return new State(this.running, alive, isLeader(), this.restarts,
				(death != null) ? death.getClass().getName() + ": " + death.getMessage() : null);
	}

	/**
	 * What the health indicator shows.
	 *
	 * @param running whether the relay was started and not stopped
	 * @param threadAlive whether its thread is working (not dead, not waiting to be
	 * started again)
	 * @param leader whether it holds the leadership
	 * @param restarts how often its thread died and was started again
	 * @param lastError the error its thread last died of, if any
	 */
	public record State(boolean running, boolean threadAlive, boolean leader, int restarts,
			@Nullable String lastError) {
	}

	private void supervise(Duration delay) {
		try {
			if (!delay.isZero() && this.stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
			this.restarting = false;
			relayUntilStopped();
		}
		catch (InterruptedException ex) {
			if (this.running) {
				died(ex);
			}
		}
		catch (Throwable ex) {
			died(ex);
		}
	}

	/**
	 * Logs and counts the death of the relay's thread, frees what it held, and starts a
	 * new thread after a back-off.
	 */
	private void died(Throwable ex) {
		this.lastDeath = ex;
		try {
			closeProducer();
			this.unknownTopics.reset();
			this.leadership.release();
			this.failures.clear();
		}
		catch (Throwable cleanup) {
			ex.addSuppressed(cleanup);
		}
		synchronized (this) {
			if (!this.running || this.thread != Thread.currentThread()) {
				log.error("Outbox relay thread died while stopping", ex);
				return;
			}
			if (this.deathsInARow == 0) {
				this.restartBackOff = this.backOff.start();
			}
			Duration delay = next(this.restartBackOff);
			this.deathsInARow++;
			this.restarts++;
			this.metrics.restarted();
			this.restarting = true;
			log.error("Outbox relay thread died; starting it again in {}", delay, ex);
			startThread(delay);
		}
	}

	private void relayUntilStopped() throws InterruptedException {
		BackOffExecution retries = this.backOff.start();
		while (this.running || draining()) {
			Batch batch;
			try {
				batch = relayBatch();
			}
			catch (RuntimeException ex) {
				if (!this.running && !draining()) {
					return;
				}
				Duration wait = next(retries);
				log.warn("Outbox relay failed; retrying in {}", wait, ex);
				closeProducer();
				pause(wait);
				continue;
			}
			if (!this.running && (!batch.leader() || batch.read() == 0)) {
				return;
			}
			if (!batch.leader()) {
				closeProducer();
				this.signal.await(this.settings.pollInterval());
			}
			else if (batch.failed() > 0) {
				Duration wait = next(retries);
				log.warn("Kafka did not acknowledge {} of {} outbox events; retrying in {}", batch.failed(),
						batch.read(), wait);
				closeProducer();
				pause(wait);
			}
			else {
				retries = this.backOff.start();
				this.deathsInARow = 0;
				if (this.running && batch.read() < this.settings.batchSize()) {
					this.signal.await(this.settings.pollInterval());
				}
			}
		}
	}

	private boolean draining() {
		return !this.running && System.nanoTime() - this.drainDeadlineNanos < 0;
	}

	/** Waits (less if stopped), keeping the lock session busy meanwhile. */
	private void pause(Duration duration) throws InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		long slice = this.settings.leadership().heartbeatInterval().toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			if (!this.running) {
				left = Math.min(left, this.drainDeadlineNanos - System.nanoTime());
			}
			if (left <= 0) {
				return;
			}
			if (this.running) {
				this.stopRequested.await(Math.min(left, slice), TimeUnit.NANOSECONDS);
			}
			else {
				TimeUnit.NANOSECONDS.sleep(Math.min(left, slice));
			}
			this.leadership.beatIfDue();
		}
	}

	/**
	 * The next wait; the relay's back-off never gives up, so it is never
	 * {@link BackOffExecution#STOP}.
	 */
	private static Duration next(BackOffExecution execution) {
		return Duration.ofMillis(execution.nextBackOff());
	}

	/**
	 * The waits after failures in a row, and between restarts of a thread that keeps
	 * dying: {@code initialBackOff}, doubled each time up to {@code maxBackOff}, without
	 * end.
	 */
	private static BackOff backOff(Settings settings) {
		ExponentialBackOff backOff = new ExponentialBackOff(settings.initialBackOff().toMillis(), 2.0);
		backOff.setMaxInterval(settings.maxBackOff().toMillis());
		return backOff;
	}

	/**
	 * Publishes one batch, if this relay leads (or can take the leadership now).
	 */
	Batch relayBatch() {
		if (!this.leadership.hold()) {
			if (!this.failures.isEmpty()) {
				this.failures.clear();
				this.unknownTopics.reset();
			}
			return Batch.NOT_LEADER;
		}
		this.unknownTopics.recheck();
		Set<String> held = this.unknownTopics.held();
		List<Row> rows = this.jdbc.query("""
				select position, topic, aggregateid, payload, headers, created_at,
					exists (select 1 from outbox_parked p where p.topic = o.topic and p.aggregateid = o.aggregateid)
						as behind_parked
				from outbox o where o.topic <> all(?) order by position limit ?""", OutboxRelay::row,
				held.toArray(String[]::new), this.settings.batchSize());
		if (rows.isEmpty()) {
			return Batch.EMPTY;
		}
		List<Long> behind = rows.stream().filter(Row::behindParked).map(Row::position).toList();
		int parkedBehind = behind.isEmpty() ? 0 : this.parked.parkBehind(behind);
		return publish(rows.stream().filter(row -> !row.behindParked()).toList(), rows.size(), parkedBehind);
	}

	/**
	 * Sends the rows and deletes those Kafka acknowledged. A record that fails on its way
	 * to the broker closes the producer at once (from its callback), which fails every
	 * record not sent yet: otherwise a later producer batch of the same partition could
	 * still be delivered after an earlier one expired, ahead of it.
	 */
	private Batch publish(List<Row> rows, int read, int parkedBefore) {
		Producer<String, byte[]> producer = producer();
		List<Sent> sent = new ArrayList<>(rows.size());
		Set<String> blockedKeys = new HashSet<>();
		Set<String> heldTopics = new HashSet<>();
		Map<String, Optional<Instant>> reconfirmed = new HashMap<>();
		Thread relayThread = Thread.currentThread();
		AtomicBoolean aborted = new AtomicBoolean();
		Callback abortOnFailure = (metadata, exception) -> {
			if (exception != null && Thread.currentThread() != relayThread && aborted.compareAndSet(false, true)) {
				producer.close(Duration.ZERO);
			}
		};
		int failed = 0;
		int parkedRows = parkedBefore;
		for (Row row : rows) {
			if (blockedKeys.contains(row.orderKey()) || heldTopics.contains(row.topic())) {
				blockedKeys.add(row.orderKey());
				continue;
			}
			Instant unknownSince = stillUnknown(row.topic(), reconfirmed);
			if (unknownSince != null) {
				parkedRows += parkUnsent(row, SendFailure.UNKNOWN_TOPIC, unknownSince);
				blockedKeys.add(row.orderKey());
				continue;
			}
			ProducerRecord<String, byte[]> record = row.toRecord();
			if (record == null) {
				parkedRows += parkUnsent(row, SendFailure.UNREADABLE_HEADERS, null);
				blockedKeys.add(row.orderKey());
				continue;
			}
			Future<RecordMetadata> acknowledgement;
			Throwable atOnce;
			try {
				acknowledgement = producer.send(record, abortOnFailure);
				atOnce = acknowledgement.isDone() ? failure(acknowledgement) : null;
			}
			catch (RuntimeException ex) {
				acknowledgement = null;
				atOnce = ex;
			}
			if (atOnce == null) {
				sent.add(new Sent(row, acknowledgement));
				this.leadership.beatIfDue();
				continue;
			}
			blockedKeys.add(row.orderKey());
			Outcome outcome = failed(row, atOnce, true);
			parkedRows += outcome.parked();
			if (outcome == Outcome.HELD) {
				heldTopics.add(row.topic());
			}
			else if (outcome == Outcome.RETRY) {
				failed++;
				break;
			}
		}
		awaitAcknowledgements(sent);
		if (aborted.get()) {
			closeProducer();
		}
		List<Long> delivered = new ArrayList<>(sent.size());
		Instant now = Instant.now();
		for (Sent one : sent) {
			Row row = one.row();
			Throwable failure = failure(one.acknowledgement());
			if (failure == null && !blockedKeys.contains(row.orderKey())) {
				delivered.add(row.position());
				this.metrics.published(row.topic(), Duration.between(row.createdAt(), now));
				this.failures.remove(row.position());
			}
			else if (failure != null && !blockedKeys.contains(row.orderKey())) {
				blockedKeys.add(row.orderKey());
				Outcome outcome = failed(row, failure, false);
				parkedRows += outcome.parked();
				if (outcome == Outcome.RETRY) {
					failed++;
				}
			}
		}
		if (!delivered.isEmpty()) {
			this.jdbc.update("delete from outbox where position = any(?)", (Object) delivered.toArray(Long[]::new));
		}
		if (this.failures.size() > MAX_TRACKED_FAILURES) {
			this.failures.clear();
		}
		return new Batch(true, read, delivered.size(), failed, parkedRows);
	}

	/**
	 * Since when a topic is unknown, if that is longer than the grace: asked once per
	 * batch afresh, so that rows requeued once the topic was created are sent, not parked
	 * again.
	 */
	private @Nullable Instant stillUnknown(String topic, Map<String, Optional<Instant>> reconfirmed) {
		if (this.unknownTopics.expiredSince(topic) == null) {
			return null;
		}
		return reconfirmed
			.computeIfAbsent(topic,
					name -> Optional.ofNullable(this.unknownTopics.confirm(name))
						.filter(since -> this.unknownTopics.expiredSince(name) != null))
			.orElse(null);
	}

	/**
	 * Decides what a failed send means for its row: parked, held back with its unknown
	 * topic, or retried.
	 */
	private Outcome failed(Row row, Throwable failure, boolean atOnce) {
		this.leadership.beatIfDue();
		SendFailure kind = SendFailure.of(failure, atOnce);
		Attempts attempts = this.failures.merge(row.position(), Attempts.first(Instant.now()), Attempts::again);
		if (kind.parksAtOnce()) {
			log.warn("Kafka refused outbox row {} (topic {}, key {}) for good; parking it as {}", row.position(),
					row.topic(), row.key(), kind.cause(), failure);
			return Outcome.parked(park(row, kind, attempts));
		}
		if (kind == SendFailure.UNKNOWN_TOPIC) {
			Instant since = this.unknownTopics.confirm(row.topic());
			if (since != null) {
				if (this.unknownTopics.expiredSince(row.topic()) != null) {
					return Outcome.parked(park(row, kind, new Attempts(attempts.count(), since, attempts.last())));
				}
				return Outcome.HELD;
			}
		}
		log.debug("Sending outbox row {} failed; it is retried", row.position(), failure);
		return Outcome.RETRY;
	}

	/**
	 * Parks a row that was not sent (its topic stayed unknown, or its headers are
	 * unreadable).
	 */
	private int parkUnsent(Row row, SendFailure kind, @Nullable Instant firstFailedAt) {
		Instant now = Instant.now();
		Attempts attempts = this.failures.merge(row.position(), Attempts.first(now), Attempts::again);
		return park(row, kind, new Attempts(attempts.count(),
				(firstFailedAt != null && firstFailedAt.isBefore(attempts.first())) ? firstFailedAt : attempts.first(),
				now));
	}

	private int park(Row row, SendFailure kind, Attempts attempts) {
		this.failures.remove(row.position());
		return this.parked.park(row.position(), kind.cause(), attempts.count(), attempts.first(), attempts.last());
	}

	/**
	 * Waits for Kafka's answers without {@code flush()}, so that the lock session gets
	 * its heartbeat meanwhile; a relay that stalls here for good stops beating and loses
	 * the lock.
	 */
	private void awaitAcknowledgements(List<Sent> sent) {
		long slice = this.settings.leadership().heartbeatInterval().toMillis();
		for (Sent one : sent) {
			while (true) {
				try {
					one.acknowledgement().get(slice, TimeUnit.MILLISECONDS);
					break;
				}
				catch (TimeoutException ex) {
					this.leadership.beatIfDue();
				}
				catch (ExecutionException ex) {
					break;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new org.apache.kafka.common.errors.InterruptException(ex);
				}
			}
		}
	}

	private static @Nullable Throwable failure(Future<RecordMetadata> acknowledgement) {
		try {
			acknowledgement.get();
			return null;
		}
		catch (ExecutionException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
	}

	private synchronized Producer<String, byte[]> producer() {
		if (this.producer == null) {
			this.producer = this.producers.get();
		}
		return this.producer;
	}

	private synchronized void closeProducer() {
		if (this.producer != null) {
			try {
				this.producer.close(Duration.ofSeconds(5));
			}
			catch (RuntimeException ex) {
				log.debug("Closing the outbox producer failed", ex);
			}
			this.producer = null;
		}
	}

	private static Row row(ResultSet rs, int rowNum) throws SQLException {
		return new Row(rs.getLong("position"), rs.getString("topic"), rs.getString("aggregateid"),
				rs.getBytes("payload"), rs.getString("headers"), rs.getTimestamp("created_at").toInstant(),
				rs.getBoolean("behind_parked"));
	}

	/**
	 * What one batch did. {@link #NOT_LEADER} (another instance leads) and {@link #EMPTY}
	 * (nothing to publish) differ.
	 *
	 * @param leader whether this relay led for the batch
	 * @param read rows read
	 * @param published rows acknowledged by Kafka and deleted
	 * @param failed rows that failed in a way that is retried
	 * @param parked rows parked
	 */
	record Batch(boolean leader, int read, int published, int failed, int parked) {

		static final Batch EMPTY = new Batch(true, 0, 0, 0, 0);

		static final Batch NOT_LEADER = new Batch(false, 0, 0, 0, 0);

	}

	/**
	 * What a failed send means for its row.
	 *
	 * @param kind parked, held back with its unknown topic, or retried
	 * @param parked rows parked (the row and those of its key behind it)
	 */
	private record Outcome(Kind kind, int parked) {

		static final Outcome HELD = new Outcome(Kind.HELD, 0);

		static final Outcome RETRY = new Outcome(Kind.RETRY, 0);

		static Outcome parked(int rows) {
			return new Outcome(Kind.PARKED, rows);
		}

		enum Kind {

			PARKED, HELD, RETRY

		}

	}

	private record Attempts(int count, Instant first, Instant last) {

		static Attempts first(Instant now) {
			return new Attempts(1, now, now);
		}

		Attempts again(Attempts latest) {
			return new Attempts(this.count + 1, this.first, latest.last());
		}

	}

	private record Sent(Row row, Future<RecordMetadata> acknowledgement) {
	}

	private record Row(long position, String topic, String key, byte[] payload, String headers, Instant createdAt,
			boolean behindParked) {

		String orderKey() {
			return this.topic + '\u0000' + this.key;
		}

		/**
		 * The record to send, or {@code null} if the headers are not a JSON object of
		 * scalar values.
		 */
		@Nullable ProducerRecord<String, byte[]> toRecord() {
			RecordHeaders kafkaHeaders = new RecordHeaders();
			try {
				JsonNode json = JSON.readTree(this.headers);
				if (!json.isObject()) {
					return null;
				}
				for (Map.Entry<String, JsonNode> header : json.properties()) {
					if (header.getValue().isContainerNode()) {
						return null;
					}
					kafkaHeaders.add(new RecordHeader(header.getKey(),
							header.getValue().asText().getBytes(StandardCharsets.UTF_8)));
				}
			}
			catch (java.io.IOException ex) {
				return null;
			}
			return new ProducerRecord<>(this.topic, null, this.key, this.payload, kafkaHeaders);
		}

	}

}
