package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client settings of {@code tail} and {@code replay}: a {@code --command-config} file
 * as Kafka's own command line tools take it, and the bootstrap option.
 */
class TopicTailTests {

	@TempDir
	Path directory;

	@Test
	void takesTheSecuritySettingsOfACommandConfigFile() throws IOException {
		Path file = Files.writeString(this.directory.resolve("client.properties"), """
				security.protocol=SASL_SSL
				sasl.mechanism=SCRAM-SHA-512
				sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
				    username="operator" password="s3cret";
				ssl.truststore.location=/etc/kafka/ca.p12
				basic.auth.user.info=reader:s3cret
				""");

		assertThat(TopicTail.clientProperties(
				new String[] { "tail", "customer-events", "--command-config", file.toString() }, "--bootstrap"))
			.containsEntry("bootstrap.servers", "localhost:9092")
			.containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
			.containsEntry("sasl.jaas.config",
					"org.apache.kafka.common.security.scram.ScramLoginModule required username=\"operator\""
							+ " password=\"s3cret\";")
			.containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
			.containsEntry("basic.auth.user.info", "reader:s3cret");
	}

	@Test
	void prefersTheBootstrapOptionToTheBootstrapServersOfTheFile() throws IOException {
		Path file = Files.writeString(this.directory.resolve("client.properties"), "bootstrap.servers=kafka-1:9093\n");

		assertThat(TopicTail.clientProperties(new String[] { "replay", "t.DLT", "--command-config", file.toString() },
				"--bootstrap-servers"))
			.containsEntry("bootstrap.servers", "kafka-1:9093");
		assertThat(TopicTail.clientProperties(new String[] { "replay", "t.DLT", "--command-config", file.toString(),
				"--bootstrap-servers", "kafka-2:9093" }, "--bootstrap-servers"))
			.containsEntry("bootstrap.servers", "kafka-2:9093");
	}

	@Test
	void connectsToTheLocalBrokerWithoutSettings() {
		assertThat(TopicTail.clientProperties(new String[] { "tail", "customer-events" }, "--bootstrap"))
			.containsOnlyKeys("bootstrap.servers")
			.containsEntry("bootstrap.servers", "localhost:9092");
	}

	@Test
	void refusesACommandConfigFileThatCannotBeRead() {
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> TopicTail.clientProperties(new String[] { "tail", "customer-events", "--command-config",
					this.directory.resolve("missing.properties").toString() }, "--bootstrap"))
			.withMessageContaining("missing.properties");
	}

}
