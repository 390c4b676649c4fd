package dev.subscriptions.benefitservice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.subscriptions.web.security.ApiScopes;

/**
 * Which scope each endpoint of the public port needs: {@code benefits:write} to change
 * benefits and product mappings, {@code benefits:read} (or {@code benefits:write}) to read
 * them, the entitlements and the grants. An endpoint missing here is refused.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

	static final String READ = "benefits:read";

	static final String WRITE = "benefits:write";

	@Bean
	ApiScopes apiScopes() {
		return ApiScopes.builder()
			.require(HttpMethod.POST, "/benefits", WRITE)
			.require(HttpMethod.GET, "/benefits", READ)
			.require(HttpMethod.GET, "/benefits/{id}", READ)
			.require(HttpMethod.PATCH, "/benefits/{id}", WRITE)
			.require(HttpMethod.DELETE, "/benefits/{id}", WRITE)
			.require(HttpMethod.PUT, "/products/{productId}/benefits", WRITE)
			.require(HttpMethod.GET, "/products/{productId}/benefits", READ)
			.require(HttpMethod.GET, "/customers/{customerId}/entitlements", READ)
			.require(HttpMethod.GET, "/grants", READ)
			.build();
	}

}
