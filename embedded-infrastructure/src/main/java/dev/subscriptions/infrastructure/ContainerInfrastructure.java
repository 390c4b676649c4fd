package dev.subscriptions.infrastructure;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * The infrastructure of an integration test on containers, where a Docker engine answers:
 * chosen by {@link EmbeddedInfrastructure} when {@code infrastructure=containers} (the
 * Maven profile {@code containers}). PostgreSQL and Kafka are
 * {@code @ServiceConnection}s, the schema registry is Apicurio Registry; each test
 * context has containers of its own, started with the context and stopped with it, so
 * each has an empty database as with the embedded infrastructure.
 * <p>
 * The images are those of {@code docker-compose.yml}, and Kafka has the broker settings
 * it has there (no automatic topic creation: the services create their topics);
 * {@code DockerComposeTests} keeps the two in step.
 * <p>
 * The connection properties are set too, not only the connection details: the outbox
 * relay and the dead-letter producer build their clients from {@code KafkaProperties} and
 * {@code DataSourceProperties}, which connection details do not change.
 */
@Configuration(proxyBeanMethods = false)
class ContainerInfrastructure {

	static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

	static final String POSTGRESQL_IMAGE = "postgres:17";

	@Bean
	@ServiceConnection
	KafkaContainer kafkaContainer() {
		return new KafkaContainer(KAFKA_IMAGE).withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
			.withEnv("KAFKA_NUM_PARTITIONS", "3")
			.withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
	}

	@Bean
	@ServiceConnection
	PostgreSQLContainer postgresqlContainer() {
		return new PostgreSQLContainer(POSTGRESQL_IMAGE).withCommand("postgres", "-c", "max_connections=300");
	}

	@Bean
	ApicurioRegistryContainer schemaRegistryContainer() {
		return new ApicurioRegistryContainer();
	}

	@Bean
	DynamicPropertyRegistrar containerInfrastructureProperties(KafkaContainer kafka, PostgreSQLContainer postgresql,
			ApicurioRegistryContainer schemaRegistry) {
		return registry -> {
			registry.add("spring.datasource.url", postgresql::getJdbcUrl);
			registry.add("spring.datasource.username", postgresql::getUsername);
			registry.add("spring.datasource.password", postgresql::getPassword);
			registry.add("spring.kafka.bootstrap-servers", kafka::getBootstrapServers);
			registry.add("eventing.schema-registry.url", schemaRegistry::confluentApiUrl);
		};
	}

}
