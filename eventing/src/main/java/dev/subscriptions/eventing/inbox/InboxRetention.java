package dev.subscriptions.eventing.inbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes inbox rows older than the retention, so that the inbox does not grow forever.
 * <p>
 * <ul>
 * <li>It runs on a scheduler thread of its own, at a fixed delay; the first run comes a
 * minute after start-up (or one interval, if shorter), so that frequent restarts neither
 * skip it nor burden start-up.</li>
 * <li>Rows go in batches, each in a short transaction of its own, so that no long
 * transaction holds back vacuum.</li>
 * <li>Only one instance per database deletes at a time: each batch runs under a
 * PostgreSQL advisory lock of its own ({@link #LOCK_KEY}); an instance that does not get
 * it skips that run.</li>
 * <li>Age is measured by the database's clock ({@code processed_at} is written by it),
 * never this machine's.</li>
 * </ul>
 * A duplicate of an event older than the retention is no longer recognized: the retention
 * must exceed the longest time a record can be redelivered (consumer-group offsets reset,
 * dead letters replayed, a producer's retries).
 * <p>
 * Metric: {@code inbox.retention.deleted}, the rows deleted.
 */
public class InboxRetention implements SmartLifecycle {

	/**
	 * The advisory lock key of the retention job: "inbox" in ASCII (the outbox relay's is
	 * "outbox").
	 */
	static final long LOCK_KEY = 0x696e626f78L;

	private static final Duration LONGEST_FIRST_DELAY = Duration.ofMinutes(1);

	private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Settings settings;

	private final Counter deleted;

	private volatile boolean running;

	private ScheduledExecutorService scheduler;

	public InboxRetention(JdbcTemplate jdbc, TransactionTemplate transactions, MeterRegistry meterRegistry,
			Settings settings) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.settings = settings;
		this.deleted = Counter.builder("inbox.retention.deleted")
			.description("Inbox rows deleted because they were older than the retention")
			.register(meterRegistry);
	}

	/**
	 * How the job works.
	 *
	 * @param retention how long an inbox row is kept after its event was handled
	 * @param batchSize rows deleted per transaction
	 * @param interval the wait between the end of one run and the start of the next
	 */
	public record Settings(Duration retention, int batchSize, Duration interval) {
	}

	/**
	 * What one run did.
	 *
	 * @param ran whether this instance got the lock (another instance was deleting
	 * otherwise)
	 * @param deleted rows deleted
	 * @param batches transactions that deleted rows
	 */
	public record Purge(boolean ran, long deleted, int batches) {
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "inbox-retention");
			thread.setDaemon(true);
			return thread;
		});
		Duration interval = this.settings.interval();
		Duration first = (interval.compareTo(LONGEST_FIRST_DELAY) < 0) ? interval : LONGEST_FIRST_DELAY;
		this.scheduler.scheduleWithFixedDelay(this::run, first.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			try {
				this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * A failed run is logged and the next one comes at the next interval; an exception
	 * thrown out of a periodic task would cancel every later run.
	 */
	private void run() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			if (this.running) {
				log.warn("Inbox retention failed; trying again in {}", this.settings.interval(), ex);
			}
		}
		catch (Error ex) {
			log.error("Inbox retention died; no inbox rows are deleted until a restart", ex);
			throw ex;
		}
	}

	/**
	 * Deletes every inbox row older than the retention, batch after batch, while this
	 * instance gets the lock (another instance may take it between two batches and go on)
	 * and until its thread is interrupted.
	 */
	public Purge purge() {
		long total = 0;
		int batches = 0;
		boolean ran = false;
		while (!Thread.currentThread().isInterrupted()) {
			Integer rows = this.transactions.execute(status -> deleteBatch());
			if (rows == null) {
				break;
			}
			ran = true;
			if (rows > 0) {
				total += rows;
				batches++;
				this.deleted.increment(rows);
			}
			if (rows < this.settings.batchSize()) {
				break;
			}
		}
		if (total > 0) {
			log.info("Deleted {} inbox rows older than {} in {} batches", total, this.settings.retention(), batches);
		}
		return new Purge(ran, total, batches);
	}

	/**
	 * One batch, in the caller's transaction; null when another instance holds the lock.
	 */
	private @Nullable Integer deleteBatch() {
		Boolean locked = this.jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY);
		if (!Boolean.TRUE.equals(locked)) {
			return null;
		}
		return this.jdbc.update("""
				delete from inbox where ctid = any(array(
				    select ctid from inbox
				    where processed_at < clock_timestamp() - make_interval(secs => ?)
				    limit ?))""", (double) this.settings.retention().toMillis() / 1000, this.settings.batchSize());
	}

}
