package dev.subscriptions.eventing.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingAutoConfiguration;
import dev.subscriptions.eventing.EventingProperties;

/**
 * Relays built as the auto-configuration builds them (same producer settings, same leader
 * connection), with the settings and producers a test needs; stopped after each test.
 */
final class TestRelays {

	private final JdbcTemplate jdbc;

	private final PlatformTransactionManager transactionManager;

	private final KafkaProperties kafkaProperties;

	private final DataSourceProperties dataSourceProperties;

	private final OutboxSignal signal;

	private final List<OutboxRelay> relays = new ArrayList<>();

	TestRelays(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, KafkaProperties kafkaProperties,
			DataSourceProperties dataSourceProperties, OutboxSignal signal) {
		this.jdbc = jdbc;
		this.transactionManager = transactionManager;
		this.kafkaProperties = kafkaProperties;
		this.dataSourceProperties = dataSourceProperties;
		this.signal = signal;
	}

	/** A relay polling every 200 ms, backing off 100 ms to 1 s. */
	Builder relay(OutboxMetrics metrics) {
		return new Builder(metrics);
	}

	void stopAll() {
		this.relays.forEach(OutboxRelay::stop);
		this.relays.clear();
	}

	final class Builder {

		private final OutboxMetrics metrics;

		private final Map<String, Object> producerOverrides = new HashMap<>();

		private final EventingProperties.Relay settings = new EventingProperties().getRelay();

		private UnaryOperator<Supplier<Producer<String, byte[]>>> producers = UnaryOperator.identity();

		private Builder(OutboxMetrics metrics) {
			this.metrics = metrics;
			this.settings.setPollInterval(java.time.Duration.ofMillis(200));
			this.settings.setInitialBackOff(java.time.Duration.ofMillis(100));
			this.settings.setMaxBackOff(java.time.Duration.ofSeconds(1));
		}

		Builder producer(Map<String, Object> overrides) {
			this.producerOverrides.putAll(overrides);
			return this;
		}

		/** Wraps the producer supplier, e.g. to inject failures. */
		Builder producers(UnaryOperator<Supplier<Producer<String, byte[]>>> producers) {
			this.producers = producers;
			return this;
		}

		Builder settings(Consumer<EventingProperties.Relay> settings) {
			settings.accept(this.settings);
			return this;
		}

		OutboxRelay build() {
			Map<String, Object> properties = new HashMap<>(
					EventingAutoConfiguration.relayProducerProperties(TestRelays.this.kafkaProperties));
			properties.putAll(this.producerOverrides);
			Map<String, Object> admin = TestRelays.this.kafkaProperties.buildAdminProperties();
			EventingProperties.Relay.Leadership leadership = this.settings.getLeadership();
			DataSourceProperties dataSource = TestRelays.this.dataSourceProperties;
			OutboxRelay relay = new OutboxRelay(TestRelays.this.jdbc,
					this.producers.apply(
							() -> new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())),
					() -> Admin.create(admin),
					LeaderConnections.to(
							dataSource.determineUrl(), dataSource.determineUsername(), dataSource.determinePassword(),
							leadership.getSocketTimeout(), leadership.getConnectTimeout()),
					TestRelays.this.signal, this.metrics,
					new ParkedOutbox(TestRelays.this.jdbc, new TransactionTemplate(TestRelays.this.transactionManager),
							TestRelays.this.signal, this.metrics),
					EventingAutoConfiguration.relaySettings(this.settings));
			TestRelays.this.relays.add(relay);
			return relay;
		}

		OutboxRelay start() {
			OutboxRelay relay = build();
			relay.start();
			return relay;
		}

	}

}
