package dev.subscriptions.infrastructure;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Apicurio Registry in a container, with in-memory storage, serving Confluent's Schema
 * Registry API at {@code /apis/ccompat/v7}: the image of {@code docker-compose.yml}'s
 * {@code schema-registry}.
 */
class ApicurioRegistryContainer extends GenericContainer<ApicurioRegistryContainer> {

	static final String IMAGE = "apicurio/apicurio-registry:3.3.3";

	private static final int PORT = 8080;

	ApicurioRegistryContainer() {
		super(IMAGE);
		withExposedPorts(PORT);
		waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forPort(PORT).forStatusCode(200));
	}

	/**
	 * The base URL of the Confluent-compatible API, as serializers expect it in
	 * {@code schema.registry.url}.
	 */
	String confluentApiUrl() {
		return "http://" + getHost() + ":" + getMappedPort(PORT) + "/apis/ccompat/v7";
	}

}
