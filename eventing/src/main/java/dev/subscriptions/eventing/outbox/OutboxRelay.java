package dev.subscriptions.eventing.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
 * confirmed before each read, so the per-key order holds with any number of instances.
 * Rows are read and deleted in short statements through the pool; no transaction is open
 * while Kafka is waited for. A leader that dies or stalls loses the lock within the
 * session's timeouts; a leader that finds its lock session gone stops publishing, drops
 * its producer and its records in flight, and tries to lead again.</li>
 * <li>It pipelines: it goes on reading the next rows and sending them while earlier
 * records are in flight, up to a window of {@code maxInFlight} rows and
 * {@code maxInFlightBytes}. Kafka's answers are taken off the head of the window in the
 * order the rows were sent; the rows acknowledged are deleted in bulk, for each key only
 * up to its first failure.</li>
 * <li>The producer is idempotent with {@code acks=all}, so its own retries neither
 * duplicate nor reorder. A failure that is retried (on the way to the broker, or at once
 * for a reason that can heal: no metadata, buffer full) stops the sending; the window is
 * let complete (the first failure closes the producer, which fails the rest at once), and
 * after a back-off the relay resends from the first row not acknowledged.</li>
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
 * after a back-off. On {@link #stop()} it first publishes what the outbox holds, the
 * window included, for at most the drain timeout.</li>
 * </ul>
 * Positions are taken at insert, not at commit, so a row can become visible after later
 * positions were read (its transaction was still open, or committed late). Every read of
 * a pass therefore sees, in one statement and so in one snapshot, the rows after the last
 * one read, the rows this pass has not read below the first one it read, and the gaps it
 * left between the rows it read. A key's later row is written only after its earlier one
 * committed (the aggregate's lock orders them), so the snapshot that shows the later row
 * shows the earlier one too, and the read, in position order, sends it first. A pass ends
 * whenever the window is empty; the next one reads from the oldest row again.
 */
public class OutboxRelay implements SmartLifecycle {

	/** The advisory lock key of the relay: "outbox" in ASCII. */
	static final long LOCK_KEY = 0x6f7574626f78L;

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int MAX_TRACKED_FAILURES = 10_000;

	/**
	 * The most positions a pass looks for below its cursor; beyond, it reads nothing more
	 * until the window is empty and the next pass starts from the oldest row.
	 */
	static final int MAX_GAPS = 1_000;

	private final PrimaryKeyStatements outbox;

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

	/**
	 * Set by the first failure of a record on its way to the broker, which closes the
	 * current producer; a new one comes with a new flag.
	 */
	private volatile AtomicBoolean aborted = new AtomicBoolean();

	/*
	 * The window and its pass, used by the relay's thread alone.
	 */

	/**
	 * The records in flight, in the order they were sent: each key's in its positions'
	 * order, though a row that committed late goes after later positions of other keys.
	 */
	private final ArrayDeque<InFlight> window = new ArrayDeque<>();

	private long windowBytes;

	/** Positions Kafka acknowledged that are still to be deleted. */
	private final List<Long> delivered = new ArrayList<>();

	/** Keys a row of which failed or was held back in this pass. */
	private final Set<String> blockedKeys = new HashSet<>();

	/** Topics held back in this pass because the cluster says they do not exist. */
	private final Set<String> heldTopics = new HashSet<>();

	/** The highest position this pass read and handled (the cursor), 0 before any. */
	private long readAfter;

	/** The first position this pass read and handled, 0 before any. */
	private long passFloor;

	/**
	 * Positions between {@link #passFloor} and the cursor this pass has not read: open or
	 * rolled back inserts (or rows of topics held back), looked for by every read.
	 */
	private final Set<Long> gaps = new HashSet<>();

	/** Positions below {@link #passFloor} this pass read and handled. */
	private final Set<Long> belowFloor = new HashSet<>();

	/** A row failed in a way that is retried: send nothing more, back off at the end. */
	private boolean failing;

	/**
	 * A row was left in the outbox unsent (its key blocked, its topic held back): read
	 * nothing more, and read from the start once the window is empty.
	 */
	private boolean rewind;

	/** Read without waiting for a signal: the last read was full, or a poll is due. */
	private boolean readNow = true;

	/** Rows were acknowledged and deleted since the thread last looked. */
	private boolean progressed;

	private Tally tally = new Tally();

	public OutboxRelay(JdbcTemplate jdbc, Supplier<Producer<String, byte[]>> producers, Supplier<Admin> admins,
			LeaderConnections leaderConnections, OutboxSignal signal, OutboxMetrics metrics, ParkedOutbox parked,
			Settings settings) {
		this.outbox = new PrimaryKeyStatements(jdbc);
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
	 * @param maxInFlight the most rows sent and not yet answered by Kafka (the window);
	 * at most {@code batchSize} means one read at a time, as a relay that waits for every
	 * acknowledgement
	 * @param maxInFlightBytes the most bytes of records in the window, below the
	 * producer's {@code buffer.memory} so that a send never waits for room (a single row
	 * larger than this is sent alone)
	 */
	public record Settings(int batchSize, Duration pollInterval, Duration initialBackOff, Duration maxBackOff,
			Duration unknownTopicGrace, Duration drainTimeout, Leadership leadership, int maxInFlight,
			long maxInFlightBytes) {
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
			forgetWindow();
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
		forgetWindow();
		BackOffExecution retries = this.backOff.start();
		while (this.running || draining()) {
			if (!this.running) {
				this.readNow = true;
			}
			Step step;
			try {
				step = advance();
				if (step == Step.WAIT) {
					awaitHead();
				}
			}
			catch (RuntimeException ex) {
				if (!this.running && !draining()) {
					return;
				}
				Duration wait = next(retries);
				log.warn("Outbox relay failed; retrying in {}", wait, ex);
				closeProducer();
				forgetWindow();
				pause(wait);
				continue;
			}
			if (step == Step.FAILED) {
				Duration wait = next(retries);
				log.warn("Kafka did not acknowledge {} of {} outbox events sent; retrying in {}", this.tally.failed,
						this.tally.sent, wait);
				this.tally = new Tally();
				this.progressed = false;
				closeProducer();
				pause(wait);
				this.readNow = true;
				continue;
			}
			if (this.progressed) {
				retries = this.backOff.start();
				this.deathsInARow = 0;
				this.progressed = false;
			}
			if (step == Step.NOT_LEADER) {
				if (!this.running) {
					return;
				}
				closeProducer();
				this.signal.await(this.settings.pollInterval());
				this.readNow = true;
			}
			else if (step == Step.IDLE) {
				if (!this.running) {
					return;
				}
				retries = this.backOff.start();
				this.deathsInARow = 0;
				this.signal.await(this.settings.pollInterval());
				this.readNow = true;
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
	 * One step of the relay thread: takes the answered records off the head of the
	 * window, ends the pass once the window is empty, and reads and sends the next rows
	 * if there is room and reason to (rows left by a full read, a commit signalled, or a
	 * poll due).
	 * @return what the thread does next
	 */
	private Step advance() {
		if (!this.window.isEmpty() && !this.leadership.isLeader()) {
			abandon();
			return Step.NOT_LEADER;
		}
		drainHead();
		if (this.window.isEmpty()) {
			boolean again = this.rewind || this.failing;
			if (endPass()) {
				return Step.FAILED;
			}
			this.readNow |= again;
		}
		else if (this.delivered.size() >= this.settings.batchSize()) {
			deleteDelivered();
		}
		if (this.failing || this.rewind || this.aborted.get() || !hasRoom()
				|| (!this.readNow && !this.signal.takePending())) {
			return this.window.isEmpty() ? Step.IDLE : Step.WAIT;
		}
		if (!this.leadership.hold()) {
			abandon();
			return Step.NOT_LEADER;
		}
		int limit = readLimit();
		Read read = readAndSend(limit);
		this.readNow = read.rows() == limit || read.cut();
		if (read.rows() == 0) {
			return this.window.isEmpty() ? Step.IDLE : Step.WAIT;
		}
		return Step.SENT;
	}

	/**
	 * Whether the window has room for a read: for a whole read of rows, and below half
	 * its bytes (so that a window full of bytes is not topped up a row at a time).
	 */
	private boolean hasRoom() {
		return this.window.isEmpty() || (this.window.size() + readLimit() <= this.settings.maxInFlight()
				&& this.windowBytes <= this.settings.maxInFlightBytes() / 2);
	}

	private int readLimit() {
		return Math.max(1, Math.min(this.settings.batchSize(), this.settings.maxInFlight()));
	}

	/**
	 * Reads, sends and waits for Kafka's answer to every record sent, if this relay leads
	 * (or can take the leadership now): one pass with a single read, for tests.
	 */
	Batch relayBatch() {
		forgetWindow();
		if (!this.leadership.hold()) {
			abandon();
			return Batch.NOT_LEADER;
		}
		Read read = readAndSend(readLimit());
		if (read.rows() == 0 && this.window.isEmpty()) {
			endPass();
			return Batch.EMPTY;
		}
		try {
			while (!this.window.isEmpty()) {
				awaitHead();
				drainHead();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new org.apache.kafka.common.errors.InterruptException(ex);
		}
		Tally tally = this.tally;
		endPass();
		return new Batch(true, read.rows(), tally.published, tally.failed, tally.parked);
	}

	/**
	 * Reads, in one statement, the first rows in position order of those this pass has
	 * not handled: after the cursor, in its gaps, and below the first row it read; and
	 * sends them. Parks those behind parked rows of their key first. Each part is its own
	 * range of the primary key, so that the rows in flight are not scanned again.
	 */
	private Read readAndSend(int limit) {
		this.unknownTopics.recheck();
		String[] held = this.unknownTopics.held().toArray(String[]::new);
		List<Row> rows = this.outbox.query("""
				select o.*,
					exists (select 1 from outbox_parked p where p.topic = o.topic and p.aggregateid = o.aggregateid)
						as behind_parked
				from (
					(select position, topic, aggregateid, payload, headers, created_at from outbox
						where position < ? and position <> all(?) and topic <> all(?) order by position limit ?)
					union all
					(select position, topic, aggregateid, payload, headers, created_at from outbox
						where position = any(?) and topic <> all(?) order by position limit ?)
					union all
					(select position, topic, aggregateid, payload, headers, created_at from outbox
						where position > ? and topic <> all(?) order by position limit ?)
				) o order by o.position limit ?""", OutboxRelay::row, this.passFloor,
				this.belowFloor.toArray(Long[]::new), held, limit, this.gaps.toArray(Long[]::new), held, limit,
				this.readAfter, held, limit, limit);
		if (rows.isEmpty()) {
			return new Read(0, false);
		}
		List<Long> behind = rows.stream().filter(Row::behindParked).map(Row::position).toList();
		if (!behind.isEmpty()) {
			int moved = this.parked.parkBehind(behind);
			this.tally.parked += moved;
			if (moved < behind.size()) {
				this.rewind = true;
			}
		}
		return new Read(rows.size(), send(rows));
	}

	/**
	 * Sends the rows in position order into the window. A record that fails on its way to
	 * the broker closes the producer at once (from its callback), which fails every
	 * record not answered yet: otherwise a later producer batch of the same partition
	 * could still be delivered after an earlier one expired, ahead of it. A send that
	 * fails at once for a reason that can heal (no metadata, buffer full) ends the
	 * sending, so nothing is sent behind it.
	 * @return whether it stopped before the last row because the window's bytes were full
	 */
	private boolean send(List<Row> rows) {
		Producer<String, byte[]> producer = producer();
		AtomicBoolean aborted = this.aborted;
		Map<String, Optional<Instant>> reconfirmed = new HashMap<>();
		Thread relayThread = Thread.currentThread();
		for (Row row : rows) {
			if (aborted.get()) {
				this.rewind = true;
				return false;
			}
			if (row.behindParked()) {
				handled(row.position());
				continue;
			}
			int size = row.size();
			if (!this.window.isEmpty() && this.windowBytes + size > this.settings.maxInFlightBytes()) {
				return true;
			}
			handled(row.position());
			if (this.blockedKeys.contains(row.orderKey()) || this.heldTopics.contains(row.topic())) {
				this.blockedKeys.add(row.orderKey());
				this.rewind = true;
				continue;
			}
			Instant unknownSince = stillUnknown(row.topic(), reconfirmed);
			if (unknownSince != null) {
				this.tally.parked += parkUnsent(row, SendFailure.UNKNOWN_TOPIC, unknownSince);
				this.blockedKeys.add(row.orderKey());
				continue;
			}
			ProducerRecord<String, byte[]> record = row.toRecord();
			if (record == null) {
				this.tally.parked += parkUnsent(row, SendFailure.UNREADABLE_HEADERS, null);
				this.blockedKeys.add(row.orderKey());
				continue;
			}
			InFlight sent = new InFlight(row, size, System.nanoTime());
			Callback callback = (metadata, exception) -> {
				sent.answeredAt = Instant.now();
				sent.answeredAtNanos = System.nanoTime();
				if (exception != null && Thread.currentThread() != relayThread && aborted.compareAndSet(false, true)) {
					producer.close(Duration.ZERO);
				}
			};
			Throwable atOnce;
			try {
				sent.acknowledgement = producer.send(record, callback);
				atOnce = sent.acknowledgement.isDone() ? failure(sent.acknowledgement) : null;
			}
			catch (RuntimeException ex) {
				atOnce = ex;
			}
			if (atOnce == null) {
				this.window.addLast(sent);
				this.windowBytes += size;
				this.tally.sent++;
				if (!this.leadership.beatIfDue()) {
					return false;
				}
				continue;
			}
			this.blockedKeys.add(row.orderKey());
			Outcome outcome = failed(row, atOnce, true);
			this.tally.parked += outcome.parked();
			if (outcome == Outcome.HELD) {
				this.heldTopics.add(row.topic());
				this.rewind = true;
			}
			else if (outcome == Outcome.RETRY) {
				this.tally.failed++;
				this.failing = true;
				return false;
			}
		}
		return false;
	}

	/**
	 * Notes that this pass handled the row at a position: moves the cursor up (never
	 * down), noting the positions it skipped as gaps, or takes the position out of the
	 * gaps (or notes it below the first row). If there are too many gaps to look for,
	 * this read is the pass's last: its rows came from one snapshot, so they may still be
	 * sent, but a later read could miss a gap.
	 */
	private void handled(long position) {
		if (this.readAfter == 0) {
			this.passFloor = position;
			this.readAfter = position;
		}
		else if (position > this.readAfter) {
			if (this.gaps.size() + (position - this.readAfter - 1) > MAX_GAPS) {
				this.rewind = true;
			}
			else {
				for (long skipped = this.readAfter + 1; skipped < position; skipped++) {
					this.gaps.add(skipped);
				}
			}
			this.readAfter = position;
		}
		else if (position < this.passFloor) {
			this.belowFloor.add(position);
			if (this.belowFloor.size() > MAX_GAPS) {
				this.rewind = true;
			}
		}
		else {
			this.gaps.remove(position);
		}
	}

	/**
	 * Takes the records Kafka answered off the head of the window, in the order they were
	 * sent (each key's in position order), and decides for each as a batch did: delivered
	 * unless a row of its key before it failed; a failure blocks its key for the rest of
	 * the pass and is parked, held back or retried.
	 */
	private void drainHead() {
		while (!this.window.isEmpty() && this.window.peekFirst().acknowledgement.isDone()) {
			InFlight one = this.window.pollFirst();
			this.windowBytes -= one.size;
			Row row = one.row;
			Throwable failure = failure(one.acknowledgement);
			boolean blocked = this.blockedKeys.contains(row.orderKey());
			if (failure == null && !blocked) {
				Instant answeredAt = (one.answeredAt != null) ? one.answeredAt : Instant.now();
				long answeredAtNanos = (one.answeredAt != null) ? one.answeredAtNanos : System.nanoTime();
				this.delivered.add(row.position());
				this.metrics.published(row.topic(), Duration.between(row.createdAt(), answeredAt),
						Duration.ofNanos(answeredAtNanos - one.sentAtNanos));
				this.failures.remove(row.position());
			}
			else if (failure != null && !blocked) {
				this.blockedKeys.add(row.orderKey());
				Outcome outcome = failed(row, failure, false);
				this.tally.parked += outcome.parked();
				if (outcome == Outcome.RETRY) {
					this.tally.failed++;
					this.failing = true;
				}
				else if (outcome == Outcome.HELD) {
					this.rewind = true;
				}
			}
			else {
				this.rewind = true;
			}
		}
	}

	/**
	 * Deletes the rows Kafka acknowledged, in one statement.
	 */
	private void deleteDelivered() {
		if (this.delivered.isEmpty()) {
			return;
		}
		this.outbox.update("delete from outbox where position = any(?)", (Object) this.delivered.toArray(Long[]::new));
		this.tally.published += this.delivered.size();
		this.delivered.clear();
		this.progressed = true;
	}

	/**
	 * Ends a pass once the window is empty: deletes what was acknowledged, drops a
	 * producer a failure closed, and starts the next pass from the first row left in the
	 * outbox, which is the first one not acknowledged (a key's acknowledged rows are a
	 * prefix of its rows: Kafka answers a partition in order, and a row after a failed
	 * one of its key is not deleted).
	 * @return whether a row failed in a way that is retried (after a back-off)
	 */
	private boolean endPass() {
		deleteDelivered();
		if (this.aborted.get()) {
			closeProducer();
		}
		boolean failed = this.failing;
		forgetPass();
		this.blockedKeys.clear();
		this.heldTopics.clear();
		this.failing = false;
		this.rewind = false;
		if (!failed) {
			this.tally = new Tally();
		}
		if (this.failures.size() > MAX_TRACKED_FAILURES) {
			this.failures.clear();
		}
		return failed;
	}

	/**
	 * Waits for Kafka's answer to the oldest record in flight, for at most a heartbeat
	 * interval (and no longer than the drain allows), without {@code flush()}: the lock
	 * session gets its heartbeat meanwhile, and a relay that stalls here for good stops
	 * beating and loses the lock. A wait that runs out also deletes what was acknowledged
	 * so far.
	 */
	private void awaitHead() throws InterruptedException {
		InFlight head = this.window.peekFirst();
		long slice = this.settings.leadership().heartbeatInterval().toNanos();
		if (!this.running) {
			slice = Math.min(slice, this.drainDeadlineNanos - System.nanoTime());
			if (slice <= 0) {
				return;
			}
		}
		try {
			head.acknowledgement.get(slice, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			deleteDelivered();
			this.leadership.beatIfDue();
		}
		catch (ExecutionException ex) {
			// drainHead decides what the failure means
		}
	}

	/**
	 * Drops the window after the leadership was lost: closing the producer at once fails
	 * the records it has not sent yet (a graceful close would still deliver the whole
	 * window behind the new leader's back); their rows stay in the outbox for the next
	 * leader.
	 */
	private void abandon() {
		closeProducer(Duration.ZERO);
		forgetWindow();
		if (!this.failures.isEmpty()) {
			this.failures.clear();
			this.unknownTopics.reset();
		}
	}

	/**
	 * Forgets the window and the pass, so that the next read starts at the oldest row.
	 */
	private void forgetWindow() {
		this.window.clear();
		this.windowBytes = 0;
		this.delivered.clear();
		this.blockedKeys.clear();
		this.heldTopics.clear();
		forgetPass();
		this.failing = false;
		this.rewind = false;
		this.readNow = true;
		this.tally = new Tally();
	}

	/** Forgets where the pass read, so that the next read starts at the oldest row. */
	private void forgetPass() {
		this.readAfter = 0;
		this.passFloor = 0;
		this.gaps.clear();
		this.belowFloor.clear();
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
			this.aborted = new AtomicBoolean();
		}
		return this.producer;
	}

	private void closeProducer() {
		closeProducer(Duration.ofSeconds(5));
	}

	private synchronized void closeProducer(Duration timeout) {
		if (this.producer != null) {
			try {
				this.producer.close(timeout);
			}
			catch (RuntimeException ex) {
				log.debug("Closing the outbox producer failed", ex);
			}
			this.producer = null;
		}
		this.aborted = new AtomicBoolean();
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

	/**
	 * What the relay thread does after a step.
	 */
	private enum Step {

		/** Sent rows: go on at once. */
		SENT,
		/** Records are in flight and there is nothing to read: wait for the oldest. */
		WAIT,
		/** Nothing in flight and nothing to read: wait for a signal or the poll. */
		IDLE,
		/** A row failed in a way that is retried: back off, then resend. */
		FAILED,
		/** Another instance leads. */
		NOT_LEADER

	}

	/**
	 * What a read did.
	 *
	 * @param rows rows read
	 * @param cut whether it stopped before the last row because the window's bytes were
	 * full
	 */
	private record Read(int rows, boolean cut) {
	}

	/** What the current pass did, for the log and {@link #relayBatch()}. */
	private static final class Tally {

		int sent;

		int published;

		int failed;

		int parked;

	}

	/**
	 * A record sent and not yet taken off the window; the producer's callback notes when
	 * Kafka answered.
	 */
	private static final class InFlight {

		final Row row;

		final int size;

		final long sentAtNanos;

		Future<RecordMetadata> acknowledgement;

		volatile @Nullable Instant answeredAt;

		volatile long answeredAtNanos;

		InFlight(Row row, int size, long sentAtNanos) {
			this.row = row;
			this.size = size;
			this.sentAtNanos = sentAtNanos;
		}

	}

	private record Row(long position, String topic, String key, byte[] payload, String headers, Instant createdAt,
			boolean behindParked) {

		String orderKey() {
			return this.topic + '\u0000' + this.key;
		}

		/** About what the record takes in the producer's buffer, before compression. */
		int size() {
			return 64 + this.payload.length + 2 * (this.topic.length() + this.key.length() + this.headers.length());
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
