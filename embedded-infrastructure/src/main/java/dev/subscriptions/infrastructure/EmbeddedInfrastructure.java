package dev.subscriptions.infrastructure;

import javax.sql.DataSource;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * The one place that declares the infrastructure of an integration test: a fresh PostgreSQL database for the test
 * context, the shared Kafka broker and the shared schema registry. Tests {@code @Import} it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedInfrastructure {

	@Bean
	DataSource dataSource() {
		String database = SharedInfrastructure.newDatabase("test");
		return SharedInfrastructure.postgresql().dataSource(database);
	}

	@Bean
	DynamicPropertyRegistrar embeddedInfrastructureProperties() {
		return registry -> {
			registry.add("spring.kafka.bootstrap-servers", () -> SharedInfrastructure.kafka().bootstrapServers());
			registry.add("eventing.schema-registry.url", () -> SharedInfrastructure.schemaRegistry().confluentApiUrl());
		};
	}

}
