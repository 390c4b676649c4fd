package dev.subscriptions.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The settings of a SCRAM-SHA-512 broker and of its clients.
 */
class KafkaSecurityTests {

	@Test
	void escapesQuotesAndBackslashesInTheJaasEntry() {
		assertThat(KafkaSecurity.jaasConfig("svc", "a\"b\\c"))
			.isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
					+ " password=\"a\\\"b\\\\c\";");
	}

	@Test
	void givesTheBrokerASaslClientListenerAndItsOwnCredentials() {
		KafkaSecurity security = KafkaSecurity.scram("broker", Map.of("broker", "b-secret", "svc", "s-secret"));

		assertThat(security.brokerProperties(9093, 9094))
			.containsEntry("listeners", "SASL_PLAINTEXT://localhost:9093,CONTROLLER://localhost:9094")
			.containsEntry("advertised.listeners", "SASL_PLAINTEXT://localhost:9093")
			.containsEntry("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
			.containsEntry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512")
			.containsEntry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
					KafkaSecurity.jaasConfig("broker", "b-secret"));
		assertThat(security.scramArguments()).containsExactlyInAnyOrder("SCRAM-SHA-512=[name=broker,password=b-secret]",
				"SCRAM-SHA-512=[name=svc,password=s-secret]");
		assertThat(security.brokerClientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
			.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
			.containsEntry("sasl.jaas.config", KafkaSecurity.jaasConfig("broker", "b-secret"));
	}

	@Test
	void refusesABrokerUserWithoutCredentials() {
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaSecurity.scram("broker", Map.of("svc", "s-secret")))
			.withMessageContaining("broker");
	}

	@Test
	void neverPrintsThePasswords() {
		assertThat(KafkaSecurity.scram("broker", Map.of("broker", "b-secret"))).asString().doesNotContain("b-secret");
	}

}
