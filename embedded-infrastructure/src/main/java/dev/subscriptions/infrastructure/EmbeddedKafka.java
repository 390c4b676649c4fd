package dev.subscriptions.infrastructure;

import java.util.Map;

import kafka.server.BrokerServer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Apache Kafka broker in KRaft mode, running inside this JVM.
 * <p>
 * The broker can be stopped and started again on the same port with its data intact, which is how tests produce a
 * Kafka outage.
 */
public final class EmbeddedKafka implements AutoCloseable {

	private final EmbeddedKafkaKraftBroker broker;

	private EmbeddedKafka(EmbeddedKafkaKraftBroker broker) {
		this.broker = broker;
	}

	/**
	 * Starts a single broker.
	 * @param port the client port, or 0 for a free one (kept when the broker restarts)
	 * @param logDirectory where the broker keeps its log, or {@code null} for a temporary directory
	 */
	public static EmbeddedKafka start(int port, String logDirectory) {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.kafkaPorts((port > 0) ? port : Ports.free());
		broker.brokerProperties(Map.of("auto.create.topics.enable", "false", "num.partitions", "3",
				"group.initial.rebalance.delay.ms", "0", "transaction.state.log.replication.factor", "1",
				"transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1"));
		if (logDirectory != null) {
			broker.brokerProperty("log.dir", logDirectory);
		}
		broker.afterPropertiesSet();
		return new EmbeddedKafka(broker);
	}

	/** The {@code bootstrap.servers} value for clients. */
	public String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	/** Shuts the broker down, keeping its data and port, until {@link #resume()}: a Kafka outage. */
	public void interrupt() {
		for (BrokerServer server : this.broker.getCluster().brokers().values()) {
			server.shutdown();
			server.awaitShutdown();
		}
	}

	/** Starts the broker again after {@link #interrupt()}. */
	public void resume() {
		for (BrokerServer server : this.broker.getCluster().brokers().values()) {
			server.startup();
		}
	}

	@Override
	public void close() {
		this.broker.destroy();
	}

}
