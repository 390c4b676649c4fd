package dev.subscriptions.eventing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The Kafka clients that eventing builds itself (not through Boot's factories) take the
 * service's SASL and TLS settings from {@code spring.kafka.*}, an SSL bundle included, as
 * Boot's own clients do.
 */
class KafkaClientSettingsTests {

	private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
			+ " username=\"svc\" password=\"s3cret\";";

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, KafkaAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=kafka-1:9093,kafka-2:9093");

	@Test
	void givesEveryOwnClientTheSaslSettingsAndTheSslBundle() {
		this.contexts
			.withPropertyValues("spring.kafka.security.protocol=SASL_SSL",
					"spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
					"spring.kafka.properties.sasl.jaas.config=" + JAAS, "spring.kafka.ssl.bundle=kafka",
					"spring.ssl.bundle.pem.kafka.truststore.certificate=classpath:kafka-ssl/ca.crt")
			.run(context -> {
				SslBundle bundle = context.getBean(SslBundles.class).getBundle("kafka");
				ownClients(context).forEach((client, properties) -> assertThat(properties).as(client)
					.containsEntry("bootstrap.servers", List.of("kafka-1:9093", "kafka-2:9093"))
					.containsEntry("security.protocol", "SASL_SSL")
					.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
					.containsEntry("sasl.jaas.config", JAAS)
					.containsEntry("ssl.engine.factory.class", SslBundleSslEngineFactory.class)
					.containsEntry(SslBundle.class.getName(), bundle));
			});
	}

	@Test
	void givesEveryOwnClientATrustStoreOfTheSslProperties() {
		this.contexts
			.withPropertyValues("spring.kafka.security.protocol=SSL",
					"spring.kafka.ssl.trust-store-location=file:/etc/kafka/ca.p12",
					"spring.kafka.ssl.trust-store-password=changeit", "spring.kafka.ssl.trust-store-type=PKCS12")
			.run(context -> ownClients(context).forEach((client, properties) -> assertThat(properties).as(client)
				.containsEntry("security.protocol", "SSL")
				.containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
				.containsEntry("ssl.truststore.password", "changeit")
				.containsEntry("ssl.truststore.type", "PKCS12")
				.doesNotContainKey("ssl.engine.factory.class")));
	}

	@Test
	void takesTheSaslAndTrustStoreSettingsOfEnvironmentVariables() {
		this.contexts
			.withInitializer(context -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM",
								"SCRAM-SHA-512", "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
								"SPRING_KAFKA_SSL_TRUSTSTORELOCATION", "file:/etc/kafka/ca.p12",
								"SPRING_KAFKA_SSL_TRUSTSTOREPASSWORD", "changeit", "SPRING_KAFKA_SSL_TRUSTSTORETYPE",
								"PKCS12"))))
			.run(context -> ownClients(context).forEach((client, properties) -> assertThat(properties).as(client)
				.containsEntry("security.protocol", "SASL_SSL")
				.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
				.containsEntry("sasl.jaas.config", JAAS)
				.containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
				.containsEntry("ssl.truststore.password", "changeit")
				.containsEntry("ssl.truststore.type", "PKCS12")));
	}

	@Test
	void leavesAPlaintextClusterPlaintext() {
		this.contexts
			.run(context -> ownClients(context).forEach((client, properties) -> assertThat(properties).as(client)
				.containsEntry("bootstrap.servers", List.of("kafka-1:9093", "kafka-2:9093"))
				.doesNotContainKeys("security.protocol", "sasl.jaas.config", "ssl.engine.factory.class")));
	}

	@Test
	void givesTheProducersTheProducersOwnBootstrapServers() {
		this.contexts.withPropertyValues("spring.kafka.producer.bootstrap-servers=producers:9093")
			.run(context -> assertThat(ownClients(context))
				.hasEntrySatisfying("relay producer",
						properties -> assertThat(properties).containsEntry("bootstrap.servers",
								List.of("producers:9093")))
				.hasEntrySatisfying("dead-letter producer",
						properties -> assertThat(properties).containsEntry("bootstrap.servers",
								List.of("producers:9093")))
				.hasEntrySatisfying("relay admin", properties -> assertThat(properties)
					.containsEntry("bootstrap.servers", List.of("kafka-1:9093", "kafka-2:9093"))));
	}

	/** The settings of each client eventing builds, by name. */
	private static Map<String, Map<String, Object>> ownClients(ApplicationContext context) {
		KafkaProperties kafka = context.getBean(KafkaProperties.class);
		KafkaConnectionDetails connection = context.getBean(KafkaConnectionDetails.class);
		return Map.of("relay producer", EventingAutoConfiguration.relayProducerProperties(kafka, connection),
				"relay admin", EventingAutoConfiguration.relayAdminProperties(kafka, connection),
				"dead-letter producer", EventingAutoConfiguration.deadLetterProducerProperties(kafka, connection),
				"lag admin", EventingAutoConfiguration.lagAdminProperties(kafka, connection, 1000), "lag consumer",
				EventingAutoConfiguration.lagConsumerProperties(kafka, connection, 1000));
	}

}
