package dev.subscriptions.infrastructure;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * The embedded infrastructure, {@link EmbeddedInfrastructure}'s default: a new database
 * (and login) on the shared PostgreSQL server for each test context, the shared Kafka
 * broker and the shared schema registry of {@link SharedInfrastructure}.
 */
@Configuration(proxyBeanMethods = false)
class ProcessInfrastructure {

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
