package dev.subscriptions.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;

/**
 * The consumer settings a service gets from eventing, and those it keeps.
 */
class EventingDefaultsTests {

	@Test
	void suppliesTheAvroConsumerOfAServiceThatSetsOnlyItsGroup() {
		Map<String, Object> consumer = consumerProperties(Map.of("spring.kafka.consumer.group-id", "some-service",
				"eventing.schema-registry.url", "http://registry:8080/apis/ccompat/v7"));

		assertThat(consumer).containsEntry("group.id", "some-service")
			.containsEntry("auto.offset.reset", "earliest")
			.containsEntry("key.deserializer", StringDeserializer.class)
			.containsEntry("value.deserializer", ErrorHandlingDeserializer.class)
			.containsEntry("spring.deserializer.value.delegate.class", ConfluentAvroDeserializer.class.getName())
			.containsEntry("schema.registry.url", "http://registry:8080/apis/ccompat/v7")
			.containsEntry("specific.avro.reader", "true")
			.containsEntry("basic.auth.user.info", "")
			.containsEntry("bearer.auth.token", "");
	}

	@Test
	void passesTheRegistryCredentialsAndTimeoutsOnToTheConsumer() {
		Map<String, Object> consumer = consumerProperties(Map.of("eventing.schema-registry.user-info", "user:secret",
				"eventing.schema-registry.connect-timeout", "3s", "eventing.schema-registry.read-timeout", "7s"));

		assertThat(consumer).containsEntry("basic.auth.user.info", "user:secret")
			.containsEntry("http.connect.timeout.ms", "3s")
			.containsEntry("http.read.timeout.ms", "7s");
	}

	@Test
	void keepsWhatAServiceSetsItselfKeyByKey() {
		Map<String, Object> consumer = consumerProperties(
				Map.of("spring.kafka.consumer.auto-offset-reset", "latest", "spring.kafka.consumer.value-deserializer",
						StringDeserializer.class.getName(), "spring.kafka.consumer.properties.schema.registry.url",
						"http://own-registry", "spring.kafka.consumer.properties[specific.avro.reader]", "false"));

		assertThat(consumer).containsEntry("auto.offset.reset", "latest")
			.containsEntry("value.deserializer", StringDeserializer.class)
			.containsEntry("schema.registry.url", "http://own-registry")
			.containsEntry("specific.avro.reader", "false")
			.containsEntry("spring.deserializer.value.delegate.class", ConfluentAvroDeserializer.class.getName());
	}

	@Test
	void defaultsTheRegistryToTheLocalOneWhereNeitherTheServiceNorTheEnvironmentNamesOne() {
		StandardEnvironment environment = environment(Map.of());

		assertThat(environment.getProperty("eventing.schema-registry.url")).isEqualTo(
				System.getenv().getOrDefault("SCHEMA_REGISTRY_URL", EventingProperties.SchemaRegistry.DEFAULT_URL));
		assertThat(environment.getProperty("eventing.schema-registry.auto-register", Boolean.class)).isTrue();
	}

	@Test
	void exposesTheOperatorsEndpointsUnlessTheServiceListsItsOwn() {
		assertThat(environment(Map.of()).getProperty("management.endpoints.web.exposure.include"))
			.isEqualTo("health,info,metrics,prometheus,outbox,kafkalag");
		assertThat(environment(Map.of("management.endpoints.web.exposure.include", "health"))
			.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health");
	}

	@Test
	void retriesListenersWhoseCredentialsWereRefusedUnlessTheServiceSaysOtherwise() {
		assertThat(kafkaProperties(Map.of()).getListener().getAuthExceptionRetryInterval())
			.isEqualTo(Duration.ofSeconds(10));
		assertThat(kafkaProperties(Map.of("spring.kafka.listener.auth-exception-retry-interval", "1m")).getListener()
			.getAuthExceptionRetryInterval()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void takesTheRegistryCredentialsFromTheEnvironmentForTheClientAndTheConsumer() {
		StandardEnvironment basic = environmentWithVariables(Map.of("SCHEMA_REGISTRY_USER_INFO", "reader:s3cret"));
		StandardEnvironment bearer = environmentWithVariables(Map.of("SCHEMA_REGISTRY_BEARER_TOKEN", "t0ken"));

		assertThat(registry(basic).clientSettings().userInfo()).isEqualTo("reader:s3cret");
		assertThat(consumerProperties(basic)).containsEntry("basic.auth.user.info", "reader:s3cret");
		assertThat(registry(bearer).clientSettings().bearerToken()).isEqualTo("t0ken");
		assertThat(consumerProperties(bearer)).containsEntry("bearer.auth.token", "t0ken");
	}

	@Test
	void writesTheSaslSettingsOfEveryKafkaClientFromTheEnvironment() {
		KafkaProperties kafka = kafkaProperties(environmentWithVariables(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
				"KAFKA_SASL_USERNAME", "svc", "KAFKA_SASL_PASSWORD", "p\"w\\d")));

		for (Map<String, Object> client : List.of(kafka.buildProducerProperties(), kafka.buildConsumerProperties(),
				kafka.buildAdminProperties())) {
			assertThat(client).containsEntry("security.protocol", "SASL_SSL")
				.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
				.containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
						+ " username=\"svc\" password=\"p\\\"w\\\\d\";");
		}
	}

	@Test
	void takesTheSaslMechanismOfTheEnvironment() {
		KafkaProperties kafka = kafkaProperties(
				environmentWithVariables(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM",
						"PLAIN", "KAFKA_SASL_USERNAME", "svc", "KAFKA_SASL_PASSWORD", "pw")));

		assertThat(kafka.buildProducerProperties()).containsEntry("sasl.mechanism", "PLAIN")
			.containsEntry("sasl.jaas.config",
					"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\" password=\"pw\";")
			.containsEntry("security.protocol", "SASL_PLAINTEXT");
	}

	@Test
	void refusesSaslCredentialsWithoutASecurityProtocol() {
		assertThatIllegalStateException()
			.isThrownBy(
					() -> environmentWithVariables(Map.of("KAFKA_SASL_USERNAME", "svc", "KAFKA_SASL_PASSWORD", "pw")))
			.withMessageContaining("KAFKA_SECURITY_PROTOCOL");
	}

	@Test
	void leavesKafkaPlaintextWithoutSaslVariables() {
		assertThat(kafkaProperties(environmentWithVariables(Map.of("KAFKA_SASL_USERNAME", " "))).buildAdminProperties())
			.doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
	}

	@Test
	void keepsTheSaslSettingsOfTheServiceOverThoseOfTheVariables() {
		StandardEnvironment environment = environmentWithVariables(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
				"KAFKA_SASL_USERNAME", "svc", "KAFKA_SASL_PASSWORD", "pw"));
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application.yml", Map.of("spring.kafka.properties.sasl.jaas.config", "own",
					"spring.kafka.security.protocol", "SSL")));

		assertThat(kafkaProperties(environment).buildConsumerProperties()).containsEntry("sasl.jaas.config", "own")
			.containsEntry("security.protocol", "SSL")
			.containsEntry("sasl.mechanism", "SCRAM-SHA-512");
	}

	private static KafkaProperties kafkaProperties(StandardEnvironment environment) {
		return Binder.get(environment).bind("spring.kafka", Bindable.of(KafkaProperties.class)).get();
	}

	private static EventingProperties.SchemaRegistry registry(StandardEnvironment environment) {
		return Binder.get(environment)
			.bind("eventing", Bindable.of(EventingProperties.class))
			.get()
			.getSchemaRegistry();
	}

	/**
	 * An environment as Spring Boot prepares it for a service without settings of its
	 * own, with these environment variables.
	 */
	private static StandardEnvironment environmentWithVariables(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		new EventingDefaults().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	private static Map<String, Object> consumerProperties(StandardEnvironment environment) {
		return Binder.get(environment)
			.bind("spring.kafka", Bindable.of(KafkaProperties.class))
			.get()
			.buildConsumerProperties();
	}

	private static KafkaProperties kafkaProperties(Map<String, Object> serviceSettings) {
		return Binder.get(environment(serviceSettings)).bind("spring.kafka", Bindable.of(KafkaProperties.class)).get();
	}

	private static Map<String, Object> consumerProperties(Map<String, Object> serviceSettings) {
		return Binder.get(environment(serviceSettings))
			.bind("spring.kafka", Bindable.of(KafkaProperties.class))
			.get()
			.buildConsumerProperties();
	}

	/**
	 * An environment as Spring Boot prepares it: the service's settings, then eventing's
	 * defaults.
	 */
	private static StandardEnvironment environment(Map<String, Object> serviceSettings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(new MapPropertySource("application.yml", serviceSettings));
		new EventingDefaults().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
