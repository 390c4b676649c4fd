package dev.subscriptions.web;

import org.springframework.test.context.DynamicPropertyRegistry;

import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * A new database of the shared PostgreSQL for one of the {@link WebTestApplication}'s
 * contexts.
 */
public final class WebTestDatabase {

	private WebTestDatabase() {
	}

	/** Points the context's data source at a new database. */
	public static void register(DynamicPropertyRegistry properties) {
		String database = SharedInfrastructure.newDatabase("web");
		properties.add("spring.datasource.url", () -> SharedInfrastructure.postgresql().jdbcUrl(database));
		properties.add("spring.datasource.username", () -> database);
		properties.add("spring.datasource.password", () -> database);
	}

}
