package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingAutoConfiguration;
import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.EmbeddedKafka;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * The relay against a real broker that goes away and comes back. The context's own relay
 * is off; each test runs its own.
 */
@SpringBootTest(properties = "eventing.relay.enabled=false")
@Import(EmbeddedInfrastructure.class)
class OutboxRelayIntegrationTests {

	private final String bootstrapServers;

	private final ConfluentAvroDeserializer deserializer;

	private TestRelays relays;

	@Autowired
	Outbox outbox;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	KafkaProperties kafkaProperties;

	@Autowired
	OutboxSignal signal;

	@Autowired
	OutboxMetrics metrics;

	@Autowired
	DataSourceProperties dataSourceProperties;

	private String topic;

	OutboxRelayIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.deserializer = new ConfluentAvroDeserializer(SchemaRegistryClient.forUrl(registryUrl));
	}

	@BeforeEach
	void createTopic() throws Exception {
		this.topic = "relay-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin
				.createTopics(List.of(new NewTopic(this.topic, 6, (short) 1),
						new NewTopic(this.topic + "-raw", 6, (short) 1)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		this.jdbc.update("delete from outbox");
		this.relays = new TestRelays(this.jdbc, this.transactionManager, this.kafkaProperties,
				this.dataSourceProperties, this.signal);
	}

	@AfterEach
	void stopRelays() {
		this.relays.stopAll();
	}

	@Test
	void relaysTenThousandEventsOverAHundredKeysInOrderThroughAKafkaOutage(TestReporter reporter) {
		Map<String, List<String>> appended = append(9_000, 100);
		long started = System.nanoTime();
		// Small batches, so that Kafka goes down while events are still to be relayed.
		this.relays.relay(this.metrics).settings(relay -> relay.setBatchSize(20)).start();

		EmbeddedKafka kafka = embeddedBroker();
		await().atMost(Duration.ofSeconds(60)).until(() -> this.metrics.backlog().pending() < 8_500);
		kafka.interrupt();
		long stranded;
		try {
			// The relay may have sent all of the first 9,000 while the broker shut down;
			// these 1,000, over the same keys, are appended while it is down, so some
			// events certainly wait for it.
			append(1_000, appended);
			// While Kafka is down nothing leaves the outbox: no row is deleted
			// unacknowledged.
			stranded = await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(15))
				.until(this::count, unchanged());
		}
		finally {
			kafka.resume();
		}

		assertThat(stranded).as("events waiting in the outbox during the outage").isGreaterThanOrEqualTo(1_000);
		Map<String, List<String>> published = readUntil(10_000);
		double seconds = (System.nanoTime() - started) / 1e9;
		reporter.publishEntry(String
			.format("Relayed 10,000 events over 100 keys through a 3 s Kafka outage (%d of them waiting in the outbox"
					+ " meanwhile) in %.1f s", stranded, seconds));
		assertThat(published).isEqualTo(appended);
		assertThat(count()).isZero();
	}

	@Test
	void relaysAtThroughputAndReportsIt(TestReporter reporter) {
		append(10_000, 100);
		List<Map<String, Object>> rows = this.jdbc
			.queryForList("select aggregateid, payload from outbox order by position");

		long started = System.nanoTime();
		startRelay(Map.of());
		await().atMost(Duration.ofSeconds(60)).until(() -> count() == 0);
		double seconds = (System.nanoTime() - started) / 1e9;

		Map<String, List<String>> published = readUntil(10_000);
		double raw = rawProducerSeconds(rows);
		reporter.publishEntry(
				String.format("Relay: 10,000 events in %.2f s = %.0f events/s; raw KafkaProducer: %.0f events/s",
						seconds, 10_000 / seconds, 10_000 / raw));
		assertThat(published.values().stream().mapToInt(List::size).sum()).isEqualTo(10_000);
	}

	/**
	 * The outbox is empty most of the time and autovacuum records it so. Had PostgreSQL
	 * kept the plans it made for the relay's statements then, a backlog that came later
	 * would be scanned whole for every batch (a sequential scan and a sort per read, a
	 * sequential scan per delete). PostgreSQL's own counters of the outbox's scans tell
	 * which way they went; the test itself does not read the outbox meanwhile.
	 */
	@Test
	void drainsABacklogByThePrimaryKeyAfterRunningOnAnEmptyOutbox() {
		this.jdbc.execute("vacuum (analyze) outbox");
		MeterRegistry registry = new SimpleMeterRegistry();
		// No poll meanwhile: the relay reads when told of a commit, so only these reads
		// count.
		this.relays.relay(new OutboxMetrics(this.jdbc, registry))
			.settings(relay -> relay.setPollInterval(Duration.ofMinutes(5)))
			.start();
		Map<String, List<String>> appended = append(0, 100);
		// One event at a time, each relayed before the next: many reads and deletes of an
		// outbox of one row, more than PostgreSQL needs to settle on a generic plan.
		for (int i = 1; i <= 12; i++) {
			append(1, appended);
			int published = i;
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> publishedTo(registry) == published);
		}
		TableScans before = await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(30))
			.until(this::outboxScans, unchanged());

		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> append(20_000, appended));
		readUntil(20_012);

		// 20,000 rows are at least 40 reads and 40 deletes of 500.
		TableScans after = await().atMost(Duration.ofSeconds(30))
			.until(this::outboxScans, (scans) -> scans.byIndex() - before.byIndex() >= 80);
		assertThat(after.sequential() - before.sequential()).as("sequential scans of the outbox while draining")
			.isZero();
	}

	private double publishedTo(MeterRegistry registry) {
		Counter published = registry.find("outbox.published").tag("topic", this.topic).counter();
		return (published != null) ? published.count() : 0;
	}

	private TableScans outboxScans() {
		return this.jdbc.queryForObject(
				"select seq_scan, idx_scan from pg_stat_user_tables where relname = 'outbox' and schemaname = current_schema()",
				(row, i) -> new TableScans(row.getLong("seq_scan"), row.getLong("idx_scan")));
	}

	/** PostgreSQL's counts of a table's sequential and index scans. */
	private record TableScans(long sequential, long byIndex) {
	}

	@Test
	void losesNothingWhenAnOutageOutlastsTheDeliveryTimeout() {
		Map<String, List<String>> appended = append(1_000, 20);
		EmbeddedKafka kafka = embeddedBroker();
		kafka.interrupt();
		try {
			startRelay(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1_500,
					ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000));
			await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> count() == 1_000);
		}
		finally {
			kafka.resume();
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> count() == 0);
		Map<String, List<String>> firstDeliveries = firstDeliveries(readAtLeast(1_000));
		assertThat(firstDeliveries).isEqualTo(appended);
	}

	/**
	 * Two relays run side by side in small batches; the leader is stopped halfway, so the
	 * leadership changes hands while they publish. Sampled throughout, by their gauges
	 * and by the database's own lock table, never do two lead.
	 */
	@Test
	void neverLetsTwoRelaysLeadAtOnceAndKeepsEachKeysOrderAcrossAHandover() {
		Map<String, List<String>> appended = append(6_000, 30);
		List<MeterRegistry> registries = List.of(new SimpleMeterRegistry(), new SimpleMeterRegistry());
		List<OutboxRelay> relays = registries.stream()
			.map(registry -> this.relays.relay(new OutboxMetrics(this.jdbc, registry)).settings(settings -> {
				settings.setBatchSize(20);
				settings.setDrainTimeout(Duration.ZERO);
			}).start())
			.toList();
		List<Integer> leadersSampled = new ArrayList<>();
		List<Integer> lockHoldersSampled = new ArrayList<>();
		Runnable sample = () -> {
			leadersSampled.add((int) registries.stream()
				.mapToDouble(registry -> registry.get("outbox.relay.leader").gauge().value())
				.sum());
			lockHoldersSampled.add(relayLockHolders());
		};

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
			sample.run();
			return count() < 4_000;
		});
		OutboxRelay leader = relays.stream().filter(OutboxRelay::isLeader).findFirst().orElseThrow();
		OutboxRelay follower = relays.stream().filter(relay -> relay != leader).findFirst().orElseThrow();
		leader.stop();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
			sample.run();
			return count() == 0;
		});

		assertThat(leadersSampled).hasSizeGreaterThan(50).allMatch(leaders -> leaders <= 1).contains(1);
		assertThat(lockHoldersSampled).allMatch(holders -> holders <= 1).contains(1);
		assertThat(follower.isLeader()).isTrue();
		assertThat(leader.isLeader()).isFalse();
		assertThat(firstDeliveries(readAtLeast(6_000))).isEqualTo(appended);
	}

	/**
	 * The leader's producer blocks inside {@code send} halfway through its first batch,
	 * as a leader does whose process is stopped or whose thread hangs: its lock session
	 * sits idle, the server ends it after the idle session timeout (2 s here), and the
	 * second relay takes over and publishes everything, within the bound.
	 */
	@Test
	void handsOverToAnotherRelayWhenTheLeaderStallsMidBatch(TestReporter reporter) {
		Map<String, List<String>> appended = append(2_000, 20);
		CountDownLatch stalled = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger sends = new AtomicInteger();
		Map<String, Object> producerProperties = EventingAutoConfiguration
			.relayProducerProperties(this.kafkaProperties);
		OutboxRelay leader = this.relays.relay(this.metrics)
			.settings(this::shortIdleSession)
			.producers(producers -> () -> new KafkaProducer<>(producerProperties, new StringSerializer(),
					new ByteArraySerializer()) {
				@Override
				public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
					if (sends.incrementAndGet() == 250) {
						stalled.countDown();
						await().atMost(Duration.ofMinutes(2)).until(() -> release.await(1, TimeUnit.SECONDS));
					}
					return super.send(record, callback);
				}
			})
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> stalled.getCount() == 0);
		assertThat(leader.isLeader()).isTrue();
		OutboxRelay successor = this.relays.relay(new OutboxMetrics(this.jdbc, new SimpleMeterRegistry()))
			.settings(this::shortIdleSession)
			.start();
		long stalledAt = System.nanoTime();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> count() == 0);
			double handOverSeconds = (System.nanoTime() - stalledAt) / 1e9;
			reporter.publishEntry(String.format("A stalled leader handed over and the outbox was drained in %.1f s",
					handOverSeconds));
			assertThat(successor.isLeader()).isTrue();
		}
		finally {
			release.countDown();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !leader.isLeader());
		assertThat(successor.isLeader()).isTrue();
		assertThat(firstDeliveries(readAtLeast(2_000))).isEqualTo(appended);
	}

	private void shortIdleSession(EventingProperties.Relay settings) {
		settings.getLeadership().setIdleSessionTimeout(Duration.ofSeconds(2));
		settings.getLeadership().setHeartbeatInterval(Duration.ofMillis(300));
	}

	/**
	 * An {@code Error} escaping the relay's thread (here from the producer supplier,
	 * three times) kills it: the health goes DOWN, the thread is started again after a
	 * back-off and counted, and it publishes everything in the end.
	 */
	@Test
	void restartsItsThreadAfterAnErrorKilledItAndShowsThatInItsHealth() {
		Map<String, List<String>> appended = append(100, 5);
		MeterRegistry registry = new SimpleMeterRegistry();
		AtomicInteger errors = new AtomicInteger(3);
		OutboxRelay relay = this.relays.relay(new OutboxMetrics(this.jdbc, registry))
			.settings(settings -> settings.setInitialBackOff(Duration.ofMillis(300)))
			.producers(producers -> () -> {
				if (errors.getAndDecrement() > 0) {
					throw new NoClassDefFoundError("injected by the test");
				}
				return producers.get();
			})
			.build();
		OutboxRelayHealthIndicator health = new OutboxRelayHealthIndicator(relay);
		assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

		relay.start();

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> Status.DOWN.equals(health.health().getStatus()) && relay.isRunning());
		assertThat(health.health().getDetails()).containsEntry("threadAlive", false)
			.hasEntrySatisfying("lastError", error -> assertThat(error.toString()).contains("injected by the test"));
		assertThat(firstDeliveries(readAtLeast(100))).isEqualTo(appended);
		await().atMost(Duration.ofSeconds(10)).until(() -> count() == 0);
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		assertThat(health.health().getDetails()).containsEntry("leader", "yes").containsEntry("restarts", 3);
		assertThat(registry.get("outbox.relay.restarts").counter().count()).isEqualTo(3);

		relay.stop();
		assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.health().getDetails()).containsEntry("leader", "no");
	}

	/** Sessions holding the relay's advisory lock in this test's database. */
	private int relayLockHolders() {
		return this.jdbc.queryForObject("""
				select count(*) from pg_locks l join pg_database d on d.oid = l.database
				where l.locktype = 'advisory' and l.granted and d.datname = current_database()
				and l.classid::bigint = ? and l.objid::bigint = ?""", Integer.class, OutboxRelay.LOCK_KEY >>> 32,
				OutboxRelay.LOCK_KEY & 0xffffffffL);
	}

	@Test
	void publishesNothingWhileAnotherRelayHoldsTheLock() {
		append(10, 2);
		OutboxRelay relay = relay(Map.of());
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);

		OutboxRelay.Batch whileLocked = transactions.execute(status -> {
			this.jdbc.queryForObject("select pg_advisory_lock(?)::text", String.class, OutboxRelay.LOCK_KEY);
			try {
				return java.util.concurrent.CompletableFuture.supplyAsync(relay::relayBatch).join();
			}
			finally {
				this.jdbc.queryForObject("select pg_advisory_unlock(?)", Boolean.class, OutboxRelay.LOCK_KEY);
			}
		});

		assertThat(whileLocked).isEqualTo(OutboxRelay.Batch.NOT_LEADER).isNotEqualTo(OutboxRelay.Batch.EMPTY);
		assertThat(count()).isEqualTo(10);
		assertThat(relay.relayBatch().read()).isEqualTo(10);
		assertThat(count()).isZero();
	}

	/**
	 * A row committed by another instance (or left by a crash) sends this relay no
	 * signal: its poll (every 200 ms here) finds it.
	 */
	@Test
	void publishesARowItWasNotToldAboutAtItsNextPoll() {
		append(1, 1);
		Map<String, Object> row = this.jdbc.queryForMap("select aggregateid, payload from outbox");
		this.jdbc.update("delete from outbox");
		OutboxRelay relay = startRelay(Map.of());
		await().atMost(Duration.ofSeconds(10)).until(relay::isLeader);

		this.jdbc.update("""
				insert into outbox (id, aggregatetype, aggregateid, type, payload, topic)
				values (?, 'customer', ?, 'CustomerCreated', ?, ?)""", UUID.randomUUID(), row.get("aggregateid"),
				row.get("payload"), this.topic);

		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> count() == 0);
		assertThat(readAtLeast(1)).singleElement()
			.satisfies(record -> assertThat(record.key()).isEqualTo(row.get("aggregateid")));
	}

	@Test
	void countsWhatItPublishesPerTopicAndTimesItsLatency() {
		MeterRegistry registry = new SimpleMeterRegistry();
		OutboxMetrics counted = new OutboxMetrics(this.jdbc, registry);
		append(30, 3);

		startRelay(Map.of(), counted);

		await().atMost(Duration.ofSeconds(20)).until(() -> count() == 0);
		assertThat(registry.get("outbox.published").tag("topic", this.topic).counter().count()).isEqualTo(30);
		assertThat(registry.get("outbox.publish.latency").timer().count()).isEqualTo(30);
		assertThat(registry.get("outbox.publish.latency").timer().max(TimeUnit.MILLISECONDS)).isPositive();
	}

	@Test
	void reportsPendingEventsAndTheAgeOfTheOldest() {
		append(25, 5);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.metrics.backlog().pending()).isEqualTo(25);
			assertThat(this.metrics.backlog().oldestAgeSeconds()).isGreaterThan(0.5);
		});
		startRelay(Map.of());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.metrics.backlog().pending()).isZero();
			assertThat(this.metrics.backlog().oldestAgeSeconds()).isZero();
		});
	}

	/**
	 * Appends {@code count} events round-robin over {@code keys} keys; returns each key's
	 * event ids in order.
	 */
	private Map<String, List<String>> append(int count, int keys) {
		Map<String, List<String>> appended = new LinkedHashMap<>();
		for (int k = 0; k < keys; k++) {
			appended.put(UUID.randomUUID().toString(), new ArrayList<>());
		}
		append(count, appended);
		return appended;
	}

	/**
	 * Appends {@code count} more events round-robin over the keys of {@code appended},
	 * adding their ids to it.
	 */
	private void append(int count, Map<String, List<String>> appended) {
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		List<String> keyNames = new ArrayList<>(appended.keySet());
		for (int start = 0; start < count; start += 500) {
			int from = start;
			transactions.executeWithoutResult(status -> {
				for (int i = from; i < Math.min(count, from + 500); i++) {
					String key = keyNames.get(i % keyNames.size());
					CustomerCreated event = TestEvents.customerCreated(key, "event " + i);
					this.outbox.append(this.topic, key, event);
					appended.get(key).add(event.getEventId());
				}
			});
		}
	}

	private Map<String, List<String>> readUntil(int expected) {
		List<ConsumerRecord<String, byte[]>> records = readAtLeast(expected);
		assertThat(records).hasSize(expected);
		Map<String, List<String>> byKey = new HashMap<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(eventId(record));
		}
		return byKey;
	}

	/**
	 * The context's broker, which an outage test takes down and brings back: only the
	 * embedded broker can be, so with any other (the containers of {@code -Pcontainers})
	 * the test fails here and says so.
	 */
	private EmbeddedKafka embeddedBroker() {
		EmbeddedKafka kafka = SharedInfrastructure.kafka();
		assertThat(this.bootstrapServers)
			.as("a Kafka outage can be injected into the embedded broker only, not into the context's broker at %s",
					this.bootstrapServers)
			.isEqualTo(kafka.bootstrapServers());
		return kafka;
	}

	private List<ConsumerRecord<String, byte[]>> readAtLeast(int expected) {
		try (TopicContents.Follower reader = TopicContents.follow(this.bootstrapServers, this.topic)) {
			await().atMost(Duration.ofSeconds(90)).until(() -> reader.poll().size() >= expected);
			return new ArrayList<>(await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(10))
				.until(reader::poll, unchanged()));
		}
	}

	/**
	 * True when given what it was given the time before: polled with {@code during}, the
	 * value has stayed the same that long.
	 */
	private static <T> Predicate<T> unchanged() {
		AtomicReference<@Nullable Object> last = new AtomicReference<>(new Object());
		return value -> Objects.equals(last.getAndSet(value), value);
	}

	private Map<String, List<String>> firstDeliveries(List<ConsumerRecord<String, byte[]>> records) {
		Map<String, List<String>> byKey = new HashMap<>();
		Set<String> seen = new HashSet<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			String eventId = eventId(record);
			if (seen.add(eventId)) {
				byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(eventId);
			}
		}
		return byKey;
	}

	private String eventId(ConsumerRecord<String, byte[]> record) {
		return ((CustomerCreated) this.deserializer.deserialize(this.topic, record.value())).getEventId();
	}

	private long count() {
		return this.jdbc.queryForObject("select count(*) from outbox", Long.class);
	}

	private OutboxRelay startRelay(Map<String, Object> producerOverrides) {
		return startRelay(producerOverrides, this.metrics);
	}

	private OutboxRelay startRelay(Map<String, Object> producerOverrides, OutboxMetrics metrics) {
		return this.relays.relay(metrics).producer(producerOverrides).start();
	}

	private OutboxRelay relay(Map<String, Object> producerOverrides) {
		return this.relays.relay(this.metrics).producer(producerOverrides).build();
	}

	/**
	 * How long a plain idempotent KafkaProducer takes to send the same serialized records
	 * to the same broker.
	 */
	private double rawProducerSeconds(List<Map<String, Object>> rows) {
		Map<String, Object> properties = EventingAutoConfiguration.relayProducerProperties(this.kafkaProperties);
		long started = System.nanoTime();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
				new ByteArraySerializer())) {
			for (Map<String, Object> row : rows) {
				producer.send(new ProducerRecord<>(this.topic + "-raw", (String) row.get("aggregateid"),
						(byte[]) row.get("payload")));
			}
			producer.flush();
		}
		return (System.nanoTime() - started) / 1e9;
	}

}
