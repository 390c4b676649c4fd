package dev.subscriptions.infrastructure;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * The one place that declares the infrastructure of an integration test: a new PostgreSQL
 * database (and login) for each test context, the shared Kafka broker and the shared
 * schema registry. Tests {@code @Import} it; the service's own configuration (connection
 * pool, Flyway, Kafka clients) then runs against them unchanged.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedInfrastructure {

	@Bean
	DynamicPropertyRegistrar embeddedInfrastructureProperties() {
		return registry -> {
			String database = SharedInfrastructure.newDatabase("test");
			registry.add("spring.datasource.url", () -> SharedInfrastructure.postgresql().jdbcUrl(database));
			registry.add("spring.datasource.username", () -> database);
			registry.add("spring.datasource.password", () -> database);
			registry.add("spring.kafka.bootstrap-servers", () -> SharedInfrastructure.kafka().bootstrapServers());
			registry.add("eventing.schema-registry.url", () -> SharedInfrastructure.schemaRegistry().confluentApiUrl());
		};
	}

}
