package dev.subscriptions.eventing;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

import dev.subscriptions.eventing.consumer.BatchHandling;
import dev.subscriptions.eventing.consumer.DeadLetters;
import dev.subscriptions.eventing.consumer.EventingBatchListeners;
import dev.subscriptions.eventing.consumer.InFlightBatchInterceptor;
import dev.subscriptions.eventing.consumer.InFlightRecordInterceptor;
import dev.subscriptions.eventing.consumer.InFlightRecords;
import dev.subscriptions.eventing.consumer.InFlightRecordsHealthIndicator;
import dev.subscriptions.eventing.consumer.ListenerCoverage;
import dev.subscriptions.eventing.consumer.SentDeadLetters;
import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.inbox.InboxRetention;
import dev.subscriptions.eventing.lag.CommitTimestamps;
import dev.subscriptions.eventing.lag.ConsumerGroupLag;
import dev.subscriptions.eventing.lag.KafkaLagEndpoint;
import dev.subscriptions.eventing.migration.EventingMigrations;
import dev.subscriptions.eventing.outbox.LeaderConnections;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.eventing.outbox.OutboxEndpoint;
import dev.subscriptions.eventing.outbox.OutboxMetrics;
import dev.subscriptions.eventing.outbox.OutboxRelay;
import dev.subscriptions.eventing.outbox.OutboxRelayHealthIndicator;
import dev.subscriptions.eventing.outbox.OutboxSignal;
import dev.subscriptions.eventing.outbox.ParkedOutbox;
import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.eventing.registration.SchemaRegistration;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.eventing.serde.WireFormat;

/**
 * Outbox, relay, inbox, schema registration and consumer error handling for a Spring Boot
 * service with a {@code DataSource} and Kafka. The eventing tables are migrated before
 * the service's own schema, with a Flyway history of their own
 * ({@link EventingMigrations}).
 * <p>
 * The Kafka clients it builds itself (the relay's producer and admin, the dead-letter
 * producer, the lag monitor's admin and consumer) get their settings as Boot's own
 * factories do: {@code spring.kafka.*} ({@code security.protocol}, {@code ssl.*},
 * {@code properties.sasl.*}), with the {@link KafkaConnectionDetails} on top (bootstrap
 * servers, security protocol and the SSL bundle of {@code spring.kafka.ssl.bundle}, which
 * {@code KafkaProperties} alone leaves out).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration")
@EnableConfigurationProperties(EventingProperties.class)
public class EventingAutoConfiguration {

	@Bean
	SchemaRegistryClient schemaRegistryClient(EventingProperties properties) {
		EventingProperties.SchemaRegistry registry = properties.getSchemaRegistry();
		return SchemaRegistryClient.forUrl(registry.getUrl(), registry.clientSettings());
	}

	/**
	 * The outbox's serializer. Configured with the registry client's own settings, so
	 * that (being the same client) it finds the ids that {@link SchemaRegistration}
	 * cached at start-up; with {@code registered-only} it makes no other registry call.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "eventSerializer")
	Serializer<Object> eventSerializer(EventingProperties properties) throws ClassNotFoundException {
		@SuppressWarnings("unchecked")
		Serializer<Object> serializer = (Serializer<Object>) BeanUtils.instantiateClass(
				ClassUtils.forName(properties.getSerializer().getClassName(), getClass().getClassLoader()));
		Map<String, Object> configs = new HashMap<>();
		configs.put(WireFormat.SCHEMA_REGISTRY_URL, properties.getSchemaRegistry().getUrl());
		configs.putAll(properties.getSchemaRegistry().clientSettings().toConfigs());
		configs.put(WireFormat.AUTO_REGISTER_SCHEMAS,
				Boolean.toString(properties.getSchemaRegistry().isAutoRegister()));
		configs.put(WireFormat.VALUE_SUBJECT_NAME_STRATEGY, WireFormat.TOPIC_RECORD_NAME_STRATEGY);
		configs.put(WireFormat.REGISTERED_ONLY, Boolean.toString(properties.getSerializer().isRegisteredOnly()));
		configs.putAll(properties.getSerializer().getProperties());
		serializer.configure(configs, false);
		return serializer;
	}

	@Bean
	SchemaRegistration schemaRegistration(SchemaRegistryClient registry, List<EventSchemas> published,
			EventingProperties properties) {
		EventingProperties.SchemaRegistry settings = properties.getSchemaRegistry();
		return new SchemaRegistration(registry, published, settings.isAutoRegister(), settings.getCompatibility(),
				settings.getStartupTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(FlywayMigrationStrategy.class)
	EventingMigrations eventingMigrations() {
		return new EventingMigrations();
	}

	@Bean
	OutboxSignal outboxSignal() {
		return new OutboxSignal();
	}

	@Bean
	Outbox outbox(JdbcTemplate jdbc, Serializer<Object> eventSerializer, OutboxSignal signal) {
		return new Outbox(jdbc, eventSerializer, signal);
	}

	@Bean
	Inbox inbox(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meterRegistry) {
		return new Inbox(jdbc, meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	OutboxMetrics outboxMetrics(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meterRegistry) {
		return new OutboxMetrics(jdbc, meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	ParkedOutbox parkedOutbox(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, OutboxSignal signal,
			OutboxMetrics metrics) {
		return new ParkedOutbox(jdbc, new TransactionTemplate(transactionManager), signal, metrics);
	}

	@Bean
	@ConditionalOnProperty(name = "eventing.relay.enabled", matchIfMissing = true)
	OutboxRelay outboxRelay(JdbcTemplate jdbc, DataSourceProperties dataSourceProperties,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connection, OutboxSignal signal,
			OutboxMetrics metrics, ParkedOutbox parked, EventingProperties properties) {
		Map<String, Object> producerProperties = relayProducerProperties(kafkaProperties, connection);
		Map<String, Object> adminProperties = relayAdminProperties(kafkaProperties, connection);
		EventingProperties.Relay.Leadership leadership = properties.getRelay().getLeadership();
		LeaderConnections leaderConnections = LeaderConnections.to(dataSourceProperties.determineUrl(),
				dataSourceProperties.determineUsername(), dataSourceProperties.determinePassword(),
				leadership.getSocketTimeout(), leadership.getConnectTimeout());
		return new OutboxRelay(jdbc,
				() -> new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer()),
				() -> Admin.create(adminProperties), leaderConnections, signal, metrics, parked,
				relaySettings(properties.getRelay()));
	}

	@Bean
	@ConditionalOnProperty(name = "eventing.relay.enabled", matchIfMissing = true)
	OutboxRelayHealthIndicator outboxRelayHealthIndicator(OutboxRelay outboxRelay) {
		return new OutboxRelayHealthIndicator(outboxRelay);
	}

	/**
	 * Dead letters keep the bytes they were read with. Only records decoded by a
	 * deserializer other than {@code ConfluentAvroDeserializer} are encoded again, with a
	 * schema looked up (not registered) under the subject of the topic they came from.
	 */
	@Bean
	@ConditionalOnMissingBean(CommonErrorHandler.class)
	DefaultErrorHandler deadLetteringErrorHandler(KafkaProperties kafkaProperties, KafkaConnectionDetails connection,
			SchemaRegistryClient registry, InFlightRecords inFlightRecords, SentDeadLetters sentDeadLetters,
			EventingProperties properties) {
		Map<String, Object> producerProperties = deadLetterProducerProperties(kafkaProperties, connection);
		EventingProperties.Consumer consumer = properties.getConsumer();
		KafkaTemplate<String, Object> template = new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(producerProperties, new StringSerializer(), DeadLetters
					.valueSerializer(new ConfluentAvroSerializer(registry, false), consumer.getDeadLetterSuffix())));
		return DeadLetters.errorHandler(template, consumer.getDeadLetterSuffix(), consumer.getAttempts(),
				consumer.getInitialInterval(), consumer.getMaxInterval(), inFlightRecords, sentDeadLetters);
	}

	@Bean
	SentDeadLetters sentDeadLetters(ObjectProvider<MeterRegistry> meterRegistry) {
		return new SentDeadLetters(meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
	}

	/** Every listener container commits with the time of the commit in its metadata. */
	@Bean
	static CommitTimestamps commitTimestamps() {
		return new CommitTimestamps(Clock.systemUTC());
	}

	/**
	 * The committed-offset lag of the listener containers' consumer groups. Its Admin
	 * client and its consumer (of no group) have the consumers' connection settings.
	 */
	@Bean
	@ConditionalOnProperty(name = "eventing.lag.enabled", matchIfMissing = true)
	ConsumerGroupLag consumerGroupLag(KafkaProperties kafkaProperties, KafkaConnectionDetails connection,
			ObjectProvider<KafkaListenerEndpointRegistry> listeners, ObjectProvider<NewTopic> topics,
			SentDeadLetters sentDeadLetters, ObjectProvider<MeterRegistry> meterRegistry,
			EventingProperties properties) {
		EventingProperties.Lag lag = properties.getLag();
		int timeout = (int) lag.getTimeout().toMillis();
		Map<String, Object> adminProperties = lagAdminProperties(kafkaProperties, connection, timeout);
		Map<String, Object> consumerProperties = lagConsumerProperties(kafkaProperties, connection, timeout);
		return new ConsumerGroupLag(() -> Admin.create(adminProperties),
				() -> new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				() -> {
					KafkaListenerEndpointRegistry registry = listeners.getIfAvailable();
					return (registry != null) ? ConsumerGroupLag.subscriptionsOf(registry.getAllListenerContainers())
							: List.of();
				}, () -> {
					Set<String> declared = new TreeSet<>();
					topics.forEach(topic -> declared.add(topic.name()));
					return declared;
				}, sentDeadLetters, meterRegistry.getIfAvailable(SimpleMeterRegistry::new), Clock.systemUTC(),
				new ConsumerGroupLag.Settings(lag.getInterval(), lag.getTimeout(),
						properties.getConsumer().getDeadLetterSuffix()));
	}

	/** The lag monitor's Admin client: the admin's connection settings. */
	static Map<String, Object> lagAdminProperties(KafkaProperties kafkaProperties, KafkaConnectionDetails connection,
			int timeout) {
		Map<String, Object> properties = connected(kafkaProperties.buildAdminProperties(), connection.getAdmin());
		properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "consumergroup-lag-admin");
		properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
		properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
		return properties;
	}

	/**
	 * The consumer that reads the timestamps of the oldest records not yet committed: the
	 * consumers' connection settings, no group, no commits, only committed records, a
	 * little at a time.
	 */
	static Map<String, Object> lagConsumerProperties(KafkaProperties kafkaProperties, KafkaConnectionDetails connection,
			int timeout) {
		Map<String, Object> properties = connected(kafkaProperties.buildConsumerProperties(), connection.getConsumer());
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		properties.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		properties.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "consumergroup-lag");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
		properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
		properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
		properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
		properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
		return properties;
	}

	@Bean
	InFlightRecords inFlightRecords(ObjectProvider<MeterRegistry> meterRegistry, EventingProperties properties) {
		return new InFlightRecords(meterRegistry.getIfAvailable(SimpleMeterRegistry::new),
				properties.getConsumer().getStuckWarning(), properties.getConsumer().getStuckDown());
	}

	@Bean
	@ConditionalOnMissingBean(RecordInterceptor.class)
	InFlightRecordInterceptor inFlightRecordInterceptor(InFlightRecords inFlightRecords) {
		return new InFlightRecordInterceptor(inFlightRecords);
	}

	@Bean
	InFlightRecordsHealthIndicator kafkaListenersHealthIndicator(InFlightRecords inFlightRecords) {
		return new InFlightRecordsHealthIndicator(inFlightRecords);
	}

	@Bean
	UnhandledRecords unhandledRecords(ObjectProvider<MeterRegistry> meterRegistry) {
		return new UnhandledRecords(meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	ListenerCoverage listenerCoverage() {
		return new ListenerCoverage();
	}

	@Bean
	@ConditionalOnMissingBean(BatchInterceptor.class)
	InFlightBatchInterceptor inFlightBatchInterceptor(InFlightRecords inFlightRecords) {
		return new InFlightBatchInterceptor(inFlightRecords);
	}

	/**
	 * The container factory of batch listeners ({@link EventingBatchListeners#FACTORY}):
	 * Boot's record factory in every other respect, configured by Boot's own configurer
	 * from {@code spring.kafka.listener.*} (concurrency, ack mode, ...) with Boot's
	 * consumer factory, the same error handler and interceptors.
	 */
	@Bean(EventingBatchListeners.FACTORY)
	@ConditionalOnMissingBean(name = EventingBatchListeners.FACTORY)
	ConcurrentKafkaListenerContainerFactory<Object, Object> eventingBatchFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, KafkaProperties kafkaProperties,
			ObjectProvider<ConsumerFactory<Object, Object>> consumerFactory,
			ObjectProvider<ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>>> customizer) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, consumerFactory
			.getIfAvailable(() -> new DefaultKafkaConsumerFactory<>(kafkaProperties.buildConsumerProperties())));
		customizer.ifAvailable(factory::setContainerCustomizer);
		factory.setBatchListener(true);
		return factory;
	}

	/** Batch listeners' handling: one transaction of the service's database per batch. */
	@Bean
	@ConditionalOnMissingBean
	BatchHandling batchHandling(PlatformTransactionManager transactionManager, Inbox inbox,
			UnhandledRecords unhandledRecords) {
		return new BatchHandling(new TransactionTemplate(transactionManager), inbox, unhandledRecords);
	}

	/** The relay's settings from {@code eventing.relay.*}. */
	public static OutboxRelay.Settings relaySettings(EventingProperties.Relay relay) {
		EventingProperties.Relay.Leadership leadership = relay.getLeadership();
		return new OutboxRelay.Settings(relay.getBatchSize(), relay.getPollInterval(), relay.getInitialBackOff(),
				relay.getMaxBackOff(), relay.getUnknownTopicGrace(), relay.getDrainTimeout(),
				new OutboxRelay.Leadership(leadership.getIdleSessionTimeout(),
						leadership.getIdleInTransactionSessionTimeout(), leadership.getLockTimeout(),
						leadership.getStatementTimeout(), leadership.getTcpKeepalivesIdle(),
						leadership.getTcpKeepalivesInterval(), leadership.getTcpKeepalivesCount(),
						leadership.getSocketTimeout(), leadership.getConnectTimeout(),
						leadership.getHeartbeatInterval()));
	}

	/**
	 * The relay's producer: idempotent, {@code acks=all}, with a bounded delivery time so
	 * that an outage surfaces as a failed batch that the relay retries, rather than a
	 * send blocked forever. One request in flight per connection: with more, a broker
	 * that restarts can accept a later batch of a partition while rejecting an earlier
	 * one (out of order sequence), and a key's later event would reach Kafka before its
	 * earlier one.
	 */
	public static Map<String, Object> relayProducerProperties(KafkaProperties kafkaProperties,
			KafkaConnectionDetails connection) {
		return relayProducer(connected(kafkaProperties.buildProducerProperties(), connection.getProducer()));
	}

	/**
	 * {@link #relayProducerProperties(KafkaProperties, KafkaConnectionDetails)} from
	 * {@code spring.kafka.*} alone, for tools that have no {@code KafkaConnectionDetails}
	 * (no SSL bundle).
	 */
	public static Map<String, Object> relayProducerProperties(KafkaProperties kafkaProperties) {
		return relayProducer(kafkaProperties.buildProducerProperties());
	}

	private static Map<String, Object> relayProducer(Map<String, Object> properties) {
		properties.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
		properties.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
		properties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		properties.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
		properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
		properties.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		properties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
		properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
		properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		return properties;
	}

	/** The relay's Admin client, which checks topics it cannot publish to. */
	static Map<String, Object> relayAdminProperties(KafkaProperties kafkaProperties,
			KafkaConnectionDetails connection) {
		Map<String, Object> properties = connected(kafkaProperties.buildAdminProperties(), connection.getAdmin());
		properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-relay-admin");
		return properties;
	}

	/** The producer of dead letters: the producer's connection settings. */
	static Map<String, Object> deadLetterProducerProperties(KafkaProperties kafkaProperties,
			KafkaConnectionDetails connection) {
		Map<String, Object> properties = connected(kafkaProperties.buildProducerProperties(), connection.getProducer());
		properties.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letters");
		return properties;
	}

	/**
	 * A client's {@code spring.kafka.*} settings with its connection details on top, as
	 * {@code KafkaAutoConfiguration} applies them to Boot's own factories: the bootstrap
	 * servers, the security protocol where one is set, and an SSL bundle through
	 * {@link SslBundleSslEngineFactory}.
	 */
	static Map<String, Object> connected(Map<String, Object> properties,
			KafkaConnectionDetails.Configuration connection) {
		properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getBootstrapServers());
		String securityProtocol = connection.getSecurityProtocol();
		if (securityProtocol != null && !securityProtocol.isEmpty()) {
			properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
		}
		SslBundle sslBundle = connection.getSslBundle();
		if (sslBundle != null) {
			properties.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
			properties.put(SslBundle.class.getName(), sslBundle);
		}
		return properties;
	}

	@Bean
	@ConditionalOnProperty(name = "eventing.inbox.retention-enabled", matchIfMissing = true)
	InboxRetention inboxRetention(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			ObjectProvider<MeterRegistry> meterRegistry, EventingProperties properties) {
		EventingProperties.Inbox inbox = properties.getInbox();
		return new InboxRetention(jdbc, new TransactionTemplate(transactionManager),
				meterRegistry.getIfAvailable(SimpleMeterRegistry::new), new InboxRetention.Settings(
						inbox.getRetention(), inbox.getRetentionBatchSize(), inbox.getRetentionInterval()));
	}

	/**
	 * The operators' endpoints, where the actuator is: parked outbox rows, consumer group
	 * lag.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class OutboxEndpointConfiguration {

		@Bean
		OutboxEndpoint outboxEndpoint(ParkedOutbox parked) {
			return new OutboxEndpoint(parked);
		}

		@Bean
		@ConditionalOnProperty(name = "eventing.lag.enabled", matchIfMissing = true)
		KafkaLagEndpoint kafkaLagEndpoint(ConsumerGroupLag consumerGroupLag) {
			return new KafkaLagEndpoint(consumerGroupLag);
		}

	}

}
