package dev.subscriptions.web.test;

import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A client of a service's management port, where the actuator answers without a token (in
 * a test: {@code @LocalManagementPort int managementPort}).
 */
public final class ManagementClient {

	private ManagementClient() {
	}

	/** A client of {@code http://localhost:<managementPort>}. */
	public static RestTestClient of(int managementPort) {
		return RestTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
	}

}
