package dev.subscriptions.eventing.lag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;

import dev.subscriptions.eventing.consumer.SentDeadLetters;

/**
 * The committed-offset lag of this service's consumer groups, measured with the Kafka
 * Admin client every {@code interval} on a daemon thread of its own, so that it is right
 * however the listener threads fare (a listener that fetched records but is stuck in its
 * handler shows lag, where the client's {@code records-lag} does not).
 * <p>
 * The groups are those of the service's listener containers; for each, the partitions it
 * has committed offsets for and every partition of the topics its listeners subscribe to.
 * A partition the group has not committed an offset for counts from its log start offset
 * (where the services' groups begin, {@code auto-offset-reset=earliest}): all its records
 * are unconsumed. Per group, topic and partition (tags {@code group}, {@code topic},
 * {@code partition}):
 * <ul>
 * <li>{@value #LAG}: log end offset minus committed offset, never negative;</li>
 * <li>{@value #LAG_SECONDS}: age of the oldest record not yet committed, from its
 * timestamp (read by a consumer of no group, {@code read_committed}, at the committed
 * offset, or the next record that exists there after compaction); 0 when caught up, never
 * negative, NaN when the record could not be read in time;</li>
 * <li>{@value #COMMITTED}: the committed offset (the log start offset while there is
 * none);</li>
 * <li>{@value #LOG_END}: the log end offset;</li>
 * <li>{@value #LAST_COMMIT} (seconds since the epoch): the time of the last commit, from
 * its metadata where this service's containers committed it ({@link CommitTimestamps}),
 * else the time this monitor first saw the group at that offset; NaN while there is no
 * commit.</li>
 * </ul>
 * and {@value #DEAD_LETTER_RECORDS} (tag {@code topic}): the records in each dead-letter
 * topic this service writes (end offset minus start offset, summed over its partitions; 0
 * while it does not exist): {@code <topic><suffix>} of every topic its listeners consume,
 * and the declared topics ending with the suffix.
 * <p>
 * Gauges of partitions that are no longer measured are removed. A measurement that fails
 * (Kafka down) keeps the last figures and marks them stale: the snapshot says when it was
 * measured, when the last attempt failed and why ({@link KafkaLagEndpoint}), and
 * {@value #MEASURED} (seconds since the epoch) stops advancing, so that an alert can tell
 * figures that are no longer measured.
 */
public class ConsumerGroupLag implements SmartLifecycle {

	/** Lag in records. */
	public static final String LAG = "kafka.consumergroup.lag";

	/** Lag in seconds. */
	public static final String LAG_SECONDS = "kafka.consumergroup.lag.seconds";

	/** The committed offset. */
	public static final String COMMITTED = "kafka.consumergroup.committed.offset";

	/** The log end offset. */
	public static final String LOG_END = "kafka.consumergroup.log.end.offset";

	/** The time of the last commit; base unit seconds. */
	public static final String LAST_COMMIT = "kafka.consumergroup.last.commit.timestamp";

	/**
	 * The time of the last measurement that succeeded (the monitor's start before the
	 * first); base unit seconds.
	 */
	public static final String MEASURED = "kafka.consumergroup.lag.measured.timestamp";

	/** Records per dead-letter topic. */
	public static final String DEAD_LETTER_RECORDS = "kafka.dead.letter.topic.records";

	private static final Logger log = LoggerFactory.getLogger(ConsumerGroupLag.class);

	private final Supplier<Admin> admins;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	private final Supplier<List<Subscription>> subscriptions;

	private final Supplier<Set<String>> declaredTopics;

	private final SentDeadLetters sentDeadLetters;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Settings settings;

	private final Map<PartitionKey, List<Meter>> partitionGauges = new HashMap<>();

	private final Map<String, Meter> deadLetterGauges = new HashMap<>();

	private final Set<String> expectedDeadLetters = ConcurrentHashMap.newKeySet();

	private volatile Snapshot snapshot = Snapshot.NONE;

	private volatile Map<PartitionKey, PartitionLag> byKey = Map.of();

	private Map<OffsetKey, Long> timestamps = new HashMap<>();

	private Map<PartitionKey, Observed> observed = new HashMap<>();

	private @Nullable Admin admin;

	private @Nullable Consumer<byte[], byte[]> consumer;

	private @Nullable ScheduledExecutorService executor;

	private boolean failing;

	/**
	 * @param admins makes the Admin client
	 * @param consumers makes the consumer that reads the timestamps of the oldest records
	 * not yet committed: no group, byte array deserializers, {@code read_committed}
	 * @param subscriptions the consumer groups and their topics, asked at each
	 * measurement
	 * @param declaredTopics the topics the service declares, for the dead-letter topics
	 * among them
	 * @param sentDeadLetters whose counters are registered at 0 for every group and
	 * dead-letter topic
	 */
	public ConsumerGroupLag(Supplier<Admin> admins, Supplier<Consumer<byte[], byte[]>> consumers,
			Supplier<List<Subscription>> subscriptions, Supplier<Set<String>> declaredTopics,
			SentDeadLetters sentDeadLetters, MeterRegistry meters, Clock clock, Settings settings) {
		this.admins = admins;
		this.consumers = consumers;
		this.subscriptions = subscriptions;
		this.declaredTopics = declaredTopics;
		this.sentDeadLetters = sentDeadLetters;
		this.meters = meters;
		this.clock = clock;
		this.settings = settings;
		Instant created = clock.instant();
		Gauge.builder(MEASURED, this, self -> {
			Instant measuredAt = self.snapshot.measuredAt();
			return ((measuredAt != null) ? measuredAt : created).toEpochMilli() / 1000.0;
		})
			.description("Time of the last consumer group lag measurement that succeeded (the monitor's start "
					+ "before the first), seconds since the epoch")
			.baseUnit("seconds")
			.register(meters);
	}

	/** The groups and topics of {@code containers}. */
	public static List<Subscription> subscriptionsOf(Collection<? extends MessageListenerContainer> containers) {
		List<Subscription> subscriptions = new ArrayList<>();
		for (MessageListenerContainer container : containers) {
			String group = container.getGroupId();
			if (group == null || group.isBlank()) {
				continue;
			}
			ContainerProperties properties = container.getContainerProperties();
			Set<String> topics = new TreeSet<>();
			String[] named = properties.getTopics();
			if (named != null) {
				topics.addAll(List.of(named));
			}
			TopicPartitionOffset[] assigned = properties.getTopicPartitions();
			if (assigned != null) {
				for (TopicPartitionOffset partition : assigned) {
					topics.add(partition.getTopic());
				}
			}
			subscriptions.add(new Subscription(group, topics, properties.getTopicPattern()));
		}
		return subscriptions;
	}

	/** The last measurement. */
	public Snapshot snapshot() {
		return this.snapshot;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "consumergroup-lag");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::measureQuietly, 0, this.settings.interval().toMillis(),
				TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		Consumer<byte[], byte[]> consumer = this.consumer;
		if (consumer != null) {
			consumer.wakeup();
		}
		executor.shutdownNow();
		try {
			if (!executor.awaitTermination(this.settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("The consumer group lag measurement did not end within {}", this.settings.timeout());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			closeClients();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	private void measureQuietly() {
		Instant now = this.clock.instant();
		try {
			Snapshot measured = measure(now);
			this.byKey = measured.byKey();
			this.snapshot = measured;
			updateGauges(measured);
			if (this.failing) {
				log.info("Consumer group lag measured again");
				this.failing = false;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception | LinkageError | AssertionError ex) {
			// any failure but the JVM's own: an escaping one would end the schedule
			// silently
			String failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			this.snapshot = this.snapshot.failedAt(now, failure);
			if (!this.failing) {
				log.warn("Could not measure the consumer group lag; keeping the figures of {} as stale: {}",
						this.snapshot.measuredAt(), failure);
				this.failing = true;
			}
			if (!(ex instanceof TimeoutException || ex instanceof ExecutionException)) {
				closeConsumer();
			}
		}
	}

	private Snapshot measure(Instant now) throws InterruptedException, ExecutionException, TimeoutException {
		Admin admin = admin();
		Set<String> cluster = get(admin.listTopics(new ListTopicsOptions().timeoutMs((int) timeoutMillis())).names());
		Map<String, Set<String>> subscribed = new TreeMap<>();
		Set<String> deadLetterTopics = new TreeSet<>();
		for (Subscription subscription : this.subscriptions.get()) {
			Set<String> topics = subscribed.computeIfAbsent(subscription.group(), group -> new TreeSet<>());
			Set<String> consumed = new TreeSet<>(subscription.topics());
			Pattern pattern = subscription.pattern();
			if (pattern != null) {
				cluster.stream().filter(topic -> pattern.matcher(topic).matches()).forEach(consumed::add);
			}
			for (String topic : consumed) {
				String deadLetterTopic = topic + this.settings.deadLetterSuffix();
				deadLetterTopics.add(deadLetterTopic);
				if (this.expectedDeadLetters.add(subscription.group() + '\u0000' + deadLetterTopic)) {
					this.sentDeadLetters.expect(subscription.group(), deadLetterTopic);
				}
				if (cluster.contains(topic)) {
					topics.add(topic);
				}
			}
		}
		this.declaredTopics.get()
			.stream()
			.filter(topic -> topic.endsWith(this.settings.deadLetterSuffix()))
			.forEach(deadLetterTopics::add);

		Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = committed(admin, subscribed.keySet(), cluster);
		Set<String> described = new TreeSet<>();
		subscribed.values().forEach(described::addAll);
		deadLetterTopics.stream().filter(cluster::contains).forEach(described::add);
		Map<String, TopicDescription> descriptions = described.isEmpty() ? Map.of()
				: get(admin.describeTopics(described).allTopicNames());
		Map<String, List<TopicPartition>> partitionsOf = new HashMap<>();
		descriptions.forEach((topic, description) -> partitionsOf.put(topic,
				description.partitions()
					.stream()
					.map(TopicPartitionInfo::partition)
					.map(partition -> new TopicPartition(topic, partition))
					.toList()));
		Set<TopicPartition> partitions = new HashSet<>();
		partitionsOf.values().forEach(partitions::addAll);
		committed.values().forEach(offsets -> partitions.addAll(offsets.keySet()));
		Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest());
		Map<TopicPartition, Long> start = offsets(admin, partitions, OffsetSpec.earliest());

		Map<PartitionKey, Long> positions = new LinkedHashMap<>();
		for (Map.Entry<String, Set<String>> group : subscribed.entrySet()) {
			Set<TopicPartition> ofGroup = new TreeSet<>(
					Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
			ofGroup.addAll(committed.get(group.getKey()).keySet());
			group.getValue().forEach(topic -> ofGroup.addAll(partitionsOf.getOrDefault(topic, List.of())));
			for (TopicPartition partition : ofGroup) {
				if (end.containsKey(partition) && start.containsKey(partition)) {
					OffsetAndMetadata commit = committed.get(group.getKey()).get(partition);
					positions.put(new PartitionKey(group.getKey(), partition),
							(commit != null) ? commit.offset() : start.get(partition));
				}
			}
		}
		Set<OffsetKey> unconsumed = new HashSet<>();
		positions.forEach((key, position) -> {
			if (end.get(key.partition()) > position) {
				unconsumed.add(new OffsetKey(key.partition(), position));
			}
		});
		Map<OffsetKey, Long> timestamps = timestamps(unconsumed, end);

		List<PartitionLag> measured = new ArrayList<>();
		Map<PartitionKey, Observed> observed = new HashMap<>();
		positions.forEach((key, position) -> {
			TopicPartition partition = key.partition();
			OffsetAndMetadata commit = committed.get(key.group()).get(partition);
			long logEnd = end.get(partition);
			long lag = Math.max(0, logEnd - position);
			Long oldest = timestamps.get(new OffsetKey(partition, position));
			double lagSeconds = (lag == 0) ? 0 : (oldest != null && oldest >= 0)
					? Math.max(0, (now.toEpochMilli() - oldest) / 1000.0) : Double.NaN;
			Instant lastCommit = null;
			CommitTime source = CommitTime.NONE;
			if (commit != null) {
				Observed before = this.observed.get(key);
				Observed seen = (before != null && before.offset() == commit.offset()) ? before
						: new Observed(commit.offset(), now);
				observed.put(key, seen);
				OptionalLong fromMetadata = CommitTimestamps.of(commit);
				lastCommit = fromMetadata.isPresent() ? Instant.ofEpochMilli(fromMetadata.getAsLong()) : seen.since();
				source = fromMetadata.isPresent() ? CommitTime.METADATA : CommitTime.OBSERVED;
			}
			measured.add(new PartitionLag(key.group(), partition.topic(), partition.partition(), position,
					commit != null, logEnd, lag, lagSeconds, lastCommit, source));
		});
		this.observed = observed;

		Map<String, Long> deadLetters = new TreeMap<>();
		for (String topic : deadLetterTopics) {
			long records = 0;
			for (TopicPartition partition : partitionsOf.getOrDefault(topic, List.of())) {
				records += Math.max(0, end.getOrDefault(partition, 0L) - start.getOrDefault(partition, 0L));
			}
			deadLetters.put(topic, records);
		}
		return new Snapshot(now, now, null, measured, deadLetters);
	}

	private Map<String, Map<TopicPartition, OffsetAndMetadata>> committed(Admin admin, Set<String> groups,
			Set<String> cluster) throws InterruptedException, ExecutionException, TimeoutException {
		Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
		if (groups.isEmpty()) {
			return committed;
		}
		Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
		groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
		ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(specs,
				new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeoutMillis()));
		for (String group : groups) {
			Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
			try {
				get(result.partitionsToOffsetAndMetadata(group)).forEach((partition, commit) -> {
					if (commit != null && cluster.contains(partition.topic())) {
						offsets.put(partition, commit);
					}
				});
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof GroupIdNotFoundException)) {
					throw ex;
				}
			}
			committed.put(group, offsets);
		}
		return committed;
	}

	private Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec)
			throws InterruptedException, ExecutionException, TimeoutException {
		if (partitions.isEmpty()) {
			return Map.of();
		}
		Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
		partitions.forEach(partition -> specs.put(partition, spec));
		Map<TopicPartition, Long> offsets = new HashMap<>();
		get(admin
			.listOffsets(specs,
					new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs((int) timeoutMillis()))
			.all()).forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	/**
	 * The timestamps of the records at these offsets (or of the next that exists), from
	 * those read before where they are still wanted; a partition read to its end without
	 * a record (only aborted or control records left) has none.
	 */
	private Map<OffsetKey, Long> timestamps(Set<OffsetKey> wanted, Map<TopicPartition, Long> end) {
		Map<OffsetKey, Long> known = new HashMap<>();
		Map<TopicPartition, Deque<Long>> missing = new HashMap<>();
		for (OffsetKey key : wanted) {
			Long timestamp = this.timestamps.get(key);
			if (timestamp != null) {
				known.put(key, timestamp);
			}
			else {
				missing.computeIfAbsent(key.partition(), partition -> new ArrayDeque<>()).add(key.offset());
			}
		}
		while (!missing.isEmpty()) {
			Map<TopicPartition, Long> round = new HashMap<>();
			for (Iterator<Map.Entry<TopicPartition, Deque<Long>>> it = missing.entrySet().iterator(); it.hasNext();) {
				Map.Entry<TopicPartition, Deque<Long>> entry = it.next();
				round.put(entry.getKey(), entry.getValue().poll());
				if (entry.getValue().isEmpty()) {
					it.remove();
				}
			}
			read(round, end).forEach(
					(partition, timestamp) -> known.put(new OffsetKey(partition, round.get(partition)), timestamp));
		}
		this.timestamps = known;
		return known;
	}

	/**
	 * Reads the first record at or after each offset. The partitions stay assigned (and
	 * paused) until the next read needs others, so that the consumer does not log a new
	 * assignment at every measurement.
	 */
	private Map<TopicPartition, Long> read(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> end) {
		Consumer<byte[], byte[]> consumer = consumer();
		Map<TopicPartition, Long> timestamps = new HashMap<>();
		if (!consumer.assignment().equals(offsets.keySet())) {
			consumer.assign(offsets.keySet());
		}
		consumer.resume(consumer.paused());
		offsets.forEach(consumer::seek);
		Set<TopicPartition> pending = new HashSet<>(offsets.keySet());
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		while (!pending.isEmpty() && System.nanoTime() < deadline) {
			for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
				TopicPartition partition = new TopicPartition(record.topic(), record.partition());
				if (pending.remove(partition)) {
					timestamps.put(partition, record.timestamp());
					consumer.pause(List.of(partition));
				}
			}
			pending.removeIf(partition -> consumer.position(partition) >= end.get(partition));
		}
		consumer.pause(consumer.assignment());
		return timestamps;
	}

	private void updateGauges(Snapshot measured) {
		Set<PartitionKey> keys = measured.byKey().keySet();
		for (Iterator<Map.Entry<PartitionKey, List<Meter>>> it = this.partitionGauges.entrySet().iterator(); it
			.hasNext();) {
			Map.Entry<PartitionKey, List<Meter>> entry = it.next();
			if (!keys.contains(entry.getKey())) {
				entry.getValue().forEach(this.meters::remove);
				it.remove();
			}
		}
		for (PartitionKey key : keys) {
			this.partitionGauges.computeIfAbsent(key, added -> List.of(
					gauge(LAG, "Log end offset minus committed offset", null, added, PartitionLag::lag),
					gauge(LAG_SECONDS, "Age of the oldest record the group has not committed, 0 when none", null, added,
							PartitionLag::lagSeconds),
					gauge(COMMITTED, "The group's committed offset", null, added, PartitionLag::committedOffset),
					gauge(LOG_END, "The log end offset", null, added, PartitionLag::logEndOffset),
					gauge(LAST_COMMIT, "Time of the group's last commit, seconds since the epoch", "seconds", added,
							PartitionLag::lastCommitTimestampSeconds)));
		}
		Set<String> topics = measured.deadLetterTopics().keySet();
		for (Iterator<Map.Entry<String, Meter>> it = this.deadLetterGauges.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Meter> entry = it.next();
			if (!topics.contains(entry.getKey())) {
				this.meters.remove(entry.getValue());
				it.remove();
			}
		}
		for (String topic : topics) {
			this.deadLetterGauges.computeIfAbsent(topic,
					added -> Gauge.builder(DEAD_LETTER_RECORDS, this, self -> self.deadLetterRecords(added))
						.description("Records in the dead-letter topic: end offset minus start offset")
						.tag("topic", added)
						.register(this.meters));
		}
	}

	private Meter gauge(String name, String description, @Nullable String baseUnit, PartitionKey key,
			ToDoubleFunction<PartitionLag> figure) {
		return Gauge.builder(name, this, self -> self.figure(key, figure))
			.description(description)
			.baseUnit(baseUnit)
			.tag("group", key.group())
			.tag("topic", key.partition().topic())
			.tag("partition", Integer.toString(key.partition().partition()))
			.register(this.meters);
	}

	private double figure(PartitionKey key, ToDoubleFunction<PartitionLag> figure) {
		PartitionLag lag = this.byKey.get(key);
		return (lag != null) ? figure.applyAsDouble(lag) : Double.NaN;
	}

	private double deadLetterRecords(String topic) {
		Long records = this.snapshot.deadLetterTopics().get(topic);
		return (records != null) ? records : Double.NaN;
	}

	private Admin admin() {
		Admin admin = this.admin;
		if (admin == null) {
			admin = this.admins.get();
			this.admin = admin;
		}
		return admin;
	}

	private Consumer<byte[], byte[]> consumer() {
		Consumer<byte[], byte[]> consumer = this.consumer;
		if (consumer == null) {
			consumer = this.consumers.get();
			this.consumer = consumer;
		}
		return consumer;
	}

	private void closeConsumer() {
		Consumer<byte[], byte[]> consumer = this.consumer;
		this.consumer = null;
		if (consumer != null) {
			try {
				consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
			}
			catch (RuntimeException ex) {
				log.debug("Closing the lag consumer failed", ex);
			}
		}
	}

	private void closeClients() {
		closeConsumer();
		Admin admin = this.admin;
		this.admin = null;
		if (admin != null) {
			admin.close(Duration.ofSeconds(1));
		}
	}

	private long timeoutMillis() {
		return this.settings.timeout().toMillis();
	}

	private <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
		return future.get(timeoutMillis() + 1000, TimeUnit.MILLISECONDS);
	}

	/**
	 * How the lag is measured.
	 *
	 * @param interval the wait between two measurements
	 * @param timeout the longest wait for each call to Kafka, and for the oldest records
	 * not yet committed
	 * @param deadLetterSuffix appended to a consumed topic's name to name its dead-letter
	 * topic
	 */
	public record Settings(Duration interval, Duration timeout, String deadLetterSuffix) {
	}

	/**
	 * A consumer group and what it subscribes to.
	 *
	 * @param group the group
	 * @param topics the topics it subscribes to by name, or is assigned partitions of
	 * @param pattern the pattern of topics it subscribes to, if any
	 */
	public record Subscription(String group, Set<String> topics, @Nullable Pattern pattern) {
	}

	/** Where the time of a partition's last commit comes from. */
	public enum CommitTime {

		/** The metadata of the commit, written by this service's containers. */
		METADATA,

		/**
		 * The commit has no time in its metadata (another tool committed it): when this
		 * monitor first saw the group at that offset.
		 */
		OBSERVED,

		/** The group has not committed an offset for the partition. */
		NONE

	}

	/**
	 * One group's figures for one partition.
	 *
	 * @param group the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param committedOffset the committed offset, or the log start offset while there is
	 * none
	 * @param committed whether the group has committed an offset
	 * @param logEndOffset the log end offset
	 * @param lag log end offset minus committed offset, never negative
	 * @param lagSeconds the age of the oldest record not yet committed, 0 when caught up,
	 * NaN when it could not be read
	 * @param lastCommitAt the time of the last commit, {@code null} while there is none
	 * @param lastCommitSource where that time comes from
	 */
	public record PartitionLag(String group, String topic, int partition, long committedOffset, boolean committed,
			long logEndOffset, long lag, double lagSeconds, @Nullable Instant lastCommitAt,
			CommitTime lastCommitSource) {

		/** The time of the last commit in seconds since the epoch, NaN while none. */
		public double lastCommitTimestampSeconds() {
			return (this.lastCommitAt != null) ? this.lastCommitAt.toEpochMilli() / 1000.0 : Double.NaN;
		}

	}

	/**
	 * The figures of one measurement.
	 *
	 * @param measuredAt when they were measured, {@code null} before the first
	 * measurement
	 * @param attemptedAt when the last measurement was attempted
	 * @param failure why the last attempt failed, {@code null} when it did not: the
	 * figures are stale
	 * @param partitions per group, topic and partition
	 * @param deadLetterTopics records per dead-letter topic
	 */
	public record Snapshot(@Nullable Instant measuredAt, @Nullable Instant attemptedAt, @Nullable String failure,
			List<PartitionLag> partitions, Map<String, Long> deadLetterTopics) {

		static final Snapshot NONE = new Snapshot(null, null, null, List.of(), Map.of());

		/** Whether the last attempt to measure failed, so that the figures are older. */
		public boolean stale() {
			return this.failure != null;
		}

		Snapshot failedAt(Instant attempt, String why) {
			return new Snapshot(this.measuredAt, attempt, why, this.partitions, this.deadLetterTopics);
		}

		Map<PartitionKey, PartitionLag> byKey() {
			Map<PartitionKey, PartitionLag> byKey = new HashMap<>();
			this.partitions.forEach(lag -> byKey
				.put(new PartitionKey(lag.group(), new TopicPartition(lag.topic(), lag.partition())), lag));
			return byKey;
		}

	}

	record PartitionKey(String group, TopicPartition partition) {
	}

	private record OffsetKey(TopicPartition partition, long offset) {
	}

	private record Observed(long offset, Instant since) {
	}

}
