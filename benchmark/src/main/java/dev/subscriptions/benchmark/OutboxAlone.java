package dev.subscriptions.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingAutoConfiguration;
import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.migration.EventingMigrations;
import dev.subscriptions.eventing.outbox.LeaderConnections;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.eventing.outbox.OutboxMetrics;
import dev.subscriptions.eventing.outbox.OutboxRelay;
import dev.subscriptions.eventing.outbox.OutboxSignal;
import dev.subscriptions.eventing.outbox.ParkedOutbox;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;

/**
 * The outbox on its own, in the benchmark's process and database: transactions that each
 * insert one business row and append one event through eventing's {@link Outbox}, and an
 * {@link OutboxRelay} built as {@link EventingAutoConfiguration} builds a service's (its
 * settings and producer properties, the leader's own connection, the signal after
 * commit), timed from the first transaction until a plain consumer has seen every event.
 * Every session of its pool runs with {@code synchronous_commit = on}, whatever the
 * server's default, as does the raw baseline: single-row {@code UPDATE} autocommits, one
 * row per thread so that the threads do not wait on each other's row locks.
 */
final class OutboxAlone implements AutoCloseable {

	/**
	 * The subject the events are serialized under: CustomerCreated is registered there.
	 */
	private static final String SUBJECT_TOPIC = "customer.events";

	private final Database database;

	private final BenchmarkTopics topics;

	private final HikariDataSource dataSource;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	private final OutboxRelay relay;

	private final Serializer<Object> serializer;

	OutboxAlone(Database database, BenchmarkTopics topics, String registryUrl, int threads) {
		this.database = database;
		this.topics = topics;
		HikariConfig pool = new HikariConfig();
		pool.setJdbcUrl(database.url());
		pool.setUsername(database.login());
		pool.setPassword(database.login());
		pool.setMaximumPoolSize(threads + 2);
		pool.setConnectionInitSql("set synchronous_commit = on");
		pool.setPoolName("outbox-alone");
		this.dataSource = new HikariDataSource(pool);
		new EventingMigrations().migrate(Flyway.configure()
			.dataSource(this.dataSource)
			.locations("classpath:db/benchmark")
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load());
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		ConfluentAvroSerializer avro = new ConfluentAvroSerializer(SchemaRegistryClient.forUrl(registryUrl), false);
		this.serializer = (topic, data) -> avro.serialize(SUBJECT_TOPIC, data);
		OutboxSignal signal = new OutboxSignal();
		OutboxMetrics metrics = new OutboxMetrics(this.jdbc, new SimpleMeterRegistry());
		ParkedOutbox parked = new ParkedOutbox(this.jdbc, this.transactions, signal, metrics);
		EventingProperties.Relay relay = new EventingProperties().getRelay();
		Map<String, Object> producerProperties = topics.relayProducerProperties("outbox-relay-benchmark");
		LeaderConnections leaderConnections = LeaderConnections.to(database.url(), database.login(), database.login(),
				relay.getLeadership().getSocketTimeout(), relay.getLeadership().getConnectTimeout());
		this.outbox = new Outbox(this.jdbc, this.serializer, signal);
		this.relay = new OutboxRelay(this.jdbc,
				() -> new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer()),
				() -> Admin.create(Map.of("bootstrap.servers", topics.bootstrapServers())), leaderConnections, signal,
				metrics, parked, EventingAutoConfiguration.relaySettings(relay));
	}

	/** Starts the relay and waits until it leads. */
	void start() throws InterruptedException {
		this.relay.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!this.relay.isLeader()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The benchmark's relay did not lead within 30 s");
			}
			Thread.sleep(20);
		}
	}

	/** The bytes of one event as the outbox stores and Kafka carries it. */
	int eventSize() {
		return this.serializer.serialize(SUBJECT_TOPIC, event(UUID.randomUUID())).length;
	}

	/**
	 * Transactions per second: {@code count} transactions from {@code threads} threads,
	 * until a consumer has seen all their events.
	 */
	double transactions(int count, int threads) throws Exception {
		String topic = this.topics.create("outbox");
		try (Arrivals arrivals = new Arrivals(this.topics.bootstrapServers(), topic, count)) {
			long start = System.nanoTime();
			commit(count, threads, topic);
			long seen = arrivals.awaitAll(Duration.ofMinutes(5));
			return count / ((seen - start) / 1e9);
		}
	}

	/**
	 * Transactions per second of the same transactions while the relay is stopped, until
	 * the last one committed: what the transactions cost on their own, without the relay,
	 * Kafka and the consumer beside them. The relay publishes their events once started.
	 */
	double transactionsWithoutRelay(int count, int threads) throws Exception {
		if (this.relay.isRunning()) {
			throw new IllegalStateException("The relay runs; measure the transactions alone before starting it");
		}
		String topic = this.topics.create("outbox-unrelayed");
		long start = System.nanoTime();
		commit(count, threads, topic);
		return count / ((System.nanoTime() - start) / 1e9);
	}

	/** Waits until the relay has published every row of the outbox. */
	void awaitEmpty(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.jdbc.queryForObject("select count(*) from outbox", Long.class) > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The benchmark's outbox still holds rows after " + timeout);
			}
			Thread.sleep(50);
		}
	}

	/**
	 * {@code count} transactions from {@code threads} threads, each a row and an event.
	 */
	private void commit(int count, int threads, String topic) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int share = count / threads + ((t < count % threads) ? 1 : 0);
				work.add(pool.submit(() -> {
					for (int i = 0; i < share; i++) {
						UUID id = UUID.randomUUID();
						this.transactions.executeWithoutResult(status -> {
							this.jdbc.update("insert into business (id, n) values (?, ?)", id, 1L);
							this.outbox.append(topic, id.toString(), event(id));
						});
					}
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Single-row {@code UPDATE} autocommits per second with
	 * {@code synchronous_commit = on}, from {@code threads} connections, each on a row of
	 * its own, for {@code duration}.
	 */
	double rawCommits(int threads, Duration duration) throws Exception {
		try (Connection connection = this.database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("create table if not exists counter (id int primary key, value bigint not null)");
			statement.execute("insert into counter select g, 0 from generate_series(1, " + threads
					+ ") g on conflict do nothing");
		}
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			AtomicLong commits = new AtomicLong();
			long start = System.nanoTime();
			long end = start + duration.toNanos();
			List<Future<?>> work = new ArrayList<>();
			for (int t = 1; t <= threads; t++) {
				int row = t;
				work.add(pool.submit(() -> {
					try (Connection connection = this.database.connect()) {
						try (Statement statement = connection.createStatement()) {
							statement.execute("set synchronous_commit = on");
						}
						try (PreparedStatement update = connection
							.prepareStatement("update counter set value = value + 1 where id = ?")) {
							update.setInt(1, row);
							while (System.nanoTime() < end) {
								update.executeUpdate();
								commits.incrementAndGet();
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get();
			}
			return commits.get() / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A CustomerCreated of about 190 bytes in the wire format. */
	private static CustomerCreated event(UUID customer) {
		return CustomerCreated.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(Instant.now())
			.setOrganizationId("00000000-0000-0000-0000-000000000000")
			.setCustomerId(customer.toString())
			.setEmail("outbox-" + customer.toString().substring(0, 8) + "@bench.example.com")
			.setName("Outbox Benchmark Customer " + customer.toString().substring(0, 8))
			.setExternalId(null)
			.build();
	}

	@Override
	public void close() {
		this.relay.stop();
		this.dataSource.close();
	}

	/** Counts the events of one topic (priming records aside) as they arrive. */
	private static final class Arrivals implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong received = new AtomicLong();

		private final AtomicLong allSeenAt = new AtomicLong();

		private final long expected;

		private final Thread thread;

		Arrivals(String bootstrapServers, String topic, long expected) {
			this.expected = expected;
			KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
					"client.id", "benchmark-outbox", "max.poll.records", 5000), new StringDeserializer(),
					new ByteArrayDeserializer());
			List<TopicPartition> partitions = new ArrayList<>();
			for (int i = 0; i < BenchmarkTopics.PARTITIONS; i++) {
				partitions.add(new TopicPartition(topic, i));
			}
			consumer.assign(partitions);
			consumer.seekToEnd(partitions);
			partitions.forEach(consumer::position);
			this.thread = new Thread(() -> {
				try {
					while (this.running.get()) {
						for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
							if (!BenchmarkTopics.PRIME.equals(record.key())
									&& this.received.incrementAndGet() == this.expected) {
								this.allSeenAt.set(System.nanoTime());
							}
						}
					}
				}
				finally {
					consumer.close();
				}
			}, "benchmark-outbox-consumer");
			this.thread.start();
		}

		/** When the last expected event arrived ({@link System#nanoTime()}). */
		long awaitAll(Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.allSeenAt.get() == 0) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"Only " + this.received.get() + " of " + this.expected + " events arrived");
				}
				Thread.sleep(1);
			}
			return this.allSeenAt.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join();
		}

	}

}
