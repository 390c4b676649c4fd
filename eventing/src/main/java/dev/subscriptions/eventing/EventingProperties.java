package dev.subscriptions.eventing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.subscriptions.eventing.consumer.DeadLetters;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;

/**
 * Settings of the messaging infrastructure, under {@code eventing.*}.
 */
@ConfigurationProperties("eventing")
public class EventingProperties {

	private final SchemaRegistry schemaRegistry = new SchemaRegistry();

	private final Serializer serializer = new Serializer();

	private final Relay relay = new Relay();

	private final Consumer consumer = new Consumer();

	private final Inbox inbox = new Inbox();

	private final Lag lag = new Lag();

	public SchemaRegistry getSchemaRegistry() {
		return this.schemaRegistry;
	}

	public Serializer getSerializer() {
		return this.serializer;
	}

	public Relay getRelay() {
		return this.relay;
	}

	public Consumer getConsumer() {
		return this.consumer;
	}

	public Inbox getInbox() {
		return this.inbox;
	}

	public Lag getLag() {
		return this.lag;
	}

	/** The Confluent-API schema registry. */
	public static class SchemaRegistry {

		/**
		 * The registry of a local run: Apicurio Registry's Confluent-compatible API on
		 * port 8080.
		 */
		public static final String DEFAULT_URL = "http://localhost:8080/apis/ccompat/v7";

		/**
		 * Base URL of the Confluent Schema Registry API, e.g.
		 * {@code http://registry:8080/apis/ccompat/v7}; the {@code SCHEMA_REGISTRY_URL}
		 * environment variable where it is not set ({@link EventingDefaults}).
		 */
		private String url = DEFAULT_URL;

		/**
		 * Register the published schemas at start-up; off for registries managed by a
		 * pipeline.
		 */
		private boolean autoRegister = true;

		/**
		 * Compatibility level set on each published subject at start-up; empty to leave
		 * it alone.
		 */
		private String compatibility = "FULL_TRANSITIVE";

		/** How long start-up waits for an unreachable registry. */
		private Duration startupTimeout = Duration.ofSeconds(60);

		/**
		 * {@code user:password} for the registry's basic authentication (Confluent's
		 * {@code basic.auth.user.info}); consumers get it through
		 * {@code spring.kafka.consumer.properties}.
		 */
		private @Nullable String userInfo;

		/**
		 * A static bearer token for the registry (Confluent's {@code bearer.auth.token}).
		 */
		private @Nullable String bearerToken;

		/** How long to wait for a connection to the registry. */
		private Duration connectTimeout = SchemaRegistryClient.Settings.DEFAULT.connectTimeout();

		/** How long to wait for the registry's answer. */
		private Duration readTimeout = SchemaRegistryClient.Settings.DEFAULT.readTimeout();

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public boolean isAutoRegister() {
			return this.autoRegister;
		}

		public void setAutoRegister(boolean autoRegister) {
			this.autoRegister = autoRegister;
		}

		public String getCompatibility() {
			return this.compatibility;
		}

		public void setCompatibility(String compatibility) {
			this.compatibility = compatibility;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
		}

		public @Nullable String getUserInfo() {
			return this.userInfo;
		}

		public void setUserInfo(@Nullable String userInfo) {
			this.userInfo = userInfo;
		}

		public @Nullable String getBearerToken() {
			return this.bearerToken;
		}

		public void setBearerToken(@Nullable String bearerToken) {
			this.bearerToken = bearerToken;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		/** Credentials and timeouts of the registry client. */
		public SchemaRegistryClient.Settings clientSettings() {
			return new SchemaRegistryClient.Settings(this.userInfo, this.bearerToken, this.connectTimeout,
					this.readTimeout);
		}

	}

	/**
	 * The serializer that writes outbox payloads and dead letters. Any Kafka
	 * {@code Serializer} of Avro records works: set {@code class-name} to
	 * {@code io.confluent.kafka.serializers.KafkaAvroSerializer} and its settings under
	 * {@code properties} to use Confluent's own.
	 */
	public static class Serializer {

		/** The serializer class. */
		private String className = ConfluentAvroSerializer.class.getName();

		/**
		 * Extra settings passed to its {@code configure} method, next to
		 * {@code schema.registry.url}.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		/**
		 * Write only the schemas registered (or looked up) at start-up, declared by
		 * {@code EventSchemas} beans, and refuse others at once: no registry call inside
		 * a business transaction. Off only for code that appends to topics it cannot
		 * declare up front, e.g. tests that make up topics.
		 */
		private boolean registeredOnly = true;

		public String getClassName() {
			return this.className;
		}

		public void setClassName(String className) {
			this.className = className;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

		public boolean isRegisteredOnly() {
			return this.registeredOnly;
		}

		public void setRegisteredOnly(boolean registeredOnly) {
			this.registeredOnly = registeredOnly;
		}

	}

	/** The outbox relay. */
	public static class Relay {

		/**
		 * Whether this instance runs a relay (only one per database publishes at a time
		 * either way).
		 */
		private boolean enabled = true;

		/** Rows read and published per batch. */
		private int batchSize = 500;

		/**
		 * How often the relay looks for rows committed elsewhere (by other instances, or
		 * before a crash).
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/** The first wait after Kafka failed; doubled on each failure. */
		private Duration initialBackOff = Duration.ofMillis(200);

		/** The longest wait after repeated failures. */
		private Duration maxBackOff = Duration.ofSeconds(30);

		/**
		 * How long a topic the cluster says does not exist may stay so before its rows
		 * are parked; until then they wait.
		 */
		private Duration unknownTopicGrace = Duration.ofMinutes(2);

		/** How long shutdown goes on publishing what the outbox holds. */
		private Duration drainTimeout = Duration.ofSeconds(10);

		/**
		 * The most rows sent and not yet acknowledged by Kafka: the relay goes on reading
		 * and sending while earlier rows are in flight, up to this many. At most
		 * batch-size means one batch at a time.
		 */
		private int maxInFlight = 5000;

		/**
		 * The most bytes of records sent and not yet acknowledged; keep it below the
		 * producer's buffer.memory (32 MB by default) so that a send never waits for
		 * room.
		 */
		private DataSize maxInFlightBytes = DataSize.ofMegabytes(16);

		private final Leadership leadership = new Leadership();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getInitialBackOff() {
			return this.initialBackOff;
		}

		public void setInitialBackOff(Duration initialBackOff) {
			this.initialBackOff = initialBackOff;
		}

		public Duration getMaxBackOff() {
			return this.maxBackOff;
		}

		public void setMaxBackOff(Duration maxBackOff) {
			this.maxBackOff = maxBackOff;
		}

		public Duration getUnknownTopicGrace() {
			return this.unknownTopicGrace;
		}

		public void setUnknownTopicGrace(Duration unknownTopicGrace) {
			this.unknownTopicGrace = unknownTopicGrace;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

		public int getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public DataSize getMaxInFlightBytes() {
			return this.maxInFlightBytes;
		}

		public void setMaxInFlightBytes(DataSize maxInFlightBytes) {
			this.maxInFlightBytes = maxInFlightBytes;
		}

		public Leadership getLeadership() {
			return this.leadership;
		}

		/**
		 * The leader's lock session, a connection of its own. With these defaults a dead
		 * or stalled leader hands over within 30 s: its idle session ends after 20 s (a
		 * working leader beats every 5 s), then another instance takes the lock at its
		 * next poll.
		 */
		public static class Leadership {

			/**
			 * Ends the session (and frees the lock) of a leader that stopped working.
			 * PostgreSQL 14 or later.
			 */
			private Duration idleSessionTimeout = Duration.ofSeconds(20);

			/** Ends the session if it ever idles inside a transaction. */
			private Duration idleInTransactionSessionTimeout = Duration.ofSeconds(20);

			/** Bounds any lock wait of the session. */
			private Duration lockTimeout = Duration.ofSeconds(5);

			/** Bounds any statement of the session. */
			private Duration statementTimeout = Duration.ofSeconds(10);

			/** Server-side TCP keepalive: idle time before the first probe. */
			private Duration tcpKeepalivesIdle = Duration.ofSeconds(5);

			/** Server-side TCP keepalive: time between probes. */
			private Duration tcpKeepalivesInterval = Duration.ofSeconds(2);

			/** Server-side TCP keepalive: probes lost before the peer counts as gone. */
			private int tcpKeepalivesCount = 3;

			/**
			 * pgjdbc socketTimeout: the longest the leader waits for an answer on its
			 * session.
			 */
			private Duration socketTimeout = Duration.ofSeconds(15);

			/** pgjdbc connectTimeout of the session. */
			private Duration connectTimeout = Duration.ofSeconds(5);

			/**
			 * The longest a working leader leaves its session idle; well below the idle
			 * session timeout.
			 */
			private Duration heartbeatInterval = Duration.ofSeconds(5);

			public Duration getIdleSessionTimeout() {
				return this.idleSessionTimeout;
			}

			public void setIdleSessionTimeout(Duration idleSessionTimeout) {
				this.idleSessionTimeout = idleSessionTimeout;
			}

			public Duration getIdleInTransactionSessionTimeout() {
				return this.idleInTransactionSessionTimeout;
			}

			public void setIdleInTransactionSessionTimeout(Duration idleInTransactionSessionTimeout) {
				this.idleInTransactionSessionTimeout = idleInTransactionSessionTimeout;
			}

			public Duration getLockTimeout() {
				return this.lockTimeout;
			}

			public void setLockTimeout(Duration lockTimeout) {
				this.lockTimeout = lockTimeout;
			}

			public Duration getStatementTimeout() {
				return this.statementTimeout;
			}

			public void setStatementTimeout(Duration statementTimeout) {
				this.statementTimeout = statementTimeout;
			}

			public Duration getTcpKeepalivesIdle() {
				return this.tcpKeepalivesIdle;
			}

			public void setTcpKeepalivesIdle(Duration tcpKeepalivesIdle) {
				this.tcpKeepalivesIdle = tcpKeepalivesIdle;
			}

			public Duration getTcpKeepalivesInterval() {
				return this.tcpKeepalivesInterval;
			}

			public void setTcpKeepalivesInterval(Duration tcpKeepalivesInterval) {
				this.tcpKeepalivesInterval = tcpKeepalivesInterval;
			}

			public int getTcpKeepalivesCount() {
				return this.tcpKeepalivesCount;
			}

			public void setTcpKeepalivesCount(int tcpKeepalivesCount) {
				this.tcpKeepalivesCount = tcpKeepalivesCount;
			}

			public Duration getSocketTimeout() {
				return this.socketTimeout;
			}

			public void setSocketTimeout(Duration socketTimeout) {
				this.socketTimeout = socketTimeout;
			}

			public Duration getConnectTimeout() {
				return this.connectTimeout;
			}

			public void setConnectTimeout(Duration connectTimeout) {
				this.connectTimeout = connectTimeout;
			}

			public Duration getHeartbeatInterval() {
				return this.heartbeatInterval;
			}

			public void setHeartbeatInterval(Duration heartbeatInterval) {
				this.heartbeatInterval = heartbeatInterval;
			}

		}

	}

	/** Consumer error handling. */
	public static class Consumer {

		/** Appended to a consumed topic's name to name its dead-letter topic. */
		private String deadLetterSuffix = DeadLetters.DEFAULT_SUFFIX;

		/**
		 * Attempts at a record whose handler fails deterministically before it goes to
		 * the dead-letter topic. Outages are retried without limit.
		 */
		private int attempts = 5;

		/** First wait between attempts; doubled each time. */
		private Duration initialInterval = Duration.ofMillis(200);

		/** Longest wait between attempts, and between retries during an outage. */
		private Duration maxInterval = Duration.ofSeconds(10);

		/** A record handled or retried for longer than this is logged at WARN. */
		private Duration stuckWarning = Duration.ofMinutes(1);

		/** A record handled or retried for longer than this makes the health DOWN. */
		private Duration stuckDown = Duration.ofMinutes(5);

		public String getDeadLetterSuffix() {
			return this.deadLetterSuffix;
		}

		public void setDeadLetterSuffix(String deadLetterSuffix) {
			this.deadLetterSuffix = deadLetterSuffix;
		}

		public int getAttempts() {
			return this.attempts;
		}

		public void setAttempts(int attempts) {
			this.attempts = attempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public Duration getStuckWarning() {
			return this.stuckWarning;
		}

		public void setStuckWarning(Duration stuckWarning) {
			this.stuckWarning = stuckWarning;
		}

		public Duration getStuckDown() {
			return this.stuckDown;
		}

		public void setStuckDown(Duration stuckDown) {
			this.stuckDown = stuckDown;
		}

	}

	/** The inbox of idempotent consumers. */
	public static class Inbox {

		/**
		 * How long an inbox row is kept after its event was handled; a redelivery older
		 * than this is no longer recognized as a duplicate.
		 */
		private Duration retention = Duration.ofDays(30);

		/**
		 * Whether this instance deletes expired inbox rows (only one per database deletes
		 * at a time either way).
		 */
		private boolean retentionEnabled = true;

		/** Rows deleted per transaction. */
		private int retentionBatchSize = 10_000;

		/** The wait between two runs of the retention job. */
		private Duration retentionInterval = Duration.ofHours(1);

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public boolean isRetentionEnabled() {
			return this.retentionEnabled;
		}

		public void setRetentionEnabled(boolean retentionEnabled) {
			this.retentionEnabled = retentionEnabled;
		}

		public int getRetentionBatchSize() {
			return this.retentionBatchSize;
		}

		public void setRetentionBatchSize(int retentionBatchSize) {
			this.retentionBatchSize = retentionBatchSize;
		}

		public Duration getRetentionInterval() {
			return this.retentionInterval;
		}

		public void setRetentionInterval(Duration retentionInterval) {
			this.retentionInterval = retentionInterval;
		}

	}

	/**
	 * The committed-offset lag of the service's consumer groups and the records of its
	 * dead-letter topics, measured with the Kafka Admin client.
	 */
	public static class Lag {

		/** Whether this instance measures the lag. */
		private boolean enabled = true;

		/** The wait between two measurements. */
		private Duration interval = Duration.ofSeconds(5);

		/**
		 * The longest a measurement waits for each call to Kafka, and for the oldest
		 * records not yet committed.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
