package dev.subscriptions.eventing.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox to Kafka, oldest row first, and deletes each row once Kafka has acknowledged it.
 * <p>
 * <ul>
 * <li>It wakes right after a local commit ({@link OutboxSignal}) and polls as a fallback for rows left by a crash or
 * written by another instance.</li>
 * <li>Only one relay per database publishes at a time: each batch runs in a transaction that holds a PostgreSQL
 * advisory lock, so the per-key order holds with any number of instances.</li>
 * <li>The producer is idempotent with {@code acks=all}, so its own retries neither duplicate nor reorder. A batch waits
 * for every acknowledgement; the rows acknowledged are deleted, for each key only up to its first failure. A send that
 * fails at once (no metadata, buffer full) ends the batch, so nothing is sent behind it.</li>
 * <li>While Kafka is unavailable it retries with exponential back-off; nothing is deleted that Kafka did not
 * acknowledge, so nothing is lost. An outage shorter than the producer's {@code delivery.timeout.ms} is bridged by
 * the producer itself, without duplicates; after a longer one a row may be sent twice. Delivery is at least once:
 * consumers deduplicate by {@code event_id}.</li>
 * </ul>
 */
public class OutboxRelay implements SmartLifecycle {

	/** The advisory lock key of the relay: "outbox" in ASCII. */
	static final long LOCK_KEY = 0x6f7574626f78L;

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Supplier<Producer<String, byte[]>> producers;

	private final OutboxSignal signal;

	private final OutboxMetrics metrics;

	private final Settings settings;

	private volatile boolean running;

	private Thread thread;

	private Producer<String, byte[]> producer;

	public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions,
			Supplier<Producer<String, byte[]>> producers, OutboxSignal signal, OutboxMetrics metrics,
			Settings settings) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.producers = producers;
		this.signal = signal;
		this.metrics = metrics;
		this.settings = settings;
	}

	/**
	 * How the relay works.
	 * @param batchSize rows read and published per transaction
	 * @param pollInterval how often it looks for rows it was not told about
	 * @param initialBackOff the first wait after a failure
	 * @param maxBackOff the longest wait after repeated failures
	 */
	public record Settings(int batchSize, Duration pollInterval, Duration initialBackOff, Duration maxBackOff) {
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::run, "outbox-relay");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.thread != null) {
			this.thread.interrupt();
			try {
				this.thread.join(Duration.ofSeconds(30).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.thread = null;
		}
		closeProducer();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops after the Kafka listeners ({@code MAX_VALUE - 100}), the web server ({@code MAX_VALUE - 1024}) and its
	 * graceful shutdown ({@code MAX_VALUE - 2048}), so that events committed by requests and records still being
	 * handled during shutdown are published before the process exits rather than at its next start.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	private void run() {
		Duration backOff = this.settings.initialBackOff();
		while (this.running) {
			try {
				Batch batch = relayBatch();
				if (batch.failed() > 0) {
					log.warn("Kafka did not acknowledge {} of {} outbox events; retrying in {}", batch.failed(),
							batch.read(), backOff);
					closeProducer();
					Thread.sleep(backOff.toMillis());
					backOff = next(backOff);
				}
				else {
					backOff = this.settings.initialBackOff();
					if (batch.read() < this.settings.batchSize()) {
						this.signal.await(this.settings.pollInterval());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					return;
				}
				log.warn("Outbox relay failed; retrying in {}", backOff, ex);
				closeProducer();
				try {
					Thread.sleep(backOff.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
				backOff = next(backOff);
			}
		}
	}

	private Duration next(Duration backOff) {
		Duration doubled = backOff.multipliedBy(2);
		return (doubled.compareTo(this.settings.maxBackOff()) > 0) ? this.settings.maxBackOff() : doubled;
	}

	/**
	 * Publishes one batch, if this relay holds the lock.
	 */
	Batch relayBatch() {
		return this.transactions.execute(status -> {
			Boolean locked = this.jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY);
			if (!Boolean.TRUE.equals(locked)) {
				return Batch.NOT_LEADER;
			}
			List<Row> rows = this.jdbc.query("""
					select position, topic, aggregateid, payload, headers, created_at
					from outbox order by position limit ?""", OutboxRelay::row, this.settings.batchSize());
			if (rows.isEmpty()) {
				return Batch.EMPTY;
			}
			return publish(rows);
		});
	}

	private Batch publish(List<Row> rows) {
		Producer<String, byte[]> producer = producer();
		List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(rows.size());
		for (Row row : rows) {
			Future<RecordMetadata> acknowledgement = producer.send(row.toRecord());
			acknowledgements.add(acknowledgement);
			if (acknowledgement.isDone() && !acknowledged(acknowledgement)) {
				break;
			}
		}
		producer.flush();
		List<Long> delivered = new ArrayList<>(rows.size());
		Set<String> blockedKeys = new HashSet<>();
		Instant now = Instant.now();
		Iterator<Future<RecordMetadata>> acks = acknowledgements.iterator();
		for (Row row : rows) {
			boolean acknowledged = acks.hasNext() && acknowledged(acks.next());
			String orderKey = row.topic() + '\u0000' + row.key();
			if (acknowledged && !blockedKeys.contains(orderKey)) {
				delivered.add(row.position());
				this.metrics.published(row.topic(), Duration.between(row.createdAt(), now));
			}
			else {
				blockedKeys.add(orderKey);
			}
		}
		if (!delivered.isEmpty()) {
			this.jdbc.update("delete from outbox where position = any(?)",
					(Object) delivered.toArray(Long[]::new));
		}
		return new Batch(rows.size(), rows.size() - delivered.size());
	}

	private static boolean acknowledged(Future<RecordMetadata> acknowledgement) {
		try {
			acknowledgement.get();
			return true;
		}
		catch (ExecutionException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
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
				rs.getBytes("payload"), rs.getString("headers"), rs.getTimestamp("created_at").toInstant());
	}

	/** What one batch did. */
	record Batch(int read, int failed) {

		static final Batch EMPTY = new Batch(0, 0);

		static final Batch NOT_LEADER = new Batch(0, 0);

	}

	private record Row(long position, String topic, String key, byte[] payload, String headers, Instant createdAt) {

		ProducerRecord<String, byte[]> toRecord() {
			RecordHeaders kafkaHeaders = new RecordHeaders();
			try {
				JsonNode json = JSON.readTree(this.headers);
				for (Map.Entry<String, JsonNode> header : json.properties()) {
					kafkaHeaders.add(new RecordHeader(header.getKey(),
							header.getValue().asText().getBytes(StandardCharsets.UTF_8)));
				}
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException("Outbox row " + this.position + " has unreadable headers", ex);
			}
			return new ProducerRecord<>(this.topic, null, this.key, this.payload, kafkaHeaders);
		}

	}

}
