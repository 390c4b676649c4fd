package dev.subscriptions.infrastructure;

import java.nio.file.Path;

/**
 * Runs one {@link EmbeddedKafka} broker as a process of its own, so that it can be
 * stopped (SIGTERM: a controlled shutdown), killed (SIGKILL) and started again on the
 * same ports and log directory like a real broker.
 * <p>
 * Arguments: client port, controller port, log directory. Prints {@value #READY} and the
 * bootstrap servers once the broker answers. Exits with 1 when the broker does not start:
 * a failed {@code KafkaRaftServer.startup()} leaves controller threads running that would
 * otherwise keep the JVM alive, and its parent waiting.
 */
public final class KafkaBrokerMain {

	static final String READY = "KAFKA BROKER READY";

	private KafkaBrokerMain() {
	}

	public static void main(String[] args) {
		if (args.length != 3) {
			System.err.println("Usage: KafkaBrokerMain <port> <controller port> <log directory>");
			System.exit(2);
		}
		EmbeddedKafka kafka;
		try {
			kafka = EmbeddedKafka.start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
		}
		catch (RuntimeException ex) {
			System.err.println("The Kafka broker did not start");
			ex.printStackTrace();
			System.exit(1);
			return;
		}
		Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-shutdown"));
		System.out.println(READY + " " + kafka.bootstrapServers());
	}

}
